"""The dialog that voids a row of today's list: what will happen, and why (a reason).

It only asks: the window does the void (attendance_app.records.voiding) when the dialog is
accepted, so the dialog can be opened, filled and tested without touching any file.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.i18n import _, dates
from attendance_app.records.voiding import MAX_REASON_CHARS
from attendance_app.types import AttendanceEvent


class VoidDialog(QDialog):
    """Asks for the reason a row is wrong; `reason` holds it once accepted. The void
    button stays disabled until a reason is typed."""

    def __init__(self, event: AttendanceEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Void this row"))
        name = html.escape(event.name)
        row = f"<b>{dates.time_text(event.timestamp, seconds=True)}&nbsp;&nbsp;{name}</b> " \
              f"({html.escape(event.camera)})"
        explanation = QLabel(
            _("{row}<br><br>Was this someone else? Voiding keeps the row in the records, "
              "struck through, and no report counts it. The face seen then will not be taken "
              "for {name} again; {name} is still recognised, and gets a row when they really "
              "come.").format(row=row, name=name))
        explanation.setWordWrap(True)
        explanation.setTextFormat(Qt.TextFormat.RichText)
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName(_("Reason"))
        self.reason_edit.setMaxLength(MAX_REASON_CHARS)
        self.reason_edit.setPlaceholderText(
            _("Why is it wrong? e.g. not {name}: a visitor").format(name=event.name))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.void_button = QPushButton(_("Void row"))
        self.void_button.setEnabled(False)
        buttons.addButton(self.void_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(
            lambda text: self.void_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(QLabel(_("Reason (shown beside the row in the workbook):")))
        layout.addWidget(self.reason_edit)
        layout.addWidget(buttons)
        self.resize(440, self.sizeHint().height())

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()
