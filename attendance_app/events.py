"""The attendance event: what the pipeline decides and the journal stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from attendance_app import local_time


@dataclass(frozen=True)
class Void:
    """The mark on a row found wrong ("that was not X"): when, who (the OS user name) and
    why. The row stays in the journal for the record; the policy and the reports skip it."""

    at: datetime
    by: str
    reason: str

    def describe(self) -> str:
        """The words shown beside a voided row: reason first, that is what readers want."""
        return f"{self.reason} (voided by {self.by}, {self.at:%Y-%m-%d %H:%M})"


@dataclass(frozen=True)
class Expression:
    """The facial expression read at arrival (analytics.emotion): the most likely of
    FER2013's seven classes and its probability (0 to 1)."""

    label: str
    probability: float

    def describe(self) -> str:
        return f"{self.label} {self.probability:.0%}"


@dataclass(frozen=True)
class AttendanceEvent:
    """One attendance row before (event_id None) or after it is committed to the journal.

    timestamp: local wall time, naive (Excel has no time zones; days and months are
    counted on it).
    distance: the face distance that confirmed the person (lower is more certain).
    kind: "in" or "out"; with one row per day every row is "in".
    void: set when the row was voided (attendance_app.voiding), else None.
    expression: the face's expression at arrival with analytics.emotion on, else None.
    uid: the id made at the door when it was committed, the same in every journal and on
    the central database.
    repeat: in the central log, why the row is a repeat (the person was logged at another
    door within the cooldown, or already that day) and so not counted; else None.
    utc_offset: the local time's offset from UTC when the row was made, which places the
    wall time on the real time line across daylight saving changes (attendance_app.
    local_time); None only for a central row sent by an earlier release.
    """

    timestamp: datetime
    person_id: int
    name: str
    camera: str
    distance: float
    kind: str
    event_id: int | None = None
    void: Void | None = None
    expression: Expression | None = None
    uid: str | None = None
    repeat: str | None = None
    utc_offset: timedelta | None = None

    @property
    def moment(self) -> datetime:
        """The row's time, aware: wall time at its offset, so that subtracting two rows'
        moments gives the real time between them. A row without an offset is read in
        the local zone (local_time.aware: a repeated hour as its first pass)."""
        if self.utc_offset is None:
            return local_time.aware(self.timestamp)
        return self.timestamp.replace(tzinfo=timezone(self.utc_offset))

    def describe(self) -> str:
        """The line printed for every event."""
        line = (
            f"{self.timestamp:%Y-%m-%d %H:%M:%S}  {self.kind.upper():<3}  {self.name} "
            f"(id {self.person_id})  distance {self.distance:.3f}  camera {self.camera}"
        )
        return line if self.expression is None else f"{line}  looked {self.expression.describe()}"
