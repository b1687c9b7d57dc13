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
from exports.words import _


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
    """'08:12', or '08:12–16:30' with the last departure (hour and minute read directly:
    strftime costs several times more, once per person and day of a month)."""
    first = events[0].timestamp
    text = f"{first.hour:02d}:{first.minute:02d}"
    departures = [row for row in events if row.kind == "out"]
    if not departures:
        return text
    last = departures[-1].timestamp
    return f"{text}–{last.hour:02d}:{last.minute:02d}"


ABSENT_DAY = "absent"
"""A Timesheet day the person was expected and did not come."""
LEAVE = "leave"
"""A Timesheet day on leave (excused)."""
CLOSED = "closed"
"""A Timesheet day the person's site or group was closed.

These three are the reports' own words, in English whatever the language (the web API and
the tests read them); a sheet shows them translated (exports.tables)."""


def _timesheet(came: dict[int, dict[date, str]], worked: dict[int, list[float]],
               names: dict[int, str], away: Iterable[AbsentLine | ExcusedLine],
               late: Iterable[LateLine], days: Sequence[date],
               schedule: Schedule) -> list[TimesheetLine]:
    """One line per person who came, was absent or excused in the period; the days their
    site or group was closed say so (only on those lines: a closure adds no person).
    came: each person's text of each day they came; worked: their hours of those days."""
    late_days = Counter(line.person_id for line in late)
    days_away: dict[int, dict[date, str]] = defaultdict(dict)
    for line in away:
        days_away[line.person_id][line.day] = ABSENT_DAY if isinstance(line, AbsentLine) else LEAVE
        names.setdefault(line.person_id, line.name)
    closing = [day for day in days if day in schedule.days_off.closing_days]
    lines = []
    for person_id, name in names.items():
        present = came.get(person_id, {})
        texts = {day: CLOSED for day in closing if schedule.closed_for(person_id, day)}
        texts.update(days_away[person_id])
        texts.update(present)
        hours = worked.get(person_id)
        lines.append(TimesheetLine(name, person_id, texts, len(present), late_days[person_id],
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


@dataclass(frozen=True)
class _Day:
    """One day's share of a period's reports, a function of that day's counted rows (as
    given: the key it is kept under), the roster, the hours and the calendar."""

    rows: list[AttendanceRow]
    daily: list[DailyLine]
    absent: list[AbsentLine]
    excused: list[ExcusedLine]
    late: list[LateLine]
    names: dict[int, str]
    texts: dict[int, str]
    hours: dict[int, float]


class ReportDays:
    """The days of a period's reports as last computed, kept by a writer between saves of
    one month (exports.sheet_cache keeps its sheets): a day whose rows are as then, under
    the same roster, hours and calendar, is not computed again; the first day that differs
    (today, at an arrival) is. A rename, a group or a calendar change starts afresh."""

    def __init__(self) -> None:
        self._basis: tuple[object, ...] | None = None
        self.days: dict[date, _Day] = {}
        self.computed = 0
        """How many days the last report computed (for tests and measurements)."""

    def kept_for(self, roster: Sequence[RosterEntry], schedule: Schedule) -> dict[date, _Day]:
        """The days kept, emptied when the roster, the hours or the calendar changed."""
        basis = (tuple(roster), schedule.site, tuple(schedule.groups),
                 tuple((person, tuple(hours)) for person, hours in schedule.people.items()),
                 tuple((person, tuple(groups)) for person, groups in schedule.member_of.items()),
                 schedule.days_off.closed, schedule.days_off.leave)
        if basis != self._basis:
            self._basis, self.days = basis, {}
        return self.days


def _day(day: date, given: list[AttendanceRow], people: Sequence[RosterEntry],
         schedule: Schedule, is_open: bool) -> _Day:
    """The reports of `day` from its counted rows (`is_open`: the site not closed)."""
    rows = sorted(given, key=lambda row: (row.instant, row.event_id))
    by_person: dict[int, list[AttendanceRow]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    daily = daily_summary(rows)
    absent, excused = _away_lines([day] if is_open else [], people,
                                  {(day, person) for person in by_person}, schedule)
    return _Day(given, daily, absent, excused, _late_lines(daily, schedule),
                {person: events[-1].name for person, events in by_person.items()},
                {person: _day_text(events) for person, events in by_person.items()},
                {person: hours for person, events in by_person.items()
                 if (hours := _hours_present(events)) is not None})


def period_report(rows: Iterable[AttendanceRow], roster: Iterable[RosterEntry],
                  days: Sequence[date], hours: Schedule | time | None,
                  cache: ReportDays | None = None) -> PeriodReport:
    """All reports over `days` from that period's events and the current roster.

    hours: whom to expect when (a Schedule); a bare start time (or None) is the site's
    start for everyone, every day, with no grace: the rule from before groups. cache:
    the days as the last report of the same period computed them (ReportDays).

    Events outside `days` and voided events are ignored. Every report shows enrolled
    people under their current name (with_current_names); people no longer enrolled
    still appear on the days they came (under the name on their last event), never as
    absent.
    """
    schedule = hours if isinstance(hours, Schedule) else Schedule.starting_at(hours)
    wanted = set(days)
    roster = list(roster)
    by_day: dict[date, list[AttendanceRow]] = defaultdict(list)
    for row in with_current_names(rows, roster):
        if row.void is None and (day := row.timestamp.date()) in wanted:
            by_day[day].append(row)
    closed = {day: name for day in days
              if (name := schedule.days_off.site_closed(day)) is not None}
    people = sorted(roster, key=lambda entry: (entry.name.casefold(), entry.person_id))
    kept = {} if cache is None else cache.kept_for(roster, schedule)
    parts, computed = [], 0
    for day, given in sorted(by_day.items()):
        part = kept.get(day)
        if part is None or part.rows != given:
            part, computed = _day(day, given, people, schedule, day not in closed), computed + 1
        parts.append(part)
    if cache is not None:
        cache.days, cache.computed = dict(zip(sorted(by_day), parts, strict=True)), computed
    daily = [line for part in parts for line in part.daily]
    absent = [line for part in parts for line in part.absent]
    excused = [line for part in parts for line in part.excused]
    late = [line for part in parts for line in part.late]
    open_days = sorted(set(by_day) - set(closed))
    names: dict[int, str] = {}
    came: dict[int, dict[date, str]] = defaultdict(dict)
    worked: dict[int, list[float]] = defaultdict(list)
    for day, part in zip(sorted(by_day), parts, strict=True):
        names.update(part.names)
        for person, text in part.texts.items():
            came[person][day] = text
        for person, spent in part.hours.items():
            worked[person].append(spent)
    totals = day_totals(open_days, closed, daily, absent, late, excused)
    return PeriodReport(list(days), open_days, daily, absent, late, totals,
                        _timesheet(came, worked, names, [*absent, *excused], late, days,
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
        raise ValueError(_("{text} is not a time of day; write it as HH:MM, e.g. 08:30").format(
            text=repr(text))) from None
