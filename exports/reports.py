"""The reports people ask of an attendance sheet, computed from one period's events.

Everything here works on the events of one month (or one day) plus the roster of
enrolled people, so a report costs that period, never the whole history. Definitions,
which docs/user-guide.md, "The sheets" repeats for the people reading the workbook:

- A day is *open* when anybody arrived that day and the site is not closed then (the
  calendar: exports.days_off). A day nobody came lists nobody as absent, in the calendar
  or not: a camera that was off must not mark everybody absent.
- *Absent*: enrolled (on or before that day), expected that day (one of their groups'
  week days, or the site's for people in no group, less their group's closed days:
  exports.hours.Schedule), not on leave and no event on an open day.
- *Excused*: the same, but on leave that day (with its reason).
- *Late*: the first event of the day is past start + grace of the earliest start among
  the groups expecting the person that day (the site's hours for people in no group);
  minutes late count from the start.
- *Hours*: the sum of each "in" to the next "out" that day, in real elapsed time (across a
  daylight saving change too: AttendanceRow.instant); none when no "out" is logged (one
  row per day, the default, logs arrivals only).
- A voided row (AttendanceRow.void) counts for nothing: not present, not late, no hours.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from exports.hours import Schedule
from exports.rows import AttendanceRow
from exports.summary import DailyLine, daily_summary


@dataclass(frozen=True)
class RosterEntry:
    """An enrolled person as the reports need them: who, and since which day."""

    person_id: int
    name: str
    enrolled_on: date


@dataclass(frozen=True)
class AbsentLine:
    """An enrolled person who did not come on an open day."""

    day: date
    name: str
    person_id: int


@dataclass(frozen=True)
class ExcusedLine:
    """An enrolled person on leave who did not come on an open day they were expected."""

    day: date
    name: str
    person_id: int
    reason: str


@dataclass(frozen=True)
class LateLine:
    """A first arrival past start + grace; minutes_late is in whole minutes from the start."""

    day: date
    name: str
    person_id: int
    arrived: time
    minutes_late: int


@dataclass(frozen=True)
class DayTotals:
    """How many people came, stayed away, came late and were excused on one open day, or
    on a day the site was closed (`closed`: the closure's name; present: who came anyway)."""

    day: date
    present: int
    absent: int
    late: int
    excused: int = 0
    closed: str | None = None


@dataclass(frozen=True)
class TimesheetLine:
    """One person over the period: a text per day, and their totals.

    days maps a day to "08:12" (first arrival), "08:12–16:30" (first arrival to last
    departure), "absent" (an open day they were expected and did not come), LEAVE (on
    leave then) or CLOSED (their site or group was closed); other days are left out.
    hours is None when no departure was logged.
    """

    name: str
    person_id: int
    days: dict[date, str]
    days_present: int
    days_late: int
    hours: float | None


@dataclass(frozen=True)
class PeriodReport:
    """Every report of one period (the calendar days in `days`), by `schedule`'s hours;
    start_time is the site's start (None: people in no group are never late)."""

    days: list[date]
    open_days: list[date]
    daily: list[DailyLine]
    absent: list[AbsentLine]
    late: list[LateLine]
    totals: list[DayTotals]
    timesheet: list[TimesheetLine]
    start_time: time | None = None
    schedule: Schedule = Schedule()
    excused: list[ExcusedLine] = field(default_factory=list)
    closed: dict[date, str] = field(default_factory=dict)
    """The days of the period the site was closed, with the closure's name."""

    @property
    def reports_late(self) -> bool:
        """Whether lateness is reported at all (a start for the site or some group)."""
        return self.schedule.reports_late


def _hours_present(events: Sequence[AttendanceRow]) -> float | None:
    """Hours from each "in" to the following "out" (events sorted by time); None if no "out"."""
    if not any(row.kind == "out" for row in events):
        return None
    total, came_in = 0.0, None
    for row in events:
        if row.kind == "in" and came_in is None:
            came_in = row.instant
        elif row.kind == "out" and came_in is not None:
            total += (row.instant - came_in).total_seconds() / 3600
            came_in = None
    return total


def _late_lines(daily: Iterable[DailyLine], schedule: Schedule) -> list[LateLine]:
    if not schedule.reports_late:
        return []
    lines = [LateLine(line.day, line.name, line.person_id, line.first_seen,
                      schedule.late_by(line.person_id, line.day, line.first_seen))
             for line in daily]
    return [line for line in lines if line.minutes_late >= 1]


def _away_lines(open_days: Iterable[date], roster: Iterable[RosterEntry],
               present: set[tuple[date, int]],
               schedule: Schedule) -> tuple[list[AbsentLine], list[ExcusedLine]]:
    """Who was expected on an open day and did not come: absent, or excused (on leave)."""
    people = sorted(roster, key=lambda entry: (entry.name.casefold(), entry.person_id))
    absent, excused = [], []
    for day in open_days:
        for entry in people:
            if (entry.enrolled_on > day or (day, entry.person_id) in present
                    or not schedule.expects(entry.person_id, day)):
                continue
            leave = schedule.days_off.leave_of(entry.person_id, day)
            if leave is None:
                absent.append(AbsentLine(day, entry.name, entry.person_id))
            else:
                excused.append(ExcusedLine(day, entry.name, entry.person_id, leave.reason))
    return absent, excused


def _day_text(events: Sequence[AttendanceRow]) -> str:
    first = f"{events[0].timestamp:%H:%M}"
    departures = [row for row in events if row.kind == "out"]
    return f"{first}–{departures[-1].timestamp:%H:%M}" if departures else first


LEAVE = "leave"
"""A Timesheet day on leave (excused)."""
CLOSED = "closed"
"""A Timesheet day the person's site or group was closed."""


def _timesheet(rows_by_person_day: dict[int, dict[date, list[AttendanceRow]]],
               names: dict[int, str], away: Iterable[AbsentLine | ExcusedLine],
               late: Iterable[LateLine], days: Sequence[date],
               schedule: Schedule) -> list[TimesheetLine]:
    """One line per person who came, was absent or excused in the period; the days their
    site or group was closed say so (only on those lines: a closure adds no person)."""
    late_days = Counter(line.person_id for line in late)
    days_away: dict[int, dict[date, str]] = defaultdict(dict)
    for line in away:
        days_away[line.person_id][line.day] = "absent" if isinstance(line, AbsentLine) else LEAVE
        names.setdefault(line.person_id, line.name)
    closing = [day for day in days if day in schedule.days_off.closing_days]
    lines = []
    for person_id, name in names.items():
        by_day = rows_by_person_day.get(person_id, {})
        texts = {day: CLOSED for day in closing if schedule.closed_for(person_id, day)}
        texts.update(days_away[person_id])
        texts.update((day, _day_text(events)) for day, events in by_day.items())
        hours = [h for h in (_hours_present(events) for events in by_day.values()) if h is not None]
        lines.append(TimesheetLine(name, person_id, texts, len(by_day), late_days[person_id],
                                   round(sum(hours), 2) if hours else None))
    return sorted(lines, key=lambda line: (line.name.casefold(), line.person_id))


def day_totals(open_days: Iterable[date], closed: dict[date, str],
               daily: Iterable[DailyLine], absent: Iterable[AbsentLine],
               late: Iterable[LateLine], excused: Iterable[ExcusedLine]) -> list[DayTotals]:
    """Each open day's and each closed day's totals, by day: a closed day counts who came
    anyway and nobody absent, late or excused. Shared by a site's report and one group's
    share of it (exports.group_filter), so both count alike."""
    came, away, behind, on_leave = (Counter(line.day for line in lines)
                                    for lines in (daily, absent, late, excused))
    return sorted([DayTotals(day, came[day], away[day], behind[day], on_leave[day])
                   for day in open_days]
                  + [DayTotals(day, came[day], 0, 0, 0, name) for day, name in closed.items()],
                  key=lambda totals: totals.day)


def with_current_names(rows: Iterable[AttendanceRow],
                       roster: Iterable[RosterEntry]) -> list[AttendanceRow]:
    """`rows` with each enrolled person's name as the roster has it now.

    The journal keeps the name a row was logged under; the person id links the rows to
    the person, so after a rename every sheet and report shows the new name (readers
    look a person up by name). People no longer enrolled keep the logged name. Only rows
    whose name differs are copied, so a month without renames costs one pass.
    """
    current = {entry.person_id: entry.name for entry in roster}
    return [row if current.get(row.person_id, row.name) == row.name
            else replace(row, name=current[row.person_id]) for row in rows]


def period_report(rows: Iterable[AttendanceRow], roster: Iterable[RosterEntry],
                  days: Sequence[date], hours: Schedule | time | None) -> PeriodReport:
    """All reports over `days` from that period's events and the current roster.

    hours: whom to expect when (a Schedule); a bare start time (or None) is the site's
    start for everyone, every day, with no grace: the rule from before groups.

    Events outside `days` and voided events are ignored. Every report shows enrolled
    people under their current name (with_current_names); people no longer enrolled
    still appear on the days they came (under the name on their last event), never as
    absent.
    """
    schedule = hours if isinstance(hours, Schedule) else Schedule.starting_at(hours)
    wanted = set(days)
    roster = list(roster)
    rows = sorted((row for row in with_current_names(rows, roster)
                   if row.timestamp.date() in wanted and row.void is None),
                  key=lambda row: (row.instant, row.event_id))
    by_person_day: dict[int, dict[date, list[AttendanceRow]]] = defaultdict(dict)
    names: dict[int, str] = {}
    for row in rows:
        by_person_day[row.person_id].setdefault(row.timestamp.date(), []).append(row)
        names[row.person_id] = row.name
    daily = daily_summary(rows)
    closed = {day: name for day in days
              if (name := schedule.days_off.site_closed(day)) is not None}
    open_days = sorted({line.day for line in daily} - set(closed))
    present = {(line.day, line.person_id) for line in daily}
    absent, excused = _away_lines(open_days, roster, present, schedule)
    late = _late_lines(daily, schedule)
    totals = day_totals(open_days, closed, daily, absent, late, excused)
    return PeriodReport(list(days), open_days, daily, absent, late, totals,
                        _timesheet(by_person_day, names, [*absent, *excused], late, days,
                                   schedule),
                        schedule.site.start, schedule, excused, closed)


def parse_start_time(text: str) -> time | None:
    """'08:30' -> time(8, 30); '' -> None (late arrivals not reported).

    ValueError for anything else, so a typo in the setting is refused, not ignored.
    """
    if not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day; write it as HH:MM, e.g. 08:30") from None
