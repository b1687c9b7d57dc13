"""The values that cross packages: face boxes, frames, what the viewer sees of a track,
and the attendance event.

Nothing here knows a face engine, Qt, a camera or a file: every layer may import it.

Face boxes are in frame pixels, in the one order the app uses everywhere. face_recognition
speaks (top, right, bottom, left); SORT speaks (x1, y1, x2, y2). The conversion happens
once, at the face-engine boundary, so nothing else has to remember which order a tuple is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum

import numpy as np

from attendance_app import local_time


@dataclass(frozen=True)
class Box:
    """An axis-aligned box (x1, y1) top-left to (x2, y2) bottom-right, in pixels."""

    x1: float
    y1: float
    x2: float
    y2: float

    @classmethod
    def from_css(cls, css: tuple[int, int, int, int]) -> Box:
        """Build from face_recognition's (top, right, bottom, left)."""
        top, right, bottom, left = css
        return cls(float(left), float(top), float(right), float(bottom))

    def to_css(self) -> tuple[int, int, int, int]:
        """Return face_recognition's (top, right, bottom, left) as whole pixels."""
        return (round(self.y1), round(self.x2), round(self.y2), round(self.x1))

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x1 + self.x2) / 2, (self.y1 + self.y2) / 2)

    def scaled(self, factor: float) -> Box:
        """The same box in an image resized by `factor` (0.5 = half the pixels per side)."""
        return Box(self.x1 * factor, self.y1 * factor, self.x2 * factor, self.y2 * factor)

    def clipped(self, width: int, height: int) -> Box:
        """The part of the box inside a width x height image."""
        return Box(
            min(max(self.x1, 0.0), width),
            min(max(self.y1, 0.0), height),
            min(max(self.x2, 0.0), width),
            min(max(self.y2, 0.0), height),
        )

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)

    def describe(self) -> str:
        """Whole-pixel text for people: 'x=10 y=20 w=80 h=80'."""
        return f"x={round(self.x1)} y={round(self.y1)} w={round(self.width)} h={round(self.height)}"


@dataclass(frozen=True)
class Frame:
    """A picture from a source: BGR pixels as OpenCV delivers them, its position in the
    stream (0-based) and the local time it was captured."""

    image: np.ndarray
    index: int
    timestamp: datetime


class TrackStatus(Enum):
    """What a box's colour says."""

    RECOGNISED = "recognised"
    UNSURE = "unsure"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TrackView:
    """A followed face as the user sees it: box, label and how sure the app is."""

    track_id: int
    box: Box
    label: str
    status: TrackStatus
    distance: float | None


@dataclass(frozen=True)
class FrameResult:
    """What one call to Pipeline.process produced."""

    index: int
    tracks: tuple[TrackView, ...]
    events: tuple[AttendanceEvent, ...]
    detected: bool


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
class AgeGender:
    """Age and gender estimated at arrival (analytics.age_gender): the age in years (the
    expected value over the model's 81 classes, 0 to 80), and of the model's two classes
    ("female", "male") the more likely one with its probability (0.5 to 1). An estimate
    from one photo, not a fact about the person."""

    age: float
    gender: str
    probability: float

    def gender_words(self) -> str:
        """The gender with its probability, as the workbook shows it: 'male 97%'."""
        return f"{self.gender} {self.probability:.0%}"

    def describe(self) -> str:
        return f"age about {self.age:.0f}, {self.gender_words()}"


@dataclass(frozen=True)
class AttendanceEvent:
    """One attendance row before (event_id None) or after it is committed to the journal.

    timestamp: local wall time, naive (Excel has no time zones; days and months are
    counted on it).
    distance: the face distance that confirmed the person (lower is more certain).
    kind: "in" or "out"; with one row per day every row is "in".
    void: set when the row was voided (attendance_app.records.voiding), else None.
    expression: the face's expression at arrival with analytics.emotion on, else None.
    age_gender: the age and gender estimated at arrival with analytics.age_gender on, else
    None.
    uid: the id made at the door when it was committed, the same in every journal and on
    the central database.
    repeat: in the central log, why the row is a repeat (the person was logged at another
    door within the cooldown, or already that day) and so not counted; else None.
    utc_offset: the local time's offset from UTC when the row was made, which places the
    wall time on the real time line across daylight saving changes (attendance_app.
    local_time); None only for a central row sent by an earlier release.
    correction: what was corrected by hand (added, time corrected from, void undone; by
    whom and why: attendance_app.records.corrections), else None.
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
    age_gender: AgeGender | None = None
    correction: str | None = None

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
        if self.expression is not None:
            line = f"{line}  looked {self.expression.describe()}"
        return line if self.age_gender is None else f"{line}  {self.age_gender.describe()}"
