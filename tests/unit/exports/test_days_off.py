"""The calendar in the reports (issue 25, point 3): a day the site is closed expects
nobody; a group's closed day spares its members only (a member also in a group meeting
that day is still expected there); a person on leave is excused with the reason, never
absent; whoever comes anyway is present and never late. The sheets and CSV tables say so:
the Days table counts the excused and names a closed day, the Absent table has a Status
column, the Timesheet marks "leave" and "closed" (grey) with a legend, in its header's note and at
the foot of every printed page, and the closure's name in the day's note."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from openpyxl import load_workbook

from exports import ExcelWorkbook
from exports.days_off import ClosedSpan, DaysOff, Leave
from exports.hours import Hours, NamedGroup, Schedule, parse_days
from exports.reports import CLOSED, LEAVE, RosterEntry, period_report
from exports.rows import AttendanceRow
from exports.tables import ABSENT, DAYS, TIMESHEET, tables

MON, TUE, WED = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)
NAMES = ["Ada", "Bob", "Cyd", "Dee"]
ROSTER = [RosterEntry(n, name, date(2026, 1, 1)) for n, name in enumerate(NAMES, start=1)]
WEEK = parse_days("mon-fri")
CLASS = NamedGroup("Class", Hours(WEEK, time(8, 0)), frozenset({1, 2}))
CHOIR = NamedGroup("Choir", Hours(WEEK, time(9, 0)), frozenset({2}))
"""Ada: the class; Bob: the class and the choir; Cyd and Dee: no group."""


def _schedule(*closed: ClosedSpan, leave: tuple[Leave, ...] = ()) -> Schedule:
    return Schedule.of_groups(Hours(WEEK, time(8, 30)), [CLASS, CHOIR],
                              DaysOff(closed, leave))


def _row(event_id: int, person: int, day: date, at: time) -> AttendanceRow:
    return AttendanceRow(event_id, datetime.combine(day, at), NAMES[person - 1], person,
                         "Door", 0.4, "in")


def test_the_sites_closed_day_expects_nobody_and_who_comes_is_never_late() -> None:
    schedule = _schedule(ClosedSpan(TUE, WED, "Christmas break"))
    rows = [_row(1, 1, MON, time(8, 0)), _row(2, 3, TUE, time(11, 0))]
    report = period_report(rows, ROSTER, [MON, TUE, WED], schedule)
    assert report.closed == {TUE: "Christmas break", WED: "Christmas break"}
    assert report.open_days == [MON]
    assert {line.day for line in report.absent} == {MON}
    assert report.late == []                              # Cyd at 11:00 on a closed day
    assert [(t.day, t.present, t.absent, t.closed) for t in report.totals] == [
        (MON, 1, 3, None), (TUE, 1, 0, "Christmas break"), (WED, 0, 0, "Christmas break")]
    cyd = next(line for line in report.timesheet if line.name == "Cyd")
    assert cyd.days == {MON: "absent", TUE: "11:00", WED: CLOSED} and cyd.days_late == 0


def test_a_groups_closed_day_spares_its_members_only() -> None:
    schedule = _schedule(ClosedSpan(MON, MON, "Class trip", "class"))
    rows = [_row(1, 3, MON, time(8, 0)), _row(2, 1, MON, time(10, 0))]
    report = period_report(rows, ROSTER, [MON], schedule)
    # Ada's class is away; Bob's choir still meets; Dee (no group) is expected.
    assert [line.name for line in report.absent] == ["Bob", "Dee"]
    assert report.late == []                              # Ada came anyway, at 10:00
    assert report.closed == {}


def test_leave_is_excused_with_its_reason_and_who_comes_anyway_is_present() -> None:
    leave = (Leave(3, MON, TUE, "flu"), Leave(1, MON, MON, "dentist"))
    rows = [_row(1, 2, MON, time(8, 0)), _row(2, 1, MON, time(9, 30))]
    report = period_report(rows, ROSTER, [MON], _schedule(leave=leave))
    assert [line.name for line in report.absent] == ["Dee"]
    assert [(line.name, line.reason) for line in report.excused] == [("Cyd", "flu")]
    assert [line.name for line in report.daily] == ["Bob", "Ada"]
    assert report.late == []                              # Ada: on leave, came late anyway
    assert report.totals[0].excused == 1
    assert next(line for line in report.timesheet if line.name == "Cyd").days == {MON: LEAVE}


def test_the_tables_say_excused_closed_and_give_a_legend() -> None:
    schedule = _schedule(ClosedSpan(TUE, TUE, "Staff day"), leave=(Leave(3, MON, WED, "flu"),))
    rows = [_row(1, 1, MON, time(8, 0)), _row(2, 2, MON, time(8, 0))]
    report = period_report(rows, ROSTER, [MON, TUE], schedule)
    found = {table.title: table for table in tables(rows, report)}
    absent = found[ABSENT]
    assert [column.title for column in absent.columns][3] == "Status"
    assert [tuple(line)[1:4] for line in absent.lines] == [("Cyd", 3, "excused: flu"),
                                                          ("Dee", 4, "absent")]
    days = found[DAYS]
    assert [column.title for column in days.columns][-2:] == ["Excused", "Closed"]
    assert [tuple(line)[-2:] for line in days.lines] == [(1, None), (0, "Staff day")]
    sheet = found[TIMESHEET]
    notes = {column.title: column.note for column in sheet.columns}
    assert notes["Tue 08"] == "Closed: Staff day" and notes["Mon 07"] == ""
    assert '"leave"' in notes["Name"] and '"closed"' in notes["Name"]
    cyd = next(line for line in sheet.lines if line[0] == "Cyd")
    assert tuple(cyd)[2:5] == ("No group", LEAVE, CLOSED)  # the group beside the names


def test_the_timesheet_greys_closed_days_and_prints_its_legend(tmp_path: Path) -> None:
    schedule = _schedule(ClosedSpan(TUE, TUE, "Staff day"), leave=(Leave(3, MON, WED, "flu"),))
    rows = [_row(1, 1, MON, time(8, 0))]
    path = tmp_path / "attendance.xlsx"
    ExcelWorkbook(path).write(rows, period_report(rows, ROSTER, [MON, TUE], schedule))
    sheet = load_workbook(path)[TIMESHEET]
    cyd = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Cyd")
    assert [(cell.value, cell.fill.fgColor.rgb) for cell in cyd[3:5]] == [
        (LEAVE, "FFFFF2CC"), (CLOSED, "FFD9D9D9")]
    assert sheet.cell(1, 5).comment.text == "Closed: Staff day"
    assert sheet.oddFooter.left.text.startswith("absent: expected, did not come")
    assert sheet.oddFooter.center.text == "Page &P of &N"
