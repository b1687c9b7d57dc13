"""The dialogs of the three corrections from today's list: add a missed arrival, undo a
void, correct a time. Each only asks (who, when, why); the window's corrections
(gui/corrections.py) make them through the same code as the command line, so a dialog
can be opened, filled and tested without touching any file.

A time can be at most now (a correction records what happened); the OK button stays
disabled until a reason is typed, as in the void dialog.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui.accessibility import tab_down_the_form
from attendance_app.gui.date_formats import moment_format
from attendance_app.i18n import _, dates
from attendance_app.records.voiding import MAX_REASON_CHARS
from attendance_app.types import AttendanceEvent


class _CorrectionDialog(QDialog):
    """A title, an explanation, the fields a correction needs, a reason and its button."""

    def __init__(self, title: str, explanation: str, button: str,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel(explanation)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        self.form = QFormLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(MAX_REASON_CHARS)
        self.reason_edit.setPlaceholderText(_("Why? It is kept in the Audit sheet"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton(button)
        self.ok_button.setEnabled(False)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self._buttons = buttons

    def _time_edit(self, shown: datetime, now: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(QDateTime(shown))
        edit.setDisplayFormat(moment_format())
        edit.setCalendarPopup(True)
        edit.setMaximumDateTime(QDateTime(now))
        return edit

    def _finish(self) -> None:
        self.form.addRow(_("Reason:"), self.reason_edit)
        self.resize(460, self.sizeHint().height())
        # Fields made after the buttons: Tab goes down the form first, then the buttons.
        tab_down_the_form(self.form, self._buttons)

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()


class AddArrivalDialog(_CorrectionDialog):
    """Asks whose arrival the camera missed, when and why."""

    def __init__(self, names: list[str], now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(_("Add missed arrival"),
                         _("An arrival the camera missed (camera down, face not recognised). "
                           "It counts as present; the workbook marks it <i>by hand</i>, and "
                           "the Audit sheet says who added it and why."), _("Add arrival"),
                         parent)
        self.person = QComboBox()
        self.person.addItems(names)
        self.person.setEditable(True)  # type to find a name among hundreds
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_edit = self._time_edit(now.replace(second=0, microsecond=0), now)
        self.form.addRow(_("Person:"), self.person)
        self.form.addRow(_("Arrived at:"), self.time_edit)
        self._finish()

    @property
    def name(self) -> str:
        return self.person.currentText().strip()

    @property
    def at(self) -> datetime:
        return self.time_edit.dateTime().toPython().replace(second=0, microsecond=0)


class CorrectTimeDialog(_CorrectionDialog):
    """Asks a row's right time and why."""

    def __init__(self, event: AttendanceEvent, now: datetime,
                 parent: QWidget | None = None) -> None:
        row = f"{dates.moment_text(event.timestamp, seconds=True)}&nbsp;&nbsp;" \
              f"{html.escape(event.name)}"
        super().__init__(_("Correct time"),
                         _("<b>{row}</b><br><br>The row shows the new time; the time the "
                           "camera logged stays in the records, beside it.").format(row=row),
                         _("Correct time"), parent)
        self.time_edit = self._time_edit(event.timestamp.replace(second=0), now)
        self.form.addRow(_("Right time:"), self.time_edit)
        self._finish()

    @property
    def at(self) -> datetime:
        return self.time_edit.dateTime().toPython().replace(second=0, microsecond=0)


class UndoVoidDialog(_CorrectionDialog):
    """Asks why a voided row counts after all."""

    def __init__(self, event: AttendanceEvent, parent: QWidget | None = None) -> None:
        void = "" if event.void is None else html.escape(event.void.describe())
        row = f"{dates.time_text(event.timestamp, seconds=True)}&nbsp;&nbsp;" \
              f"{html.escape(event.name)}"
        super().__init__(_("Undo void"),
                         _("<b>{row}</b> was voided: {reason}<br><br>Undoing it counts the "
                           "row again; the void and its undoing both stay on record.").format(
                               row=row, reason=void), _("Undo void"), parent)
        self._finish()
