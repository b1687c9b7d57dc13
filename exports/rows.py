"""One attendance event as the workbook sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
