"""What the workbook looks like, and how its rows map to and from AttendanceRow.

The readers are not programmers, so every sheet gets a bold shaded header that stays
in view while scrolling, columns wide enough to read, a filter on every column, and
real dates and numbers (which sort and filter properly) rather than text.

Workbooks are written in openpyxl's write-only mode, which streams rows to the file
instead of keeping a cell object per value, and a row of plain values skips openpyxl's
cells altogether (exports.plain_rows): a month of 5,000 people (111,000 rows) is written
in about 5 seconds, and the writer's next save of it copies the rows it wrote alike
(exports.sheet_cache), in about a second. Rows are read back in read-only mode for the
same reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.audit import AuditLine, audit_table
from exports.page_layout import ROW_POINTS, page_timesheet
from exports.plain_rows import PlainRows
from exports.printing import DEFAULT_SITE, Heading, print_fitted, print_paged
from exports.reports import PeriodReport
from exports.rows import AttendanceRow
from exports.sheet_cache import MARKER, SheetCache
from exports.shown import kind_read
from exports.tables import (
    AGE,
    ATTENDANCE,
    ATTENDANCE_COLUMNS,
    CORRECTION,
    EVENT_ID,
    EXPRESSION,
    GENDER,
    LEGACY_TITLES,
    MATCH,
    VOID,
    Column,
    Table,
    tables,
)
from exports.words import every_language

# Text starting with one of these is run as a formula when a user edits the cell, or
# when the sheet is re-saved as CSV and opened again ("formula injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(name="Calibri", size=11, bold=True)  # named: else printed in a serif
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFDDEBF7")
# A voided row: struck through and grey, as a line crossed out on a paper sheet.
_STRUCK_FONT = Font(name="Calibri", size=11, strike=True, color="FF808080")
_WRAPPED = Alignment(wrap_text=True, vertical="top")
_NOTE_AUTHOR = "Attendance app"


def clean_text(text: str) -> str:
    """Drop control characters that xlsx cannot hold, so an odd name never blocks saving."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


class _SheetWriter:
    """Streams rows into one write-only sheet with its header, formats, filter and print
    setup (exports.printing).

    One styled template cell per formatted column is reused for every row: write-only
    sheets serialise each row as it is appended, so this is safe, and it spares creating
    and styling a cell object per value.
    """

    def __init__(self, book: Workbook, table: Table, heading: Heading) -> None:
        self.sheet: WriteOnlyWorksheet = book.create_sheet(table.title)
        self.columns = columns = table.columns
        self.rows = 1
        self.sheet.freeze_panes = "A2"
        self._set_up_printing(table, heading)
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        header = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, column.title)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            if column.note:
                cell.comment = Comment(column.note, _NOTE_AUTHOR, height=110, width=260)
            header.append(cell)
        self.sheet.append(header)
        self._formatted = [self._template(column.number_format) for column in columns]
        self._plain = PlainRows(self.sheet, [column.number_format for column in columns],
                                self._plain_text)
        self._fills = {text: PatternFill(fill_type="solid", fgColor=f"FF{colour}")
                       for text, colour in table.shaded.items()}
        if table.legend:
            self.sheet.HeaderFooter.oddFooter.left.text = table.legend.replace("&", "&&")
        self._wrapping = [(index, column.width) for index, column in enumerate(columns)
                          if column.wrap]
        self._stacked = [(index, column.stacked) for index, column in enumerate(columns)
                         if column.stacked]

    @property
    def fast(self) -> bool:
        """Whether rows go in as XML text (exports.plain_rows), so rows can be copied."""
        return self._plain.fast

    def copy(self, count: int) -> None:
        """Leave the place of the next `count` rows to rows copied in when the sheet is
        closed (exports.sheet_cache)."""
        self._plain.write_xml(MARKER)
        self.rows += count

    def _set_up_printing(self, table: Table, heading: Heading) -> None:
        """A list prints its columns for reading (exports.printing.print_fitted: on one
        page width while the text stays readable); a people-by-days table in pages of
        readable text (its name columns, then its days, then its totals)."""
        widths = [column.width for column in table.columns]
        if table.paged is None:
            printed = [column.on_paper for column in table.columns]
            print_fitted(self.sheet, widths, heading,
                         printed.index(False) if False in printed else None)
            return
        names, days = table.paged.names, table.paged.days
        print_paged(self.sheet, page_timesheet(widths[:names], widths[names:names + days],
                                               widths[names + days:], table.paged.group_sizes,
                                               table.paged.lines),
                    heading)

    def _template(self, number_format: str) -> WriteOnlyCell | None:
        if number_format == "General":
            return None
        cell = WriteOnlyCell(self.sheet)
        cell.number_format = number_format
        return cell

    def add(self, values: Sequence[object], struck: bool = False) -> None:
        """Append one row; text is kept as plain text, numbers and dates get their format;
        a `struck` row (a voided one) is struck through."""
        if self._stacked:
            values = list(values)
            for index, separator in self._stacked:
                if isinstance(values[index], str):
                    values[index] = values[index].replace(separator, "\n")
        tall = self._fit_height(values)
        self.rows += 1
        if struck:
            self._plain.write_cells([self._struck(value, column) for value, column
                                     in zip(values, self.columns, strict=True)], self.rows)
            return
        if not tall and self._plain.write(values, self.rows):
            return
        row: list[object] = []
        for value, template, column in zip(values, self._formatted, self.columns, strict=True):
            if isinstance(value, str) and value in self._fills:
                cell = WriteOnlyCell(self.sheet, value)
                cell.fill = self._fills[value]
                row.append(cell)
            elif isinstance(value, str):
                row.append(self._text(value, column.wrap))
            elif template is not None and value is not None:
                template.value = value
                row.append(template)
            else:
                row.append(value)
        self._plain.write_cells(row, self.rows)

    def _plain_text(self, index: int, text: str) -> bool:
        """Whether `text` in column `index` is written as it is: not shaded, not wrapping,
        not text Excel would run as a formula (exports.plain_rows)."""
        return (text not in self._fills and not self.columns[index].wrap
                and not text.startswith(FORMULA_TRIGGERS))

    def _fit_height(self, values: Sequence[object]) -> bool:
        """Make the next row tall enough for the lines its wrapping text takes.

        Spreadsheet programs do not measure a row again when they open a file (LibreOffice
        printed a wrapped void reason over the rows below), so the height is written: one
        default row per line, a line being the column's width in characters (text of the
        default font averages narrower than its digits, so this never cuts a line off),
        and a line break starting a line. True when the row was given a height.
        """
        lines = max((sum(math.ceil(len(part) / width) or 1
                         for part in values[index].split("\n"))
                     for index, width in self._wrapping if isinstance(values[index], str)),
                    default=1)
        if lines > 1:
            self.sheet.row_dimensions[self.rows + 1].height = ROW_POINTS * lines
        return lines > 1

    def _text(self, text: str, wrap: bool = False) -> object:
        """Text that Excel would run as a formula becomes a quoted string cell; text of a
        wrapping column wraps, so it prints whole."""
        text = clean_text(text)
        if not text.startswith(FORMULA_TRIGGERS) and not wrap:
            return text
        cell = WriteOnlyCell(self.sheet, text)
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        cell.quotePrefix = text.startswith(FORMULA_TRIGGERS)  # Excel keeps it text on edit
        if wrap:
            cell.alignment = _WRAPPED
        return cell

    def _struck(self, value: object, column: Column) -> Cell:
        """A cell of a voided row: struck through and grey, with its column's format."""
        shown = self._text(value, column.wrap) if isinstance(value, str) else value
        cell = shown if isinstance(shown, Cell) else WriteOnlyCell(self.sheet, shown)
        if column.number_format != "General":
            cell.number_format = column.number_format
        cell.font = _STRUCK_FONT
        return cell

    def finish(self) -> None:
        """Write the rows waiting; stretch the filter over every row written."""
        self._plain.finish()
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.rows}"


def build_workbook(rows: Sequence[AttendanceRow], report: PeriodReport,
                   site: str = DEFAULT_SITE, audit: Sequence[AuditLine] | None = None,
                   first: Sequence[Table] = (), cache: SheetCache | None = None) -> Workbook:
    """A write-only workbook holding every table of exports.tables, one sheet each, each
    printing under a heading of `site` and the report's period; `first`: tables to put
    before them (a range's per-person totals); with `audit`, an Audit sheet last
    (exports.audit). With `cache` (the same file's last save in this process), the first
    lines of a sheet that the last save wrote alike are copied, not written again."""
    book = Workbook(write_only=True)
    heading = Heading.of(site, report.days)
    found = [*first, *tables(rows, report)]
    if audit is not None:
        found.append(audit_table(audit))
    if cache is None:
        for table in found:
            _write_sheet(_SheetWriter(book, table, heading), table, table.lines)
        return book
    cache.start(book)
    try:
        for table in found:
            writer = _SheetWriter(book, table, heading)
            lines = [tuple(values) for values in table.lines]
            count, size = cache.reusable(table, lines) if writer.fast else (0, 0)
            if count:
                writer.copy(count)
            _write_sheet(writer, table, lines[count:])
            if writer.fast:
                cache.close_sheet(writer.sheet, table, lines, (count, size) if count else None)
    except BaseException:
        cache.forget()
        raise
    cache.finish(book)
    return book


def _write_sheet(writer: _SheetWriter, table: Table, lines: Iterable[Sequence[object]]) -> None:
    """Append `lines` to the sheet and finish it."""
    for values in lines:
        writer.add(values, table.struck_by is not None and values[table.struck_by] is not None)
    writer.finish()


def read_rows(book: Workbook) -> list[AttendanceRow]:
    """The Attendance sheet's rows, skipping blank ones.

    Columns are found by their header titles, so workbooks of earlier layouts (Distance
    and Event ID in the middle, no void column) read back the same. Raises KeyError if
    there is no Attendance sheet and ValueError if its header or a row is not what this
    module writes; either way the workbook is not ours to extend.

    A workbook is written in the language of the day (exports.words), and read in any:
    the sheet, its titles and its Event words are looked up in every shipped language.
    A month's file is always written whole from the journal, never edited, so a month
    begun in English and saved after a switch to German is one German workbook holding
    every row: it has one Attendance sheet, "Anwesenheit", never two.
    """
    names = every_language(ATTENDANCE)
    found = [name for name in book.sheetnames if name in names]
    if len(found) != 1:
        raise KeyError(f"{len(found)} sheets named {ATTENDANCE!r} in any language")
    sheet = book[found[0]]
    lines = sheet.iter_rows(values_only=True)
    header = tuple(next(lines, ()))
    where = _column_positions(header)
    width = max(where.values()) + 1
    return [_parse(number, values, where) for number, values in enumerate(lines, start=2)
            if any(value is not None for value in values[:width])]


def _column_positions(header: tuple[object, ...]) -> dict[str, int]:
    """Column title -> index, for a header holding exactly the Attendance titles (today's
    or an earlier layout's), and the void column or not, in any order; ValueError for
    any other header."""
    english = _english_titles()
    titles = [english.get(str(title), str(title)) for title in header if title is not None]
    wanted = [column.title for column in ATTENDANCE_COLUMNS]
    optional = {VOID, CORRECTION, EXPRESSION, AGE, GENDER}
    if (sorted(title for title in titles if title not in optional) != sorted(wanted)
            or len(set(titles)) != len(titles)):
        raise ValueError(f"sheet {ATTENDANCE!r} has header {header!r}")
    return {english.get(str(title), str(title)): index
            for index, title in enumerate(header) if title is not None}


def _english_titles() -> dict[str, str]:
    """An Attendance column's title in any shipped language (or an earlier layout's
    title) -> its title in English."""
    english = dict(LEGACY_TITLES)
    for title in [*(column.title for column in ATTENDANCE_COLUMNS),
                  VOID, CORRECTION, EXPRESSION, AGE, GENDER]:
        english.update((shown, title) for shown in every_language(title))
    return english


def _parse(number: int, values: tuple[object, ...], where: dict[str, int]) -> AttendanceRow:
    """Turn one sheet row back into an AttendanceRow; ValueError if it is not one."""
    values = tuple(values) + (None,) * (max(where.values()) + 1 - len(values))
    when, name, person_id, camera, kind, distance, event_id = (
        values[where[title]] for title in ("Date and time", "Name", "Person ID", "Camera",
                                           "Event", MATCH, EVENT_ID))
    void = values[where[VOID]] if VOID in where else None
    expression = values[where[EXPRESSION]] if EXPRESSION in where else None
    correction = values[where[CORRECTION]] if CORRECTION in where else None
    age = values[where[AGE]] if AGE in where else None
    gender = values[where[GENDER]] if GENDER in where else None
    if not isinstance(when, datetime):
        raise ValueError(f"row {number}: {when!r} is not a date and time")
    return AttendanceRow(
        event_id=_whole(number, event_id),
        timestamp=when,
        name=_text(name),
        person_id=_whole(number, person_id),
        camera=_text(camera),
        distance=float(_number(number, distance)),
        kind=kind_read(_text(kind)),
        void=None if void in (None, "") else str(void),
        expression=None if expression in (None, "") else str(expression),
        age=float(_number(number, age)) if age not in (None, "") else None,
        gender=None if gender in (None, "") else str(gender),
        correction=None if correction in (None, "") else str(correction),
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
