"""Turning confirmed people into attendance rows that are never lost.

Order matters: the policy decides, the journal commits, and only then is the workbook
topped up from the journal. A workbook that is locked (open in Excel), deleted or
damaged therefore never costs a row: rows wait in the journal, a warning is given, and
the next successful save writes them. A damaged workbook is moved aside, never
overwritten, and a fresh one is rebuilt from the journal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from attendance_app.events import AttendanceEvent
from attendance_app.journal import Journal
from attendance_app.policy import AttendancePolicy
from exports import AttendanceRow, ExcelWorkbook, WorkbookCorrupt, WorkbookError, move_aside
from exports.atomic import remove_leftovers

log = logging.getLogger(__name__)


def to_row(event: AttendanceEvent) -> AttendanceRow:
    """The workbook's view of a committed event."""
    assert event.event_id is not None, "only committed events are exported"
    return AttendanceRow(event.event_id, event.timestamp, event.name, event.person_id,
                         event.camera, event.distance, event.kind)


class WorkbookSync:
    """Keeps the workbook equal to the journal, as far as the workbook allows."""

    def __init__(self, journal: Journal, workbook_path: Path) -> None:
        self.journal = journal
        self.workbook = ExcelWorkbook(workbook_path)
        for leftover in remove_leftovers(workbook_path):
            log.info("removed %s, left by an interrupted save", leftover.name)
        self._warned: str | None = None
        # Journal id up to which the workbook is known to be complete; 0 = check all.
        self._exported_up_to = 0

    def flush(self) -> bool:
        """Write every journal event the workbook lacks; False (with a warning) if it can't.

        The workbook itself skips rows it already holds, so re-sending is harmless; the
        cursor only spares re-reading the whole journal on every event.
        """
        if not self.workbook.path.exists():
            self._exported_up_to = 0  # deleted while running: rebuild it from the start
        try:
            pending = self.journal.events(after_id=self._exported_up_to)
            try:
                self.workbook.append(to_row(e) for e in pending)
            except WorkbookCorrupt as error:
                moved = move_aside(self.workbook.path)
                log.warning("%s; moved it to %s and rebuilt it from the journal", error, moved)
                self.workbook.rebuild(to_row(e) for e in self.journal.events())
                pending = self.journal.events()
        except (WorkbookError, OSError) as error:
            message = str(error)
            if message != self._warned:
                log.warning("%s", message)
                self._warned = message
            return False
        if pending:
            self._exported_up_to = pending[-1].event_id or 0
        if self._warned is not None:
            log.warning("workbook %s is writable again; waiting rows were written", self.workbook.path)
            self._warned = None
        return True

    def rebuild(self, since: date | None = None) -> int:
        """Replace the workbook with the journal's events (from `since` on); returns rows."""
        events = self.journal.events(since=since)
        count = self.workbook.rebuild(to_row(e) for e in events)
        self._exported_up_to = events[-1].event_id or 0 if events else 0
        return count


class AttendanceRecorder:
    """Applies the attendance policy and commits events: journal first, then workbook.

    on_event is called with each committed event (printing, the GUI's table).
    """

    def __init__(
        self,
        journal: Journal,
        sync: WorkbookSync,
        policy: AttendancePolicy,
        camera: str,
        on_event: Callable[[AttendanceEvent], None] = lambda event: None,
    ) -> None:
        self.journal = journal
        self.sync = sync
        self.policy = policy
        self.camera = camera
        self.on_event = on_event
        self.policy.restore(journal.events_on(date.today()))

    def record(self, person_id: int, name: str, distance: float,
               when: datetime | None = None) -> AttendanceEvent | None:
        """Log `person_id` at `when` if the policy says a row is due; returns the event."""
        when = (when or datetime.now()).replace(microsecond=0)
        kind = self.policy.decide(person_id, when)
        if kind is None:
            return None
        event = self.journal.record(
            AttendanceEvent(when, person_id, name, self.camera, round(distance, 4), kind)
        )
        self.policy.remember(event)
        self.on_event(event)
        self.sync.flush()
        return event
