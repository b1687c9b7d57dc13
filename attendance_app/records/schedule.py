"""Whom the reports expect when: the groups' hours from the face store and the site's
hours from the settings, as one exports.hours.Schedule.

Read again for each report or save (one query for the groups, one for who is in them,
two for the calendar), so a group created, a person assigned, a holiday or a leave added
while the door runs counts in the next save.
"""

from __future__ import annotations

from attendance_app.config.settings import AttendanceConfig
from enrolment import DaysOffBook, Group, GroupBook
from exports.days_off import ClosedSpan, DaysOff, Leave
from exports.hours import Hours, NamedGroup, Schedule, parse_clock, parse_days
from exports.reports import parse_start_time


def group_hours(group: Group) -> Hours:
    """A stored group's hours (enrolment.groups keeps them as plain columns)."""
    return Hours(frozenset(day for day in range(7) if group.days >> day & 1),
                 parse_clock(group.start), group.grace,
                 parse_clock(group.end) if group.end else None)


def site_hours(config: AttendanceConfig) -> Hours:
    """The hours of people in no group: attendance.default_days, start_time (empty: never
    late) and grace_minutes."""
    return Hours(parse_days(config.default_days), parse_start_time(config.start_time),
                 config.grace_minutes)


def schedule_of(book: GroupBook | None, config: AttendanceConfig) -> Schedule:
    """The site's hours, each group's hours and members, groups by name, and the
    calendar (no book: nobody is in a group and nothing is closed, e.g. before any face
    store exists)."""
    if book is None:
        return Schedule(site_hours(config))
    members: dict[int, set[int]] = {}
    for person, groups in book.memberships().items():
        for group in groups:
            members.setdefault(group, set()).add(person)
    return Schedule.of_groups(site_hours(config), [
        NamedGroup(group.name, group_hours(group), frozenset(members.get(group.group_id, ())))
        for group in book.groups()], days_off(DaysOffBook(book.store)))


def days_off(book: DaysOffBook) -> DaysOff:
    """The store's closed days and leave, as the reports read them."""
    return DaysOff([ClosedSpan(c.first, c.last, c.name, c.group) for c in book.closures()],
                   [Leave(entry.person_id, entry.first, entry.last, entry.reason)
                    for entry in book.leave()])
