"""Turning confirmed people into attendance rows that are never lost.

Order matters: the policy decides, the journal commits, and only then is the workbook
told that rows are waiting. The workbook is written from the journal (in the app, by a
background WorkbookWriter), so a workbook that is locked (open in Excel), deleted or
damaged never costs a row, and recording never waits for a save.

A row voided while the app runs (in its window, or by `attendance-app void` in another
process) is taken back from the policy before the next row is decided: the recorder asks
the journal for its newest void number (one indexed query) and, when it changed, restores
the policy from the day's rows that are still valid.

Each row is stored with the UTC offset of its moment (attendance_app.local_time): frame
times are naive wall time read from the clock moments before, so a repeated hour in the
autumn is read as the pass the clock is in now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from attendance_app import local_time
from attendance_app.recognition.refusal import Refusal
from attendance_app.records.corrections import CorrectedJournal
from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.types import AgeGender, AttendanceEvent, Expression

if TYPE_CHECKING:
    import numpy as np

    from attendance_app.recognition.evidence import FaceEvidence


class WorkbookFeed(Protocol):
    """What the recorder tells the workbook side: a WorkbookSync (saves at once) or a
    WorkbookWriter (saves in the background)."""

    def notify(self) -> None:
        """A new event is in the journal."""

    def flush(self) -> bool:
        """Save everything recorded so far; False if the workbook cannot be written now."""

    def close(self) -> None:
        """Save what is waiting; nothing is notified afterwards."""


class NoWorkbook:
    """The workbook feed of a door that keeps no workbook: a door of a site with a central
    database other than the one set to keep it (database.keeps_workbook)."""

    def notify(self) -> None:
        """Nothing to write here."""

    def flush(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to write here."""


class DoorLink(Protocol):
    """What the recorder asks of the link to a central database (central.link)."""

    def notify(self) -> None:
        """A row was committed to the journal: send it."""

    def arrivals_elsewhere(self) -> list[AttendanceEvent]:
        """The other doors' rows heard since the last call."""


class AttendanceRecorder:
    """Applies the attendance policy and commits events: journal first, then workbook.

    on_event is called with each committed event (printing, the GUI's table); evidence,
    when given, keeps the faces behind each row (for voiding it later); link, with a
    central database, is told of each row (to send it) and gives the rows other doors
    wrote, which the policy counts as if written here (one row a day across the doors).
    The link belongs to its maker (the window, a run), which closes it. on_refusal is
    called with each refusal noted (liveness.mode), for the window and the command line.
    """

    def __init__(
        self,
        journal: Journal,
        sync: WorkbookFeed,
        policy: AttendancePolicy,
        camera: str,
        on_event: Callable[[AttendanceEvent], None] = lambda event: None,
        evidence: FaceEvidence | None = None,
        link: DoorLink | None = None,
        on_refusal: Callable[[Refusal], None] = lambda refusal: None,
    ) -> None:
        self.journal = journal
        self.sync = sync
        self.policy = policy
        self.camera = camera
        self.on_event = on_event
        self.evidence = evidence
        self.link = link
        self.on_refusal = on_refusal
        self._heard: list[AttendanceEvent] = []  # the other doors' rows, for a restore
        self._voids_seen = self._changes()
        self.policy.restore(journal.events_on(local_time.now().date()))

    def record(self, person_id: int, name: str, distance: float,
               when: datetime | None = None,
               faces: Sequence[np.ndarray] = (),
               expression: Expression | None = None,
               age_gender: AgeGender | None = None) -> AttendanceEvent | None:
        """Log `person_id` at `when` (now if None; naive local wall time, or aware) if the
        policy says a row is due; returns the event. `faces`: the encodings that named the
        person, kept with the row; `expression`: the face's expression at arrival
        (analytics.emotion), and `age_gender` (analytics.age_gender), stored with the row."""
        moment = local_time.now() if when is None else self._moment(when)
        self._take_back_voids(moment)
        self._hear_other_doors()
        kind = self.policy.decide(person_id, moment)
        if kind is None:
            return None
        event = self.journal.record(
            AttendanceEvent(moment.replace(tzinfo=None), person_id, name, self.camera,
                            round(distance, 4), kind, expression=expression,
                            utc_offset=moment.utcoffset(), age_gender=age_gender)
        )
        if self.evidence is not None:
            self.evidence.keep(event, faces)
        self.policy.remember(event)
        self.on_event(event)
        self.sync.notify()
        if self.link is not None:
            self.link.notify()
        return event

    @staticmethod
    def _moment(when: datetime) -> datetime:
        """`when` to the second, aware: a naive frame time was read from the clock before
        now, which settles a repeated hour (local_time.aware)."""
        return local_time.aware(when.replace(microsecond=0), not_after=local_time.now())

    def _changes(self) -> tuple[int, int]:
        """The newest void's and correction's numbers: either changes which rows of a day
        count (records.corrections: an arrival added by hand, a time, a void undone)."""
        corrections = (self.journal.last_correction_id()
                       if isinstance(self.journal, CorrectedJournal) else 0)
        return self.journal.last_void_id(), corrections

    def _take_back_voids(self, when: datetime) -> None:
        """After a void or a correction since the last look, restore the policy from the
        day's valid rows, so the person whose row was voided gets one when they really
        come, and one added by hand gets no second."""
        newest = self._changes()
        if newest != self._voids_seen:
            self._voids_seen = newest
            self._heard = [e for e in self._heard if e.timestamp.date() == when.date()]
            self.policy.restore(sorted([*self.journal.events_on(when.date()), *self._heard],
                                       key=lambda event: event.moment))

    def _hear_other_doors(self) -> None:
        if self.link is None:
            return
        for event in self.link.arrivals_elsewhere():
            self.policy.remember(event)
            self._heard.append(event)

    def row_due(self, person_id: int, when: datetime) -> bool:
        """Whether the policy would write a row for `person_id` at `when` (nothing is
        written, nothing is read from disk: asked for every waiting face, every frame)."""
        self._hear_other_doors()
        return self.policy.decide(person_id, self._moment(when)) is not None

    def refuse(self, person_id: int, name: str, distance: float, when: datetime,
               reason: str) -> Refusal:
        """Note in the journal that `person_id` was recognised but not shown alive
        (liveness.mode); a note, never an attendance row (attendance_app.recognition.refusal)."""
        refusal = self.journal.refuse(Refusal(when.replace(microsecond=0), person_id, name,
                                              self.camera, round(distance, 4), reason))
        self.on_refusal(refusal)
        return refusal

    def close(self) -> None:
        """Write the waiting rows to the workbook and stop writing (end of a run)."""
        self.sync.close()
