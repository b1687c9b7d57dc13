"""The reports by hours (issue 25, point 2): late against a group's start + grace, absent
only on a day the person is expected, people in no group by the site's hours, a person in
two groups expected when either expects them and late against the earliest start."""

from __future__ import annotations

from datetime import date, datetime, time

from exports.hours import Hours, Schedule, parse_days
from exports.reports import RosterEntry, period_report
from exports.rows import AttendanceRow

WEDNESDAY, SATURDAY = date(2026, 12, 2), date(2026, 12, 5)
ROSTER = [RosterEntry(1, "Ada", date(2026, 1, 1)), RosterEntry(2, "Bob", date(2026, 1, 1)),
          RosterEntry(3, "Cyd", date(2026, 1, 1)), RosterEntry(4, "Dee", date(2026, 1, 1))]
CLASS = Hours(parse_days("mon-fri"), time(9, 0), grace=5)
CHOIR = Hours(parse_days("wed,sat"), time(8, 0))
SCHEDULE = Schedule(Hours(parse_days("mon-fri"), time(8, 30), grace=10),
                    {1: [CLASS], 2: [CLASS, CHOIR]})
"""Ada: the class; Bob: the class and the choir; Cyd and Dee: no group (the site's hours)."""


def _row(event_id: int, person: int, day: date, at: time) -> AttendanceRow:
    return AttendanceRow(event_id, datetime.combine(day, at), ROSTER[person - 1].name, person,
                         "Door", 0.4, "in")


def test_late_is_judged_by_each_persons_hours() -> None:
    rows = [_row(1, 1, WEDNESDAY, time(9, 5, 30)),   # class, within its 5 min of grace
            _row(2, 2, WEDNESDAY, time(9, 0)),       # the choir starts 08:00 on Wednesdays
            _row(3, 3, WEDNESDAY, time(8, 41)),      # site: 08:30 + 10 min grace
            _row(4, 4, WEDNESDAY, time(8, 40, 59))]  # site: still within the grace
    report = period_report(rows, ROSTER, [WEDNESDAY], SCHEDULE)
    assert sorted((line.name, line.minutes_late) for line in report.late) == [("Bob", 60),
                                                                              ("Cyd", 11)]
    assert report.reports_late and report.start_time == time(8, 30)


def test_absent_only_on_a_day_the_person_is_expected() -> None:
    # Saturday: somebody came, so the site is open; only the choir expects anyone.
    rows = [_row(1, 3, SATURDAY, time(10, 0))]
    report = period_report(rows, ROSTER, [SATURDAY], SCHEDULE)
    assert [line.name for line in report.absent] == ["Bob"]
    assert report.late == []                         # Cyd is not expected: never late then
    assert report.timesheet[0].days == {SATURDAY: "absent"}


def test_a_bare_start_time_keeps_the_rule_from_before_groups() -> None:
    rows = [_row(1, 1, SATURDAY, time(8, 31))]
    report = period_report(rows, ROSTER, [SATURDAY], time(8, 30))
    assert [(line.name, line.minutes_late) for line in report.late] == [("Ada", 1)]
    assert [line.name for line in report.absent] == ["Bob", "Cyd", "Dee"]
    assert not period_report(rows, ROSTER, [SATURDAY], None).reports_late
