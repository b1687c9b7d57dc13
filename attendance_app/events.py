"""The attendance event: what the pipeline decides and the journal stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AttendanceEvent:
    """One attendance row before (event_id None) or after it is committed to the journal.

    timestamp: local time, naive (Excel has no time zones).
    distance: the face distance that confirmed the person (lower is more certain).
    kind: "in" or "out"; with one row per day every row is "in".
    """

    timestamp: datetime
    person_id: int
    name: str
    camera: str
    distance: float
    kind: str
    event_id: int | None = None

    def describe(self) -> str:
        """The line printed for every event."""
        return (
            f"{self.timestamp:%Y-%m-%d %H:%M:%S}  {self.kind.upper():<3}  {self.name} "
            f"(id {self.person_id})  distance {self.distance:.3f}  camera {self.camera}"
        )
