"""Printed sheets (issue 25): a title and page numbers on every page, the header row
repeated, wide lists fitted to the page width, the Timesheet paged at 8 points or more
with its names repeated, and a void's reason whole. LibreOffice is not needed: the page
setup is read back from the workbook with openpyxl and measured with the paper's size
(docs/make_print_pages.py draws the pages LibreOffice prints from the same workbook)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports import AttendanceRow, ExcelWorkbook, RosterEntry, period_report
from exports.page_layout import page_timesheet
from exports.printing import period_words

NOVEMBER = [date(2026, 11, day) for day in range(1, 31)]
PEOPLE = 136
VOID = ("someone else was taken for this person (her twin sister); voided by Mrs Example, "
        "school secretary, on 2026-11-27 09:14")
LETTER_LANDSCAPE_WIDTH = (11 - 2 * 0.4) * 72  # points between the side margins
A4_LANDSCAPE_HEIGHT = (210 / 25.4 - 2 * 0.75) * 72  # between the top and bottom margins


def _pupils() -> list[RosterEntry]:
    """PEOPLE pupils with long names, enrolled before November."""
    return [RosterEntry(number, f"Pupil {number:03d} Brennan-Okafor", date(2026, 9, 1))
            for number in range(1, PEOPLE + 1)]


def _school_month(path: Path, site: str = "Example Primary & Nursery") -> None:
    """136 pupils arriving on November 2026's school days, one row voided."""
    roster = _pupils()
    rows: list[AttendanceRow] = []
    for day in (day for day in NOVEMBER if day.weekday() < 5):
        for pupil in roster:
            when = datetime.combine(day, time(7, 40)) + timedelta(seconds=pupil.person_id * 31)
            rows.append(AttendanceRow(len(rows) + 1, when, pupil.name, pupil.person_id, "Door",
                                      0.4, "in", VOID if len(rows) == 3 else None))
    ExcelWorkbook(path).write(rows, period_report(rows, roster, NOVEMBER, time(8, 30)), site)


def _points(sheet: Worksheet, letters: list[str]) -> float:
    """The printed width at 100 % of these columns (Excel: 7 px a character + 5 px)."""
    return sum((7 * sheet.column_dimensions[letter].width + 5) * 0.75 for letter in letters)


def test_every_sheet_prints_a_title_page_numbers_and_its_header_row(tmp_path: Path) -> None:
    _school_month(tmp_path / "attendance.xlsx")
    book = load_workbook(tmp_path / "attendance.xlsx")

    for sheet in book:
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert header.left.text == "Example Primary && Nursery"  # '&' alone starts a code
        assert header.center.text == f"{sheet.title} · November 2026"
        assert footer.center.text == "Page &P of &N"
        assert sheet.print_title_rows == "$1:$1" and sheet.print_options.gridLines
        assert sheet.page_margins.left == 0.4 and sheet.page_margins.top == 0.75
        if sheet.title != "Timesheet":  # lists: every column on one page width, any length
            assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["Attendance"].page_setup.orientation == "landscape"  # wide with the void column
    assert book["Days"].page_setup.orientation == "portrait"  # four narrow columns


def test_the_timesheet_of_136_people_prints_at_8_points_in_pages_with_names_repeated(
        tmp_path: Path) -> None:
    """LibreOffice printed 136 people by 31 days on one page in about 3-point text."""
    _school_month(tmp_path / "attendance.xlsx")
    sheet = load_workbook(tmp_path / "attendance.xlsx")["Timesheet"]
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and not sheet.sheet_properties.pageSetUpPr.fitToPage
    scale = setup.scale / 100
    assert 11 * scale >= 8  # Calibri 11 printed at that scale
    assert sheet.print_title_cols == "$A:$B" and setup.pageOrder == "overThenDown"

    last = sheet.max_column
    columns = [brk.id for brk in sheet.col_breaks.brk] + [last]
    starts = [3] + [column + 1 for column in columns[:-1]]
    for first, end in zip(starts, columns, strict=True):  # each page across fits the paper
        letters = ["A", "B"] + [get_column_letter(c) for c in range(first, end + 1)]
        assert _points(sheet, letters) * scale <= LETTER_LANDSCAPE_WIDTH
    assert len(columns) == 2 and columns[0] == 2 + 15  # days 1-15, then 16-30 and totals

    rows = [brk.id for brk in sheet.row_breaks.brk] + [1 + PEOPLE]
    people = [end - first for first, end in zip([1, *rows[:-1]], rows, strict=True)]
    assert sum(people) == PEOPLE and len(people) == 4  # 34 a page, even
    assert max(people) <= (A4_LANDSCAPE_HEIGHT / scale - 15) // 15  # rows of 15 points
    assert last == 2 + 30 + 3  # name, person, the days, the totals


def test_a_void_reason_wraps_in_a_row_tall_enough_to_print_it_whole(tmp_path: Path) -> None:
    _school_month(tmp_path / "attendance.xlsx")
    sheet = load_workbook(tmp_path / "attendance.xlsx")["Attendance"]
    void = next(cell for cell in sheet[5] if cell.value == VOID)

    assert void.alignment.wrap_text
    lines = -(-len(VOID) // sheet.column_dimensions[void.column_letter].width)
    assert sheet.row_dimensions[5].height >= 15 * lines > 15


def test_each_group_of_people_starts_its_own_page() -> None:
    """The Timesheet's paging takes consecutive groups, for a Timesheet per group."""
    paging = page_timesheet([24, 11], [7] * 31, [13, 11, 9], [30, 50, 3])
    assert [(page.start, page.stop) for page in paging.people_pages] == [
        (0, 30), (30, 55), (55, 80), (80, 83)]
    assert paging.row_breaks == [31, 56, 81]


def test_a_page_across_breaks_after_its_days_whatever_the_name_columns() -> None:
    """With a Group column beside the name and person, the breaks move one column on."""
    two, three = (page_timesheet(names, [7] * 30, [13, 11, 9], [34])
                  for names in ([24, 13], [24, 13, 10]))
    for paging, names in ((two, 2), (three, 3)):
        assert paging.names == names
        assert paging.column_breaks == [names + page.stop for page in paging.day_pages[:-1]]
        assert sum(len(page) for page in paging.day_pages) == 30
    assert len(three.day_pages) >= len(two.day_pages)


def test_one_day_prints_on_one_page_across_at_full_size() -> None:
    paging = page_timesheet([28, 11], [12], [13, 11, 9], [136])
    assert paging.scale == 100 and paging.column_breaks == []


def test_the_period_is_said_as_a_reader_would() -> None:
    assert period_words(NOVEMBER) == "November 2026"
    assert period_words([date(2026, 12, 4)]) == "Friday 4 December 2026"
    assert period_words(NOVEMBER[2:9]) == "3 November 2026 to 9 November 2026"


def _month_with_departures_and_estimates(path: Path) -> None:
    """136 pupils in and out on November 2026's school days, every arrival with an
    expression and an age and gender estimate, a row voided and one corrected by hand:
    the widest Attendance sheet and Timesheet a month can have."""
    roster = _pupils()
    rows: list[AttendanceRow] = []
    for day in (day for day in NOVEMBER if day.weekday() < 5):
        for pupil in roster:
            arrived = datetime.combine(day, time(7, 40)) + timedelta(seconds=pupil.person_id * 31)
            rows.append(AttendanceRow(
                len(rows) + 1, arrived, pupil.name, pupil.person_id, "Door", 0.4, "in",
                VOID if len(rows) == 4 else None, "happy 81%", age=9.0, gender="female 77%",
                correction=("added by hand by Mrs Example: the camera was down"
                            if len(rows) == 6 else None)))
            rows.append(AttendanceRow(len(rows) + 1, arrived + timedelta(hours=8), pupil.name,
                                      pupil.person_id, "Door", 0.4, "out"))
    ExcelWorkbook(path).write(rows, period_report(rows, roster, NOVEMBER, time(8, 30)))


def test_a_month_with_departures_prints_two_pages_across_at_8_points(tmp_path: Path) -> None:
    """With departures each day's cell was "07:40–15:40" wide: four pages across."""
    _month_with_departures_and_estimates(tmp_path / "attendance.xlsx")
    sheet = load_workbook(tmp_path / "attendance.xlsx")["Timesheet"]
    scale = sheet.page_setup.scale / 100

    assert 11 * scale >= 8 and len(sheet.col_breaks.brk) == 1  # two pages across
    assert sheet["D2"].value == "07:40\n15:40" and sheet.row_dimensions[2].height == 30
    rows = [brk.id for brk in sheet.row_breaks.brk] + [1 + PEOPLE]
    people = [end - first for first, end in zip([1, *rows[:-1]], rows, strict=True)]
    assert sum(people) == PEOPLE
    assert max(people) <= (A4_LANDSCAPE_HEIGHT / scale - 15) // 30  # rows of two lines


def test_the_attendance_sheet_with_every_column_prints_at_8_points_or_more(
        tmp_path: Path) -> None:
    """With a void, a correction, the expression and the estimates it printed at ~6 pt."""
    _month_with_departures_and_estimates(tmp_path / "attendance.xlsx")
    sheet = load_workbook(tmp_path / "attendance.xlsx")["Attendance"]
    titles = [cell.value for cell in sheet[1]]
    printed = titles.index("Match (lower is closer)")  # for checking: left off the paper
    assert titles[printed:] == ["Match (lower is closer)", "Event ID"]
    assert sheet.print_area == f"'Attendance'!$A$1:${get_column_letter(printed)}$1048576"
    letters = [get_column_letter(index) for index in range(1, printed + 1)]
    setup = sheet.page_setup
    if sheet.sheet_properties.pageSetUpPr.fitToPage:
        assert setup.fitToWidth == 1
        assert 11 * LETTER_LANDSCAPE_WIDTH / _points(sheet, letters) >= 8
    else:  # too wide to fit: at 8 points, pages across, when and who repeated
        assert 11 * setup.scale / 100 >= 8 and sheet.print_title_cols == "$A:$B"
        assert setup.pageOrder == "overThenDown"


def test_a_list_that_fits_is_fitted_to_one_page_width(tmp_path: Path) -> None:
    _school_month(tmp_path / "attendance.xlsx")
    sheet = load_workbook(tmp_path / "attendance.xlsx")["Attendance"]
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_cols is None
