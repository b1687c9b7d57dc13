"""When a recognised person becomes an attendance row.

By default one row per person per calendar day: a sign-in sheet. With a cooldown, a
person seen again after the cooldown gets another row, and rows alternate "in" and "out"
through the day (one camera at one door cannot see direction, alternation is what a
paper in/out sheet records). The policy is restored from the journal at start-up, so
a restart in the middle of the day never logs anyone twice. A voided row ("that was not
X") does not count: X, when they really come, still gets their row.

Times between rows are real elapsed time: the policy works on aware times (wall time
with its UTC offset, attendance_app.local_time), so on the night the clocks go back a
person seen 90 minutes after arriving is 90 minutes on, not 30. Days are calendar days
on the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from attendance_app import local_time
from attendance_app.types import AttendanceEvent


class AttendancePolicy:
    """Decides whether a person seen at a time gets a row, and of which kind.

    cooldown: None for one row per day; otherwise the least time between two rows.
    Times given are aware (with their UTC offset), or naive local wall time, read in the
    local zone (local_time.aware).
    """

    def __init__(self, cooldown: timedelta | None = None) -> None:
        if cooldown is not None and cooldown <= timedelta(0):
            raise ValueError("cooldown must be positive, or None for one row per day")
        self.cooldown = cooldown
        self._last: dict[int, datetime] = {}  # aware, fixed offsets
        self._rows_that_day: dict[int, int] = {}

    def restore(self, earlier: Iterable[AttendanceEvent]) -> None:
        """Start again from the events already in the journal (oldest first), leaving out
        the voided ones: also after a void, to take that row back."""
        self._last.clear()
        self._rows_that_day.clear()
        for event in earlier:
            if event.void is None:
                self.remember(event)

    def decide(self, person_id: int, when: datetime) -> str | None:
        """The kind of row due for `person_id` at `when` ("in"/"out"), or None."""
        when = local_time.aware(when)
        last = self._last.get(person_id)
        if last is None or last.date() != when.date():
            return "in"
        if self.cooldown is None or when - last < self.cooldown:
            return None
        return "in" if self._rows_that_day[person_id] % 2 == 0 else "out"

    def remember(self, event: AttendanceEvent) -> None:
        """Account for a row that was written, here or at another door (whose rows may be
        heard of out of time order: the last row stays the latest one)."""
        last = self._last.get(event.person_id)
        when = event.moment
        same_day = last is not None and last.date() == when.date()
        if same_day or last is None or when > last:
            self._rows_that_day[event.person_id] = (
                self._rows_that_day.get(event.person_id, 0) + 1 if same_day else 1)
        if last is None or when > last:
            self._last[event.person_id] = when
