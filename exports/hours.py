"""Working hours: which week days a group (or the site) expects people, from when, with how
many minutes of grace, and until when; and the rules that follow from them.

- *Expected* on a day: the day is one of the hours' week days. A person in several groups
  is expected when any of them expects them that day.
- *Late*: the first arrival is at least one whole minute past start + grace, measured
  against the earliest start (plus that group's grace) among the groups expecting the
  person that day. Minutes late count from the start itself, not from the end of grace:
  "arrived 08:12, start 08:00, grace 10" is 12 minutes late.

Plain values and functions (no store, no workbook), so the command line, the settings and
the reports word and check hours the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from exports.days_off import DaysOff, Leave
from exports.words import _

WEEK_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Week days as people type them, Monday first (date.weekday()'s order)."""
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_clock(text: str) -> time:
    """'08:30' -> time(8, 30); ValueError with one line for '25:00', '8h' or ''."""
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(_("{text} is not a time of day; write it as HH:MM, e.g. 08:30").format(
            text=repr(text))) from None


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri' -> {0..4}; 'mon,wed,fri', 'sat-sun', 'fri-mon' (wrapping the week) too.

    Week days by their first three letters in any case; a list of days and ranges joined
    by commas. ValueError with one line for anything else or for no day at all.
    """
    def day(name: str) -> int:
        key = name.strip().lower()
        for number, full in enumerate(_FULL_NAMES):
            if key in (full, full[:3]):
                return number
        raise ValueError(_("{text} is not a list of week days; write e.g. mon-fri or "
                           "mon,wed,fri").format(text=repr(text)))

    days: set[int] = set()
    for part in text.split(","):
        first, dash, last = part.partition("-")
        start = day(first)
        end = day(last) if dash else start
        days.update((start + step) % 7 for step in range((end - start) % 7 + 1))
    return frozenset(days)


def days_text(days: Iterable[int]) -> str:
    """{0, 1, 2, 3, 4} -> 'mon-fri'; {0, 2, 4} -> 'mon,wed,fri': what parse_days reads."""
    chosen = sorted(set(days))
    runs: list[list[int]] = []
    for number in chosen:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ",".join(WEEK_DAYS[run[0]] if len(run) == 1 else
                    f"{WEEK_DAYS[run[0]]}-{WEEK_DAYS[run[-1]]}" for run in runs) or "none"


def check_grace(minutes: int) -> int:
    """The grace minutes, refused with one line when negative or over a day."""
    if not 0 <= minutes <= 24 * 60:
        raise ValueError(_("grace must be 0 to 1440 minutes, not {minutes}").format(
            minutes=minutes))
    return minutes


@dataclass(frozen=True)
class Hours:
    """A group's (or the site's) hours: week days (0 = Monday), start (None: nobody is
    late, the site's hours while attendance.start_time is empty), grace in minutes, and an
    end (None: no end of day is checked)."""

    days: frozenset[int]
    start: time | None
    grace: int = 0
    end: time | None = None

    def expects(self, day: date) -> bool:
        """Whether people with these hours are expected on `day`."""
        return day.weekday() in self.days

    def describe(self) -> str:
        """'mon-fri 08:00 (+10 min) to 16:00', as `group list` shows them."""
        until = f" to {self.end:%H:%M}" if self.end else ""
        start = "no start" if self.start is None else f"{self.start:%H:%M}"
        return f"{days_text(self.days)} {start} (+{self.grace} min){until}"


def expected_hours(hours: Iterable[Hours], day: date) -> Hours | None:
    """Of a person's hours (one per group, or the site's default), those they are judged by
    on `day`: the earliest start among those expecting them then; None when none does."""
    expecting = [h for h in hours if h.expects(day)]
    return min(expecting, key=lambda h: (h.start is None, h.start or time(0), h.grace),
               default=None)


def minutes_late(arrived: time, hours: Hours) -> int:
    """Whole minutes from the start to `arrived` when past start + grace, else 0."""
    def seconds(moment: time) -> int:
        return moment.hour * 3600 + moment.minute * 60 + moment.second

    if hours.start is None:
        return 0
    late = (seconds(arrived) - seconds(hours.start)) // 60
    return late if late >= 1 and late > hours.grace else 0


EVERY_DAY = frozenset(range(7))


@dataclass(frozen=True)
class NamedGroup:
    """A group as the reports split by it: its name, hours and members' person ids."""

    name: str
    hours: Hours
    members: frozenset[int]


@dataclass(frozen=True)
class Schedule:
    """Whom the reports expect when: each person's groups' hours, and the site's hours
    for people in no group (attendance.start_time, default_days, grace_minutes), less
    the closed days and leave of `days_off` (exports.days_off).

    people: person id -> the hours of each group they belong to (people in no group are
    left out); groups: the groups by name, for the reports split per group; member_of:
    person id -> their groups, so a group's closed day spares its members."""

    site: Hours = Hours(EVERY_DAY, None)
    people: Mapping[int, Sequence[Hours]] = field(default_factory=dict)
    groups: Sequence[NamedGroup] = ()
    member_of: Mapping[int, Sequence[NamedGroup]] = field(default_factory=dict)
    days_off: DaysOff = field(default_factory=DaysOff)
    _judged: dict[tuple[int, int, date], Hours | None] = field(
        default_factory=dict, init=False, compare=False, repr=False)
    """The hours judging lateness per day and set of groups (late_by): a month's reports
    ask it of every arrival, and people share a few sets of groups (of_groups)."""

    @classmethod
    def of_groups(cls, site: Hours, groups: Sequence[NamedGroup],
                  days_off: DaysOff | None = None) -> Schedule:
        """The schedule of `groups` (in the order reports list them), the site's hours for
        everyone else, and the calendar's closed days and leave."""
        member_of: dict[int, list[NamedGroup]] = {}
        for group in groups:
            for person in group.members:
                member_of.setdefault(person, []).append(group)
        shared: dict[tuple[int, ...], list[NamedGroup]] = {}  # one list per set of groups
        member_of = {person: shared.setdefault(tuple(map(id, found)), found)
                     for person, found in member_of.items()}
        hours = {id(found): [group.hours for group in found] for found in shared.values()}
        people = {person: hours[id(found)] for person, found in member_of.items()}
        return cls(site, people, tuple(groups), member_of, days_off or DaysOff())

    @classmethod
    def starting_at(cls, start: time | None) -> Schedule:
        """The site's hours alone, every day from `start` with no grace: the rule from
        before groups, which a report given a bare start time follows."""
        return cls(Hours(EVERY_DAY, start))

    def hours_of(self, person_id: int) -> Sequence[Hours]:
        """The hours a person follows: their groups', or the site's."""
        return self.people.get(person_id) or (self.site,)

    def open_hours(self, person_id: int, day: date) -> list[Hours]:
        """The person's hours expecting them on `day` whose group (or the site) is open."""
        if self.days_off.site_closed(day) is not None:
            return []
        groups = self.member_of.get(person_id)
        if not groups:
            return [hours for hours in self.hours_of(person_id) if hours.expects(day)]
        return [group.hours for group in groups if group.hours.expects(day)
                and self.days_off.group_closed(group.name, day) is None]

    def closed_for(self, person_id: int, day: date) -> str | None:
        """The name of the closure that keeps the person home on `day` (their hours
        expect them, but the site or every such group of theirs is closed), else None."""
        if day not in self.days_off.closing_days:
            return None
        site = self.days_off.site_closed(day)
        if site is not None:
            return site if any(h.expects(day) for h in self.hours_of(person_id)) else None
        expecting = [g for g in self.member_of.get(person_id, ()) if g.hours.expects(day)]
        names = [self.days_off.group_closed(group.name, day) for group in expecting]
        return names[0] if names and all(names) else None

    def expects(self, person_id: int, day: date) -> bool:
        """Whether the person is expected on `day`: any of their hours expects them and
        that group (or the site) is open. A person on leave is expected, and excused."""
        return bool(self.open_hours(person_id, day))

    def excused(self, person_id: int, day: date) -> Leave | None:
        """The person's leave on `day` when they are expected then, else None."""
        leave = self.days_off.leave_of(person_id, day)
        return leave if leave is not None and self.expects(person_id, day) else None

    def late_by(self, person_id: int, day: date, arrived: time) -> int:
        """Minutes late of a first arrival at `arrived` on `day` (0: on time, not expected
        that day, closed for them or on leave), against the earliest start expecting them."""
        if self.days_off.leave_of(person_id, day) is not None:
            return 0
        # Whose hours are the same object judge alike: asked once per day and object.
        key = (id(self.member_of.get(person_id)), id(self.people.get(person_id)), day)
        if key not in self._judged:
            self._judged[key] = expected_hours(self.open_hours(person_id, day), day)
        judged = self._judged[key]
        return 0 if judged is None else minutes_late(arrived, judged)

    @property
    def reports_late(self) -> bool:
        """Whether anyone can be late: the site or some group has a start."""
        return self.site.start is not None or bool(self.people)


def late_text(minutes: int) -> str:
    """"9 min", "1 h 05 min": lateness as people read it (never "549 min"), in the
    workbook's language (the same as the app's: the messages and commands use it too)."""
    if minutes < 60:
        # Translators: minutes late, abbreviated as on a time card: "9 min".
        return _("{minutes} min").format(minutes=minutes)
    # Translators: hours and minutes late: "1 h 05 min".
    return _("{hours} h {minutes:02d} min").format(hours=minutes // 60, minutes=minutes % 60)
