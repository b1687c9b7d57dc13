"""One group's share of a report: what a class teacher or a department head prints.

The report is computed for the whole site first and then narrowed, rather than computed
again from the group's rows alone, so each figure stays the site's: a day is open when
anybody of the site came (a class with nobody in is absent, not closed), and a person in
two groups is late by the same minutes on both groups' reports (against the earliest
start expecting them, exports.hours).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar

from exports.by_group import NO_GROUP, DayLine
from exports.hours import NamedGroup
from exports.reports import PeriodReport, day_totals
from exports.rows import AttendanceRow
from exports.words import _

_Line = TypeVar("_Line", bound=DayLine)


def group_names(report: PeriodReport) -> list[str]:
    """The groups a report can be narrowed to, in the report's order, "No group" last;
    none at a site without groups."""
    names = [group.name for group in report.schedule.groups]
    return [*names, NO_GROUP] if names else []


def _find(report: PeriodReport, name: str) -> NamedGroup | None:
    """The group called `name` in any letter case (as the command line finds groups)."""
    return next((group for group in report.schedule.groups
                 if group.name.casefold() == name.casefold()), None)


def _members(report: PeriodReport, name: str) -> frozenset[int]:
    """The person ids of group `name`; for "No group", everyone in the report in none.
    ValueError naming the groups there are, for a name that is none of them."""
    groups = report.schedule.groups
    group = _find(report, name)
    if group is not None:
        return group.members
    if name.casefold() == NO_GROUP.casefold() and groups:
        grouped = frozenset().union(*(group.members for group in groups))
        seen = {line.person_id for line in (*report.daily, *report.absent, *report.timesheet)}
        return frozenset(seen - grouped)
    known = ", ".join(group_names(report)) or _("none: this site has no groups")
    raise ValueError(_("there is no group {name} (groups: {known})").format(
        name=repr(name), known=known))


def _closed(report: PeriodReport, group: NamedGroup | None) -> dict[date, str]:
    """The days of the period the site, or `group` itself, was closed on which the group
    would meet, with the closure's name ("No group": the site's closures alone)."""
    meets = group.hours.expects if group is not None else report.schedule.site.expects
    days_off = report.schedule.days_off
    return {day: why for day in report.days if meets(day) and (
        why := report.closed.get(day)
        or (days_off.group_closed(group.name, day) if group is not None else None))}


def only_group(rows: Sequence[AttendanceRow], report: PeriodReport,
               name: str) -> tuple[list[AttendanceRow], PeriodReport]:
    """The rows and the report of group `name` alone ("No group": the people in none).

    Its days are the site's open days on which the group meets and it is not closed (as
    exports.by_group lists a group on its week days only: a class's report leaves out its
    pupils' Saturday choir); its lists and totals count its members on those days (a
    member expected by another group on a day their own group is closed is that group's
    absent, not this one's); its closed days are the site's and its own, with who came
    anyway; its Timesheet keeps each member's whole period; its schedule names this group
    only, so lists split per group show it alone. ValueError for a group the report does
    not know.
    """
    members = _members(report, name)
    group = _find(report, name)
    meets = group.hours.expects if group is not None else report.schedule.site.expects
    closed = _closed(report, group)
    open_days = [day for day in report.open_days if meets(day) and day not in closed]
    days = set(open_days)

    def ours(lines: Sequence[_Line], on: set[date]) -> list[_Line]:
        return [line for line in lines if line.person_id in members and line.day in on]

    daily = ours(report.daily, days | set(closed))
    absent, late, excused = (ours(lines, days)
                             for lines in (report.absent, report.late, report.excused))
    schedule = replace(report.schedule,
                       people={person: hours for person, hours in report.schedule.people.items()
                               if person in members},
                       groups=(group,) if group is not None else (),
                       member_of={person: groups for person, groups
                                  in report.schedule.member_of.items() if person in members})
    narrowed = replace(
        report, open_days=open_days, daily=daily, absent=absent, late=late, excused=excused,
        closed=closed,
        totals=day_totals(open_days, closed, daily, absent, late, excused),
        timesheet=[line for line in report.timesheet if line.person_id in members],
        schedule=schedule)
    return [row for row in rows if row.person_id in members], narrowed
