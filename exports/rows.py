"""One attendance event as the workbook sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class AttendanceRow:
    """A journal event flattened into a sheet row.

    event_id is the journal's id: it is what makes exporting the same events twice
    harmless, because the workbook only ever takes ids past the largest it holds.
    timestamp is naive local time, which is what people reading the sheet expect.
    void is None for a valid row; for a row found wrong, the words saying why, by whom
    and when: such a row stays on the Attendance sheet, struck through, and no report
    counts it.
    expression: the facial expression read at arrival ("happy 87%"), when the app was set
    to read it (analytics.emotion), else None.
    utc_offset: the local time's offset from UTC when the row was made (the sheet shows
    wall time only); None for a row read back from a workbook.
    age, gender: the age in years and the gender with its probability ("male 97%")
    estimated at arrival, when the app was set to estimate them (analytics.age_gender),
    else None.
    correction: for a row added or corrected by hand, what was done, by whom and why (a
    corrected time shows the new time, this note the original); else None.
    """

    event_id: int
    timestamp: datetime
    name: str
    person_id: int
    camera: str
    distance: float
    kind: str
    void: str | None = None
    expression: str | None = None
    utc_offset: timedelta | None = None
    age: float | None = None
    gender: str | None = None
    correction: str | None = None

    @property
    def instant(self) -> datetime:
        """The row's time on the real time line (UTC, naive), what time between rows is
        measured and ordered on: on the night the clocks go back, 02:40 after 02:10 may be
        90 minutes later. The wall time itself for a row without an offset."""
        return self.timestamp if self.utc_offset is None else self.timestamp - self.utc_offset
