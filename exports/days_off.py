"""Closed days and leave as the reports read them: which days the site or a group is
closed (and the closure's name), and which person is on leave when (and why).

- A day the site is closed expects nobody; a day a group is closed expects none of its
  members (a person in another group meeting that day is still expected there).
- A person on leave is *excused*: expected, not absent, not late.
- Whoever comes anyway is present, never late (exports.hours.Schedule).

Plain values, so the reports know nothing of where the calendar is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ClosedSpan:
    """Days `first` to `last` (included) closed, for the site (group None) or one group."""

    first: date
    last: date
    name: str
    group: str | None = None

    def days(self) -> list[date]:
        """Every day of the span."""
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class Leave:
    """A person's leave, `first` to `last` included, with its reason."""

    person_id: int
    first: date
    last: date
    reason: str


class DaysOff:
    """The closures and leave the reports follow, indexed by day for lookups that cost the
    same however long the calendar is (a report asks per person and day)."""

    def __init__(self, closed: Iterable[ClosedSpan] = (), leave: Iterable[Leave] = ()) -> None:
        self.closed = tuple(closed)
        self.leave = tuple(leave)
        self._site: dict[date, str] = {}
        self._groups: dict[tuple[str, date], str] = {}
        for span in self.closed:
            for day in span.days():
                if span.group is None:
                    self._site.setdefault(day, span.name)
                else:
                    self._groups.setdefault((span.group.casefold(), day), span.name)
        self.closing_days = frozenset(self._site) | {day for _, day in self._groups}
        """Every day closed for the site or some group."""
        self._leave: dict[int, list[Leave]] = {}
        for entry in self.leave:
            self._leave.setdefault(entry.person_id, []).append(entry)

    def site_closed(self, day: date) -> str | None:
        """The name of the site's closure on `day`, or None."""
        return self._site.get(day)

    def group_closed(self, group: str, day: date) -> str | None:
        """The name of `group`'s own closure on `day`, or None."""
        return self._groups.get((group.casefold(), day))

    def leave_of(self, person_id: int, day: date) -> Leave | None:
        """The person's leave holding `day`, or None."""
        return next((entry for entry in self._leave.get(person_id, ())
                     if entry.first <= day <= entry.last), None)
