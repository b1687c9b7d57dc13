"""The figures of a period on a known week (absent, late, timesheet hours) and the report
sheets of a month workbook, read back with openpyxl.
"""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

from openpyxl import load_workbook

from exports import AttendanceRow, ExcelWorkbook, RosterEntry, period_report


def _known_week() -> tuple[list, list[RosterEntry]]:
    """Four people over Mon 2 to Wed 4 November 2026, start time 08:30.

    Ada: in 08:10, out 12:00, in 13:00, out 17:00 on the 2nd (7 h 50 min); in 08:25 on the 3rd.
    Bob: in 08:31:10 on the 2nd (1 minute late), nothing on the 3rd, in 08:30:59 on the 4th.
    Cyd: enrolled on the 3rd, in 09:00 on the 4th (30 minutes late).
    Dan: enrolled, never came. Nobody came on the 1st (a Sunday).
    """
    def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
        return datetime(2026, 11, day, hh, mm, ss)

    events = [(at(2, 8, 10), 1, "Ada", "in"), (at(2, 8, 31, 10), 2, "Bob", "in"),
              (at(2, 12, 0), 1, "Ada", "out"), (at(2, 13, 0), 1, "Ada", "in"),
              (at(2, 17, 0), 1, "Ada", "out"), (at(3, 8, 25), 1, "Ada", "in"),
              (at(4, 8, 30, 59), 2, "Bob", "in"), (at(4, 9, 0), 3, "Cyd", "in")]
    rows = [AttendanceRow(number, when, name, person, "Front door", 0.4, kind)
            for number, (when, person, name, kind) in enumerate(events, start=1)]
    roster = [RosterEntry(1, "Ada", date(2026, 10, 1)), RosterEntry(2, "Bob", date(2026, 10, 1)),
              RosterEntry(3, "Cyd", date(2026, 11, 3)), RosterEntry(4, "Dan", date(2026, 10, 1))]
    return rows, roster


def test_absent_late_and_timesheet_figures_on_a_known_week() -> None:
    rows, roster = _known_week()
    days = [date(2026, 11, d) for d in range(1, 5)]
    report = period_report(rows, roster, days, clock(8, 30))

    assert report.open_days == days[1:]
    assert [(t.day.day, t.present, t.absent, t.late) for t in report.totals] == [
        (2, 2, 1, 1), (3, 1, 3, 0), (4, 2, 2, 1)]
    assert [(a.day.day, a.name) for a in report.absent] == [
        (2, "Dan"), (3, "Bob"), (3, "Cyd"), (3, "Dan"), (4, "Ada"), (4, "Dan")]
    assert [(l.day.day, l.name, l.minutes_late) for l in report.late] == [(2, "Bob", 1), (4, "Cyd", 30)]
    sheet = {line.name: line for line in report.timesheet}
    assert sheet["Ada"].days == {days[1]: "08:10–17:00", days[2]: "08:25", days[3]: "absent"}
    assert sheet["Ada"].hours == 7.83 and sheet["Ada"].days_present == 2
    assert sheet["Bob"].days == {days[1]: "08:31", days[2]: "absent", days[3]: "08:30"}
    assert sheet["Bob"].hours is None and sheet["Bob"].days_late == 1
    assert sheet["Cyd"].days == {days[2]: "absent", days[3]: "09:00"}
    assert sheet["Dan"].days_present == 0 and set(sheet["Dan"].days.values()) == {"absent"}


def test_the_month_workbook_holds_the_reports(tmp_path: Path) -> None:
    rows, roster = _known_week()
    days = [date(2026, 11, d) for d in range(1, 31)]
    path = tmp_path / "attendance.xlsx"
    ExcelWorkbook(path).write(rows, period_report(rows, roster, days, clock(8, 30)))

    book = load_workbook(path)
    assert book.sheetnames == ["Attendance", "Daily summary", "Days", "Absent", "Late arrivals",
                               "Timesheet"]
    late = list(book["Late arrivals"].iter_rows(min_row=2, values_only=True))
    assert late == [(datetime(2026, 11, 2), "Bob", 2, clock(8, 31, 10), 1),
                    (datetime(2026, 11, 4), "Cyd", 3, clock(9, 0), 30)]
    timesheet = book["Timesheet"]
    header = [cell.value for cell in timesheet[1]]
    assert header[:4] == ["Name", "Person ID", "Sun 01", "Mon 02"] and len(header) == 2 + 30 + 3
    ada = [cell.value for cell in timesheet[2]]
    assert ada[0] == "Ada" and ada[-3:] == [2, 0, 7.83]
    assert ada[3] == "08:10\n17:00" and timesheet["D2"].alignment.wrap_text  # in above out
    assert timesheet.row_dimensions[2].height == 30
    assert timesheet.freeze_panes == "A2" and timesheet.auto_filter.ref == "A1:AI5"
    for sheet in book:  # on paper, the header row on every page (more: test_printing.py)
        assert sheet.print_title_rows == "$1:$1"
