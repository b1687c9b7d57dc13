"""The corrections made from today's list (issue 25, point 4): its context menu gains
"Add missed arrival…", "Undo void…" on a voided row and "Correct time…"; each asks in
its dialog (gui/correction_dialogs.py), then writes through attendance_app.records.
correcting, the code `arrival add|correct` and `void undo` use, and the list and the
workbook follow.

Who made a correction is the OS user, as for a void. While a door runs, its workbook
writer rewrites the months concerned (it reads new corrections from the journal);
otherwise they are rewritten here, in the background.

With a central database a correction is the site's (central.records): it is made in the
central log, a row of the list named by its place there, so that every door's reports and
workbooks show it; the list is then refilled with the door's rows as the site's log has
them (an arrival added by hand there is listed too, but is voided by no door: it has no
row in the door's journal), and the status bar says where the correction went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from attendance_app.app.workspace import Workspace
from attendance_app.central.door_list import as_door_rows
from attendance_app.gui.attendance_panel import AttendancePanel
from attendance_app.gui.background import describe_failure, run_in_background
from attendance_app.gui.correction_dialogs import (
    AddArrivalDialog,
    CorrectTimeDialog,
    UndoVoidDialog,
)
from attendance_app.i18n import _
from attendance_app.records.correcting import (
    Corrected,
    CorrectionRefused,
    DuplicateArrival,
    add_arrival,
    correct_time,
    undo_void,
)
from attendance_app.records.corrections import CorrectedJournal, Correcting
from attendance_app.types import AttendanceEvent
from attendance_app.wording import as_sentence
from enrolment import FaceStore, StoreError

log = logging.getLogger(__name__)


class PanelCorrections(QObject):
    """The corrections of `panel`'s rows. `writer_told()` tells a running door's
    workbook writer that the journal changed (False when no door records: the months are
    rewritten here)."""

    def __init__(self, panel: AttendancePanel, workspace: Workspace, store: FaceStore,
                 writer_told: Callable[[], bool]) -> None:
        super().__init__(panel)
        self.panel, self.workspace, self.store = panel, workspace, store
        self.writer_told = writer_told
        self.dialog: AddArrivalDialog | CorrectTimeDialog | UndoVoidDialog | None = None
        panel.menu_extras.append(self.add_actions)

    def add_actions(self, menu: QMenu, event: AttendanceEvent | None) -> None:
        """The corrections for a right-click on `event`'s row (None: beside the rows)."""
        menu.addAction(_("Add missed arrival…"), self.open_add)
        if event is None:
            return
        menu.addAction(_("Undo void…"), lambda: self.open_undo(event)).setEnabled(
            event.void is not None)
        menu.addAction(_("Correct time…"), lambda: self.open_correct(event)).setEnabled(
            event.void is None)

    def _open(self, dialog: AddArrivalDialog | CorrectTimeDialog | UndoVoidDialog,
              make: Callable[[bool], Corrected]) -> None:
        dialog.accepted.connect(lambda: self._make(make))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def open_add(self) -> AddArrivalDialog:
        """Ask for a missed arrival, then add it."""
        dialog = AddArrivalDialog(sorted(person.name for person in self.store.people()),
                                  datetime.now(), self.panel)
        self._open(dialog, lambda force: add_arrival(
            self.workspace.records(), self.store, dialog.name, dialog.at, dialog.reason,
            force=force))
        return dialog

    def _row(self, event: AttendanceEvent) -> tuple[Correcting, int]:
        """Where `event` is corrected and its number there: the door's journal and its id,
        or the site's log and its place in it (refused while it has not reached it)."""
        log = self.workspace.records()
        if isinstance(log, CorrectedJournal):
            return log, event.event_id or 0
        number = log.number_of(event)
        if number is None:
            raise CorrectionRefused(_("this row has not reached the central database yet; "
                                      "correct it once the door is connected again"))
        return log, number

    def open_undo(self, event: AttendanceEvent) -> UndoVoidDialog:
        """Ask why `event`'s void is undone, then undo it."""
        dialog = UndoVoidDialog(event, self.panel)
        self._open(dialog, lambda _force: undo_void(*self._row(event), dialog.reason))
        return dialog

    def open_correct(self, event: AttendanceEvent) -> CorrectTimeDialog:
        """Ask `event`'s right time, then correct it."""
        dialog = CorrectTimeDialog(event, datetime.now(), self.panel)
        self._open(dialog, lambda _force: correct_time(*self._row(event), dialog.at,
                                                       dialog.reason))
        return dialog

    def _make(self, make: Callable[[bool], Corrected]) -> None:
        """Make the correction (asking before a second arrival that day), then show it."""
        parent: QWidget = self.panel.window()
        try:
            try:
                corrected = make(False)
            except DuplicateArrival as duplicate:
                answer = QMessageBox.question(
                    parent, _("Add another arrival?"),
                    _("{problem} Add another one anyway?").format(
                        problem=as_sentence(str(duplicate).split("; ")[0])))
                if answer != QMessageBox.StandardButton.Yes:
                    return
                corrected = make(True)
        except (CorrectionRefused, StoreError) as error:
            QMessageBox.warning(parent, _("Not corrected"), as_sentence(str(error)))
            return
        journal = self.workspace.journal()
        rows = journal.events_on(date.today())
        site = self.workspace.site_log()
        self.panel.load(rows if site is None else as_door_rows(site, rows, date.today()),
                        journal.refusals())
        if site is not None and isinstance(parent, QMainWindow):
            parent.statusBar().showMessage(
                _("{action}: made in the site's log, which every door's reports and "
                  "workbooks show").format(action=as_sentence(corrected.action)), 10_000)
        if not self.writer_told():
            for month in corrected.months:
                run_in_background(
                    lambda month=month: self.workspace.workbook_sync(
                        self.workspace.records()).rewrite_month(month),
                    "correction-rewrite", self, lambda _path: None, self._rewrite_failed)

    def _rewrite_failed(self, error: Exception) -> None:
        """The workbook was not rewritten: a warning (the window shows it as a notice);
        the journal keeps the correction and the next export or start writes it."""
        log.warning(_("The workbook was not rewritten after the correction: {reason}; the "
                      "correction is kept and written at the next start").format(
                          reason=describe_failure(error)))
