"""Who was there on which day, condensed from the individual events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from exports.rows import AttendanceRow


@dataclass(frozen=True)
class DailyLine:
    """One person on one day: the question most readers of the workbook ask."""

    day: date
    name: str
    person_id: int
    first_seen: time
    last_seen: time
    events: int


def daily_summary(rows: Iterable[AttendanceRow]) -> list[DailyLine]:
    """One line per (day, person), ordered by day then arrival.

    The name is taken from the person's latest event that day, so a renamed person
    shows under their current name.
    """
    groups: dict[tuple[date, int], list[AttendanceRow]] = {}
    for row in rows:
        groups.setdefault((row.timestamp.date(), row.person_id), []).append(row)
    lines = []
    for (day, person_id), events in groups.items():
        if len(events) > 1:  # most people come once a day: nothing to sort
            events.sort(key=lambda row: row.instant)
        lines.append(DailyLine(day, events[-1].name, person_id, events[0].timestamp.time(),
                               events[-1].timestamp.time(), len(events)))
    return sorted(lines, key=lambda line: (line.day, line.first_seen, line.person_id))
