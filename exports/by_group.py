"""A day's report split per group: who of each group came, stayed away and came late.

A group is listed on its week days only (a Saturday club is not on Wednesday's list). A
person in two groups meeting that day is listed in both (late by the same minutes:
against the earliest start expecting them that day).
People in no group form one more group, "No group", with the site's hours; a site with no
groups at all has one, "Everyone", so what reads the list (the daily summary's receivers)
needs no other shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exports.hours import NamedGroup
from exports.reports import LateLine, PeriodReport

EVERYONE = "Everyone"
NO_GROUP = "No group"


@dataclass(frozen=True)
class GroupDay:
    """One group's figures on one day; names in alphabetical order, late by arrival."""

    group: str
    present: list[str]
    absent: list[str]
    late: list[LateLine]


def _rest(report: PeriodReport) -> NamedGroup | None:
    """The people in no group, with the site's hours (None when nobody is in a group)."""
    groups = report.schedule.groups
    if not groups:
        return None
    grouped = frozenset().union(*(group.members for group in groups))
    everyone = {line.person_id for line in (*report.daily, *report.absent)}
    return NamedGroup(NO_GROUP, report.schedule.site, frozenset(everyone - grouped))


def group_days(report: PeriodReport, day: date) -> list[GroupDay]:
    """The figures on `day` of the groups meeting then, by name, "No group" last (when
    anybody is in none); one "Everyone" when the site has no groups."""
    rest = _rest(report)
    if rest is None:
        return [GroupDay(EVERYONE, sorted(line.name for line in report.daily if line.day == day),
                         sorted(line.name for line in report.absent if line.day == day),
                         [line for line in report.late if line.day == day])]
    groups = [group for group in (*report.schedule.groups, *([rest] if rest.members else []))
              if group.hours.expects(day)]
    return [GroupDay(
        group.name,
        sorted(line.name for line in report.daily
               if line.day == day and line.person_id in group.members),
        sorted(line.name for line in report.absent
               if line.day == day and line.person_id in group.members),
        [line for line in report.late if line.day == day and line.person_id in group.members])
        for group in groups]
