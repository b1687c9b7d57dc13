"""Turning confirmed people into attendance rows that are never lost.

Order matters: the policy decides, the journal commits, and only then is the workbook
told that rows are waiting. The workbook is written from the journal (in the app, by a
background WorkbookWriter), so a workbook that is locked (open in Excel), deleted or
damaged never costs a row, and recording never waits for a save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol

from attendance_app.events import AttendanceEvent
from attendance_app.journal import Journal
from attendance_app.policy import AttendancePolicy


class WorkbookFeed(Protocol):
    """What the recorder tells the workbook side: a WorkbookSync (saves at once) or a
    WorkbookWriter (saves in the background)."""

    def notify(self) -> None:
        """A new event is in the journal."""

    def flush(self) -> bool:
        """Save everything recorded so far; False if the workbook cannot be written now."""

    def close(self) -> None:
        """Save what is waiting; nothing is notified afterwards."""


class AttendanceRecorder:
    """Applies the attendance policy and commits events: journal first, then workbook.

    on_event is called with each committed event (printing, the GUI's table).
    """

    def __init__(
        self,
        journal: Journal,
        sync: WorkbookFeed,
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
        self.sync.notify()
        return event

    def close(self) -> None:
        """Write the waiting rows to the workbook and stop writing (end of a run)."""
        self.sync.close()
