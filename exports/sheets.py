"""What the workbook looks like, and how its rows map to and from AttendanceRow.

The readers are not programmers, so every sheet gets a bold shaded header that stays
in view while scrolling, columns wide enough to read, a filter on every column, and
real dates and numbers (which sort and filter properly) rather than text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.rows import AttendanceRow
from exports.summary import DailyLine

ATTENDANCE = "Attendance"
SUMMARY = "Daily summary"

# Text starting with one of these is run as a formula when a user edits the cell, or
# when the sheet is re-saved as CSV and opened again ("formula injection").
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFDDEBF7")


@dataclass(frozen=True)
class Column:
    """A column's title, its width in characters and how its values are shown."""

    title: str
    width: float
    number_format: str = "General"


ATTENDANCE_COLUMNS = (
    Column("Date and time", 20, "yyyy-mm-dd hh:mm:ss"),
    Column("Name", 28),
    Column("Person ID", 11),
    Column("Camera", 16),
    Column("Distance", 10, "0.000"),
    Column("Event", 9),
    Column("Event ID", 10),
)
SUMMARY_COLUMNS = (
    Column("Date", 12, "yyyy-mm-dd"),
    Column("Name", 28),
    Column("Person ID", 11),
    Column("First seen", 12, "hh:mm:ss"),
    Column("Last seen", 12, "hh:mm:ss"),
    Column("Events", 9),
)


def new_workbook() -> Workbook:
    """An empty workbook whose first sheet is the headed Attendance sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = ATTENDANCE
    _start_sheet(sheet, ATTENDANCE_COLUMNS)
    return book


def append_rows(book: Workbook, rows: Iterable[AttendanceRow]) -> None:
    """Add rows below the existing ones, in the order given."""
    sheet = book[ATTENDANCE]
    for row in rows:
        _put_row(sheet, ATTENDANCE_COLUMNS, (row.timestamp, row.name, row.person_id, row.camera,
                                             row.distance, row.kind, row.event_id))
    _filter_all(sheet, ATTENDANCE_COLUMNS)


def write_summary(book: Workbook, lines: Iterable[DailyLine]) -> None:
    """Replace the Daily summary sheet (second in the workbook) with these lines."""
    if SUMMARY in book.sheetnames:
        del book[SUMMARY]
    sheet = book.create_sheet(SUMMARY, 1)
    _start_sheet(sheet, SUMMARY_COLUMNS)
    for line in lines:
        _put_row(sheet, SUMMARY_COLUMNS, (line.day, line.name, line.person_id, line.first_seen,
                                          line.last_seen, line.events))
    _filter_all(sheet, SUMMARY_COLUMNS)


def read_rows(book: Workbook) -> list[AttendanceRow]:
    """The Attendance sheet's rows, skipping blank ones.

    Raises KeyError if there is no Attendance sheet and ValueError if its header or a
    row is not what this module writes; either way the workbook is not ours to extend.
    """
    sheet = book[ATTENDANCE]
    width = len(ATTENDANCE_COLUMNS)
    header = next(sheet.iter_rows(max_row=1, max_col=width, values_only=True), ())
    if tuple(header) != tuple(column.title for column in ATTENDANCE_COLUMNS):
        raise ValueError(f"sheet {ATTENDANCE!r} has header {header!r}")
    return [
        _parse(number, values)
        for number, values in enumerate(
            sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2)
        if any(value is not None for value in values)
    ]


def _start_sheet(sheet: Worksheet, columns: Sequence[Column]) -> None:
    """Write the header row, style it, freeze it and size the columns."""
    sheet.append([column.title for column in columns])
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    _filter_all(sheet, columns)


def _filter_all(sheet: Worksheet, columns: Sequence[Column]) -> None:
    """Stretch the autofilter over every row, so new rows can be filtered too."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{sheet.max_row}"


def _put_row(sheet: Worksheet, columns: Sequence[Column],
             values: Sequence[object]) -> None:
    """Append one row, formatting numbers and dates and keeping text as plain text."""
    sheet.append([_clean(value) if isinstance(value, str) else value for value in values])
    cells = next(sheet.iter_rows(min_row=sheet.max_row, max_col=len(columns)))
    for cell, column in zip(cells, columns, strict=True):
        cell.number_format = column.number_format
        if isinstance(cell.value, str):
            # openpyxl turns text starting with "=" into a formula; force it back to a
            # string and tell Excel to keep it text even when the cell is edited.
            cell.data_type = "s"
            if cell.value.startswith(_FORMULA_TRIGGERS):
                cell.quotePrefix = True


def _clean(text: str) -> str:
    """Drop control characters that xlsx cannot hold, so an odd name never blocks saving."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _parse(number: int, values: tuple[object, ...]) -> AttendanceRow:
    """Turn one sheet row back into an AttendanceRow; ValueError if it is not one."""
    when, name, person_id, camera, distance, kind, event_id = values
    if not isinstance(when, datetime):
        raise ValueError(f"row {number}: {when!r} is not a date and time")
    return AttendanceRow(
        event_id=_whole(number, event_id),
        timestamp=when,
        name=_text(name),
        person_id=_whole(number, person_id),
        camera=_text(camera),
        distance=float(_number(number, distance)),
        kind=_text(kind),
    )


def _text(value: object) -> str:
    """Text as read back; an empty cell reads as None, a typed-over one may be a number."""
    return "" if value is None else str(value)


def _number(number: int, value: object) -> int | float:
    """A numeric cell's value; ValueError for text, blanks and booleans."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"row {number}: {value!r} is not a number")
    return value


def _whole(number: int, value: object) -> int:
    """An id cell's value; Excel may hand back 7.0 for 7, which is still an id."""
    numeric = _number(number, value)
    if numeric != int(numeric):
        raise ValueError(f"row {number}: {value!r} is not a whole number")
    return int(numeric)

