"""A small form that checks what was typed before it closes: labelled fields, OK and
Cancel, and one red line under the fields saying what is wrong.

The Groups and Calendar dialogs ask for values the command line also takes (days
`mon-fri`, times `HH:MM`, dates `YYYY-MM-DD`), checked by the same functions; a bad
value, or one the store refuses, keeps the form open with the reason, so nothing typed
is lost and nothing half-checked is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from enrolment import StoreError

ERROR_STYLE = "color: #b00020;"


class CheckedForm(QDialog):
    """Labelled `fields` whose values `save` checks (and stores) on OK: its result is kept
    in `saved` and the form closes; a ValueError or StoreError is shown in one line and
    the form stays open. `fields` by label without the colon, for tests and callers."""

    def __init__(self, title: str, fields: list[tuple[str, QWidget]],
                 save: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.saved: object = None
        self.fields = {label.rstrip(":"): widget for label, widget in fields}
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        for label, widget in fields:
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def check(self) -> None:
        """Save and close, or say in one line what is wrong and stay open."""
        try:
            self.saved = self._save()
        except (ValueError, StoreError) as error:
            self.error.setText(str(error))
            return
        self.accept()
