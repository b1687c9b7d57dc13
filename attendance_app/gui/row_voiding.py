"""Voiding a row of today's list from the window (the panel's Void row…): the journal
first, then the list, the pipeline's gallery and the workbook, and a line in the status
bar saying what was done. Apart from main_window.py, which is at its size."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtWidgets import QMainWindow, QMessageBox

from attendance_app.errors import notice
from attendance_app.gui.background import describe_failure, run_in_background
from attendance_app.i18n import _, dates
from attendance_app.records.voiding import VoidRefused, rewrite_workbook, void_event
from attendance_app.types import AttendanceEvent
from attendance_app.wording import as_sentence
from enrolment import StoreError

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.central.link import CentralLink
    from attendance_app.gui.attendance_panel import AttendancePanel
    from attendance_app.gui.worker_threads import WorkerThreads
    from enrolment import FaceStore

log = logging.getLogger(__name__)


class DoorWindow(Protocol):
    """What voiding needs of the main window (named, not imported: no import circle)."""

    workspace: Workspace
    store: FaceStore
    panel: AttendancePanel
    link: CentralLink | None
    workers: WorkerThreads

    def refresh_gallery(self) -> None: ...


def void_row(window: QMainWindow, event: AttendanceEvent, reason: str) -> None:
    """Void a row of today's list, for `reason` (attendance_app.records.voiding): the list
    shows it struck through, the pipeline gets its faces as negatives with a fresh
    gallery, and the workbook is rewritten by the worker's writer (or here, in the
    background)."""
    door = cast("DoorWindow", window)
    workspace = door.workspace
    try:
        voided = void_event(workspace.journal(), door.store, event.event_id or 0,
                            reason, site=workspace.site_log())
    except (VoidRefused, StoreError) as error:
        QMessageBox.warning(window, _("Not voided"), as_sentence(str(error)))
        return
    door.panel.mark_void(voided.event)
    door.refresh_gallery()
    current = door.workers.current
    if door.link is not None:
        # The void goes to the central log; the workbook is the keeping door's, which
        # writes it again when the void arrives there.
        door.link.notify()
    elif current is None or not current.journal_changed():
        run_in_background(lambda: rewrite_workbook(workspace, voided.event),
                          "void-rewrite", window, lambda _path: None, _rewrite_failed)
    name, at = voided.event.name, dates.time_text(voided.event.timestamp)
    if voided.faces:
        text = _("Voided {name} at {time}: no longer counted").format(name=name, time=at)
    else:
        text = _("Voided {name} at {time}: no longer counted (no face was kept for it: "
                 "nothing learnt)").format(name=name, time=at)
    window.statusBar().showMessage(text, 8000)


def _rewrite_failed(error: Exception) -> None:
    """The workbook was not rewritten after a void: a notice says so (as a warning of
    the app, so the terminal and the log have it too); the journal keeps the void."""
    log.warning(_("The workbook was not rewritten after the void: {reason}; the void is "
                  "kept and written at the next start").format(reason=describe_failure(error)),
                extra=notice("void-rewrite"))
