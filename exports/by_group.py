"""A day's report split per group: who of each group came, stayed away and came late.

A group is listed on its week days only (a Saturday club is not on Wednesday's list). A
person in two groups meeting that day is listed in both (late by the same minutes:
against the earliest start expecting them that day).
People in no group form one more group, "No group", with the site's hours; a site with no
groups at all has one, "Everyone", so what reads the list (the daily summary's receivers)
needs no other shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol, TypeVar

from exports.hours import NamedGroup
from exports.reports import ExcusedLine, LateLine, PeriodReport
from exports.words import N_


class DayLine(Protocol):
    """A line of a report about one person on one day (absent, excused, late, came)."""

    @property
    def day(self) -> date: ...
    @property
    def person_id(self) -> int: ...


_Line = TypeVar("_Line", bound=DayLine)

EVERYONE = N_("Everyone")
NO_GROUP = N_("No group")


@dataclass(frozen=True)
class GroupDay:
    """One group's figures on one day; names in alphabetical order, late by arrival;
    closed: the name of the group's (or the site's) closure that day, else None."""

    group: str
    present: list[str]
    absent: list[str]
    late: list[LateLine]
    excused: list[ExcusedLine] = field(default_factory=list)
    closed: str | None = None


def _rest(report: PeriodReport) -> NamedGroup | None:
    """The people in no group, with the site's hours (None when nobody is in a group)."""
    groups = report.schedule.groups
    if not groups:
        return None
    grouped = frozenset().union(*(group.members for group in groups))
    everyone = {line.person_id for line in (*report.daily, *report.absent, *report.excused)}
    return NamedGroup(NO_GROUP, report.schedule.site, frozenset(everyone - grouped))


def group_days(report: PeriodReport, day: date) -> list[GroupDay]:
    """The figures on `day` of the groups meeting then, by name, "No group" last (when
    anybody is in none); one "Everyone" when the site has no groups."""
    rest = _rest(report)
    site_closed = report.closed.get(day)
    if rest is None:
        return [GroupDay(EVERYONE, sorted(line.name for line in report.daily if line.day == day),
                         sorted(line.name for line in report.absent if line.day == day),
                         [line for line in report.late if line.day == day],
                         [line for line in report.excused if line.day == day], site_closed)]
    groups = [group for group in (*report.schedule.groups, *([rest] if rest.members else []))
              if group.hours.expects(day)]
    return [_group_day(report, group, day, site_closed or (
        None if group is rest else report.schedule.days_off.group_closed(group.name, day)))
        for group in groups]


def _group_day(report: PeriodReport, group: NamedGroup, day: date,
               closed: str | None) -> GroupDay:
    """`group`'s figures on `day`; none absent or excused when it is closed (a member
    expected by another group that day is listed there)."""
    def mine(lines: list[_Line]) -> list[_Line]:
        return [line for line in lines if line.day == day and line.person_id in group.members]

    return GroupDay(group.name, sorted(line.name for line in mine(report.daily)),
                    [] if closed else sorted(line.name for line in mine(report.absent)),
                    mine(report.late), [] if closed else mine(report.excused), closed)
