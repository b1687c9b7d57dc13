"""One group's share of a report (the Reports dialog's and `report --group`'s): its
members only, figures kept as the site's (a person in two groups late by the same minutes
in both), its own open days, "No group" for the people in none, and a one-line refusal
of a group there is not."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from exports.days_off import ClosedSpan, DaysOff, Leave
from exports.group_filter import group_names, only_group
from exports.hours import Hours, NamedGroup, Schedule, parse_days
from exports.reports import RosterEntry, period_report
from exports.rows import AttendanceRow

WEDNESDAY, SATURDAY = date(2026, 12, 2), date(2026, 12, 5)
ROSTER = [RosterEntry(number, name, date(2026, 1, 1))
          for number, name in enumerate(("Ada", "Bob", "Cyd", "Dee"), start=1)]
CLASS = NamedGroup("Class 3B", Hours(parse_days("mon-fri"), time(9, 0), grace=5),
                   frozenset({1, 2}))
CHOIR = NamedGroup("Choir", Hours(parse_days("wed,sat"), time(8, 0)), frozenset({2}))
SCHEDULE = Schedule.of_groups(Hours(parse_days("mon-fri"), time(8, 30)), [CLASS, CHOIR])


def _row(event_id: int, person: int, day: date, at: time) -> AttendanceRow:
    return AttendanceRow(event_id, datetime.combine(day, at), ROSTER[person - 1].name, person,
                         "Door", 0.4, "in")


ROWS = [_row(1, 1, WEDNESDAY, time(9, 20)), _row(2, 2, WEDNESDAY, time(8, 30)),
        _row(3, 3, WEDNESDAY, time(8, 0)), _row(4, 2, SATURDAY, time(8, 10))]
REPORT = period_report(ROWS, ROSTER, [WEDNESDAY, SATURDAY], SCHEDULE)


def test_a_group_keeps_its_members_and_the_sites_figures() -> None:
    rows, choir = only_group(ROWS, REPORT, "choir")  # any letter case

    assert {row.name for row in rows} == {"Bob"}
    assert [(line.name, line.minutes_late) for line in choir.late] == [("Bob", 30), ("Bob", 10)]
    assert [(t.day, t.present, t.absent) for t in choir.totals] == [(WEDNESDAY, 1, 0),
                                                                     (SATURDAY, 1, 0)]
    assert [group.name for group in choir.schedule.groups] == ["Choir"]

    _, class_3b = only_group(ROWS, REPORT, "Class 3B")
    assert [(line.name, line.minutes_late) for line in class_3b.late] == [("Bob", 30),
                                                                          ("Ada", 20)]
    assert class_3b.open_days == [WEDNESDAY]  # Bob's Saturday is the choir's, not the class's
    assert [(t.day, t.present, t.late) for t in class_3b.totals] == [(WEDNESDAY, 2, 2)]
    assert [line.name for line in class_3b.timesheet] == ["Ada", "Bob"]


def test_no_group_holds_the_people_in_none() -> None:
    rows, rest = only_group(ROWS, REPORT, "No group")
    assert {row.name for row in rows} == {"Cyd"}
    assert [(line.day, line.name) for line in rest.absent] == [(WEDNESDAY, "Dee")]
    assert rest.open_days == [WEDNESDAY]  # the site's hours: no Saturday
    assert [line.name for line in rest.timesheet] == ["Cyd", "Dee"]


def test_a_group_there_is_not_is_refused_in_one_line() -> None:
    assert group_names(REPORT) == ["Class 3B", "Choir", "No group"]
    with pytest.raises(ValueError, match=r"^there is no group 'Band' \(groups: Class 3B, "
                                         r"Choir, No group\)$"):
        only_group(ROWS, REPORT, "Band")
    bare = period_report(ROWS, ROSTER, [WEDNESDAY], time(8, 30))
    with pytest.raises(ValueError, match="none: this site has no groups"):
        only_group(ROWS, bare, "No group")


THURSDAY, FRIDAY, MONDAY = date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 7)


def test_a_group_keeps_its_own_excused_and_closed_days() -> None:
    """Before: a one-group report kept the excused of the whole site, and listed as absent
    a member its own group's closure sent home (expected by another group that day)."""
    days_off = DaysOff([ClosedSpan(FRIDAY, FRIDAY, "Class trip day", "Class 3B"),
                        ClosedSpan(MONDAY, MONDAY, "Snow day")],
                       [Leave(1, THURSDAY, THURSDAY, "dentist"),
                        Leave(4, THURSDAY, THURSDAY, "flu")])
    friday_choir = NamedGroup("Choir", Hours(parse_days("wed,fri,sat"), time(8, 0)),
                              frozenset({2}))
    schedule = Schedule.of_groups(Hours(parse_days("mon-fri"), time(8, 30)),
                                  [CLASS, friday_choir], days_off)
    rows = [*ROWS, *(_row(5 + n, 3, day, time(8, 0))
                     for n, day in enumerate((THURSDAY, FRIDAY, MONDAY)))]
    report = period_report(rows, ROSTER, [WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, MONDAY],
                           schedule)
    assert (FRIDAY, "Bob") in [(line.day, line.name) for line in report.absent]  # the choir's

    _, class_3b = only_group(rows, report, "Class 3B")
    assert [(line.day, line.name, line.reason) for line in class_3b.excused] == [
        (THURSDAY, "Ada", "dentist")]
    assert [(line.day, line.name) for line in class_3b.absent] == [(THURSDAY, "Bob")]
    assert class_3b.closed == {FRIDAY: "Class trip day", MONDAY: "Snow day"}
    assert [(t.day, t.present, t.absent, t.excused, t.closed) for t in class_3b.totals] == [
        (WEDNESDAY, 2, 0, 0, None), (THURSDAY, 0, 1, 1, None),
        (FRIDAY, 0, 0, 0, "Class trip day"), (MONDAY, 0, 0, 0, "Snow day")]
    assert class_3b.open_days == [WEDNESDAY, THURSDAY]

    _, rest = only_group(rows, report, "No group")
    assert [(line.day, line.name, line.reason) for line in rest.excused] == [
        (THURSDAY, "Dee", "flu")]
    assert [(line.day, line.name) for line in rest.absent] == [(WEDNESDAY, "Dee"),
                                                               (FRIDAY, "Dee")]
    assert rest.closed == {MONDAY: "Snow day"}
    assert [(t.day, t.present, t.closed) for t in rest.totals][-1] == (MONDAY, 1, "Snow day")
