"""The window's Calendar dialog: the closed days (the site's or a group's) and each
person's leave, added, removed and imported as `attendance-app holiday` and `leave` do
(enrolment.days_off keeps them; with a central database, the site's:
central.calendar_book).

Dates are typed as on the command line (YYYY-MM-DD), so one page of the user guide
explains both. A bad value, or one the store refuses (an unknown person, a day already
closed), is shown in one line under the form, which stays open, or under the lists for
an import or a removal; nothing is saved then. After each change the month workbooks
already written for its days are rewritten in the background
(records.calendar_changes), and the line under the lists says which.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui.background import describe_failure, run_in_background
from attendance_app.gui.checked_form import ERROR_STYLE, CheckedForm
from attendance_app.gui.confirmations import confirm
from attendance_app.gui.file_dialogs import CALENDAR, open_file
from attendance_app.i18n import N_, _, dates, ngettext
from attendance_app.records.calendar_changes import Rewritten, rewrite_written
from attendance_app.records.calendar_files import CalendarFileError, read_calendar_file
from enrolment import Closure, DaysOffBook, FaceStore, GroupBook, LeaveEntry, StoreError

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace

WHOLE_SITE = N_("Whole site")
"""The group choice that closes the whole site (kept in English, shown translated)."""
Rewrite = Callable[[date, date], Rewritten]
"""Rewrites the written workbooks of the days from one date to another."""


def parse_day(text: str, what: str) -> date:
    """'2026-12-24' -> that date; ValueError naming `what` and the form otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("the {what} {text!r} is not a date; write it as YYYY-MM-DD, "
                           "e.g. 2026-12-24").format(what=what, text=text.strip())) from None


def _days(first: date, last: date) -> str:
    """A span of days as people read dates: one day, or "from to"."""
    if first == last:
        return dates.day_text(first)
    return _("{first} to {last}").format(first=dates.day_text(first),
                                         last=dates.day_text(last))


class CalendarDialog(QDialog):
    """The closures and leave of `book`, with Add…, Remove and Import…; `rewrite` (None:
    no workbook to keep, as in a test) brings the written workbooks up to date."""

    def __init__(self, book: DaysOffBook, rewrite: Rewrite | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.rewrite = rewrite
        self.setWindowTitle(_("Calendar: closed days and leave"))
        self._closures: list[Closure] = []
        self._leave: list[LeaveEntry] = []
        self.closures = QListWidget()
        self.leave = QListWidget()
        self.closures.setAccessibleName(_("Closed days"))
        self.leave.setAccessibleName(_("Leave"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(QLabel(_("Closed days (nobody expected, nobody absent):")), 0, 0)
        grid.addWidget(QLabel(_("Leave (excused, never absent):")), 0, 1)
        grid.addWidget(self.closures, 1, 0)
        grid.addWidget(self.leave, 1, 1)
        self.buttons: dict[str, QPushButton] = {}
        for column, entries in enumerate(((
                (N_("Add closed days…"), self.add_closure_form),
                (N_("Import…"), self.choose_import),
                (N_("Remove"), self.remove_closure)),
                ((N_("Add leave…"), self.add_leave_form),
                 (N_("Remove leave"), self.remove_leave)))):
            row = QVBoxLayout()
            for text, slot in entries:
                button = QPushButton(_(text))  # kept under its English text
                button.clicked.connect(lambda _checked=False, slot=slot: slot())
                self.buttons[text] = button
                row.addWidget(button)
            row.addStretch()  # both columns' buttons from the top, level with each other
            grid.addLayout(row, 2, column)
        grid.addWidget(self.status, 3, 0, 1, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        grid.addWidget(close, 4, 0, 1, 2)
        grid.setRowStretch(1, 1)  # a taller dialog shows more of the lists
        self.resize(760, 420)
        self.reload()

    def reload(self) -> None:
        """Read the closures and the leave again."""
        self._closures, self._leave = self.book.closures(), self.book.leave()
        self.closures.clear()
        self.closures.addItems([
            f"{_days(c.first, c.last)} · {c.group or _(WHOLE_SITE)} · {c.name}"
            for c in self._closures])
        self.leave.clear()
        self.leave.addItems([f"{e.leave_id}: {e.person} · {_days(e.first, e.last)} · {e.reason}"
                             for e in self._leave])

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)

    def _changed(self, said: str, first: date, last: date) -> None:
        """After a change: list again, say it, and rewrite the written workbooks."""
        self.reload()
        self._say(said)
        confirm(self, said)
        if self.rewrite is None:
            return
        rewrite = self.rewrite
        run_in_background(lambda: rewrite(first, last), "calendar-rewrite", self,
                          lambda done: self._rewritten(said, done),
                          lambda error: self._say(
                              _("{done}; the workbook was not rewritten: {problem}").format(
                                  done=said, problem=describe_failure(error)), error=True))

    def _rewritten(self, said: str, done: Rewritten) -> None:
        files = [path.name for path in done.files]
        text = said
        if files:
            text = _("{done}; rewrote {files}").format(done=text, files=", ".join(files))
        if done.failed:
            text = _("{done}; not rewritten now: {problem}").format(done=text,
                                                                     problem=done.failed[0][1])
        self._say(text, error=bool(done.failed))

    def group_choice(self) -> QComboBox:
        """The whole site, or one group."""
        choice = QComboBox()
        choice.addItem(_(WHOLE_SITE), None)
        for group in GroupBook(self.book.store).groups():
            choice.addItem(group.name, group.name)
        return choice

    def add_closure_form(self) -> CheckedForm:
        """The form for closed days; shown unless a test drives it."""
        first, last, name, group = QLineEdit(), QLineEdit(), QLineEdit(), self.group_choice()
        first.setPlaceholderText(_("YYYY-MM-DD"))
        last.setPlaceholderText(_("YYYY-MM-DD (empty: one day)"))
        name.setPlaceholderText(_("e.g. Christmas break"))

        def save() -> Closure:
            start = parse_day(first.text(), _("first day"))
            end = parse_day(last.text(), _("last day")) if last.text().strip() else start
            closure = self.book.close(start, end, name.text(), group.currentData())
            days = _days(closure.first, closure.last)
            if closure.group is None:
                said = _("Closed the site on {days}: {name}").format(days=days,
                                                                      name=closure.name)
            else:
                said = _("Closed {group} on {days}: {name}").format(
                    group=closure.group, days=days, name=closure.name)
            self._changed(said, closure.first, closure.last)
            return closure

        form = CheckedForm(_("Closed days"), [(_("First day:"), first), (_("Last day:"), last),
                                               (_("Name:"), name), (_("For:"), group)], save,
                           self)
        return form

    def add_leave_form(self) -> CheckedForm:
        """The form for a person's leave."""
        person = QComboBox()
        person.setEditable(True)
        person.addItems([p.name for p in self.book.store.people()])
        person.setCurrentText("")
        first, last, reason = QLineEdit(), QLineEdit(), QLineEdit()
        for edit in (first, last):
            edit.setPlaceholderText(_("YYYY-MM-DD"))
        reason.setPlaceholderText(_("e.g. ill, training"))

        def save() -> LeaveEntry:
            entry = self.book.add_leave(person.currentText(),
                                        parse_day(first.text(), _("first day")),
                                        parse_day(last.text(), _("last day")), reason.text())
            self._changed(_("Leave {number}: {person} {days} ({reason})").format(
                number=entry.leave_id, person=entry.person,
                days=_days(entry.first, entry.last), reason=entry.reason),
                entry.first, entry.last)
            return entry

        form = CheckedForm(_("Leave"), [(_("Person:"), person), (_("From:"), first),
                                         (_("To:"), last), (_("Reason:"), reason)], save, self)
        return form

    def remove_closure(self) -> None:
        row = self.closures.currentRow()
        if not 0 <= row < len(self._closures):
            self._say(_("choose the closed days to remove in the list"), error=True)
            return
        closure = self._closures[row]
        try:
            self.book.reopen(closure.first, closure.group)
        except StoreError as error:  # a central database out of reach, among others
            self._say(str(error), error=True)
            return
        self._changed(_("Opened again {days} ({name})").format(
            days=_days(closure.first, closure.last), name=closure.name),
                      closure.first, closure.last)

    def remove_leave(self) -> None:
        row = self.leave.currentRow()
        if not 0 <= row < len(self._leave):
            self._say(_("choose the leave to remove in the list"), error=True)
            return
        try:
            entry = self.book.remove_leave(self._leave[row].leave_id)
        except StoreError as error:  # a central database out of reach, among others
            self._say(str(error), error=True)
            return
        self._changed(_("Removed leave {number}: {person}").format(
            number=entry.leave_id, person=entry.person), entry.first, entry.last)

    def choose_import(self) -> None:
        """Ask for an .ics or CSV file and, at a site with groups, whom it closes; then
        import it."""
        path = open_file(self, CALENDAR, _("Import closed days"),
                         _("Calendars (*.ics *.csv);;All files (*)"))
        groups = [group.name for group in GroupBook(self.book.store).groups()] if path else []
        chosen = _(WHOLE_SITE)
        if groups:
            chosen, ok = QInputDialog.getItem(self, _("Import closed days"), _("Closed for:"),
                                              [_(WHOLE_SITE), *groups], 0, False)
            if not ok:
                return
        if path is not None:
            self.import_file(path, None if chosen == _(WHOLE_SITE) else chosen)

    def import_file(self, path: Path, group: str | None = None) -> int:
        """Add the closures of `path` not closed already; returns how many were added."""
        try:
            found = read_calendar_file(path)
            added = [self.book.close(s.first, s.last, s.name, group) for s in found.spans
                     if not self.book.overlapping(s.first, s.last, group)]
        except (CalendarFileError, StoreError) as error:
            self._say(str(error), error=True)
            return 0
        said = ngettext("Imported {count} closure from {file}",
                        "Imported {count} closures from {file}", len(added)).format(
                            count=len(added), file=path.name)
        if added:
            self._changed(said, min(c.first for c in added), max(c.last for c in added))
        else:
            self._say(_("{done} (its days are closed already)").format(done=said))
        return len(added)


def open_calendar(workspace: Workspace, store: FaceStore, parent: QWidget) -> CalendarDialog:
    """Show the Calendar dialog of this door's face store, or with a central database of
    the site's calendar as the door's copy holds it (written on the server), its changes
    rewriting the written workbooks (of the central log, with one)."""
    from attendance_app.central.calendar_book import days_off_book

    def rewrite(first: date, last: date) -> Rewritten:
        return rewrite_written(workspace.workbook_sync(workspace.records()), first, last)

    dialog = CalendarDialog(days_off_book(store), rewrite, parent)
    dialog.setModal(False)
    dialog.show()
    return dialog
