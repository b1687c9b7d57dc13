"""A refusal: a recognised face that left without showing it was alive (liveness.mode).

It is kept in the journal's own `refusals` table, apart from the attendance rows: the
workbook, the reports and the attendance policy read only the `events` table, so a
refusal never appears on the attendance sheet nor stops a later real arrival's row. It
is there for whoever checks the journal: who was shown to the camera, and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Refusal:
    """timestamp: local time, naive, when the face left; distance: as for an event;
    reason: what was missing, e.g. "no blink"; refusal_id: set once in the journal."""

    timestamp: datetime
    person_id: int
    name: str
    camera: str
    distance: float
    reason: str
    refusal_id: int | None = None

    def describe(self) -> str:
        return (f"{self.timestamp:%Y-%m-%d %H:%M:%S}  REFUSED  {self.name} (id {self.person_id})"
                f"  {self.reason}  camera {self.camera}")


def between(refusals: Iterable[Refusal], first: date, last: date) -> list[Refusal]:
    """The refusals noted from day `first` to day `last` (both included), oldest first:
    what the command line and the window show of a day or a span of days."""
    chosen = [refusal for refusal in refusals if first <= refusal.timestamp.date() <= last]
    return sorted(chosen, key=lambda refusal: refusal.timestamp)
