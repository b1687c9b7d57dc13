"""Keeping each sheet's rows as last written, so the next save of the same workbook writes
only the rows that changed.

A month's workbook is rewritten at every save (an .xlsx file cannot be appended to), and
at 5,000 people most of a save went into turning 250,000 lines that were already in the
last save into XML again. A line's XML is a function of its values, its row number, its
sheet's columns and the workbook's table of styles, so a save that meets the same lines
at the top of a sheet as the last save wrote can copy their XML: the rows are compared
value by value (whatever changed them: a new arrival, a void, a rename, a calendar
change), the XML of the longest common run of first lines is copied, and only the lines
after it are written.

The style ids in the copied XML point into the last save's table of styles, so the next
workbook starts from a copy of that table: styles already there keep their ids, new ones
are added after them. The values, formats, fonts, fills and notes a reader sees are those
a fresh save writes; only the order of styles.xml may differ from one (and a style that
went out of use stays listed). tests/unit/records/test_incremental_save.py compares the two.

The rows' XML is kept compressed, in pieces (exports.zip_parts), with where each row
starts. The copied rows go in through a marker row that lxml writes in their place; once
the sheet is closed (its temporary file complete), the archive writes the sheet from its
text before and after the marker and the pieces of the copied rows (the one piece that
holds copied rows and others is unpacked and compressed again with the new rows), never
from the temporary file.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.reports import ReportDays
from exports.tables import Table
from exports.zip_parts import Part, Piece, kept_text, pack

MARKER = '<row r="0"/>'
"""Written where the copied rows go: no row of a sheet is numbered 0."""
_STYLE_TABLES = ("_fonts", "_fills", "_borders", "_alignments", "_protections",
                 "_number_formats", "_cell_styles")
"""The workbook's registries whose indexes a cell's XML holds (openpyxl.workbook)."""
_ROW = re.compile(rb"<row ")


def _starts(text: bytes, base: int, begin: int, stop: int) -> array[int]:
    """Where each row of `text[begin:stop]` starts, counted from offset `base` at `begin`."""
    return array("q", (base + found.start() - begin
                       for found in _ROW.finditer(text, begin, stop)))


@dataclass
class _Written:
    """One sheet as last written: what shapes its rows' XML, its lines, where each line's
    row starts in the XML text of its rows after the header (rows 2 on), that text's
    length, and the text compressed in pieces (exports.zip_parts: about a tenth of it)."""

    shape: Hashable
    lines: list[tuple[object, ...]]
    starts: array[int]
    size: int
    pieces: list[Piece]


def _shape(table: Table) -> Hashable:
    """What besides a line's values decides its row's XML: the columns (formats, wrapping,
    stacking), which column strikes a line through, and which texts are shaded."""
    return (table.title, tuple(table.columns), table.struck_by,
            tuple(sorted(table.shaded.items())))


def _common_start(old: Sequence[tuple[object, ...]], new: Sequence[tuple[object, ...]]) -> int:
    """How many first lines `old` and `new` share."""
    for index, (before, now) in enumerate(zip(old, new)):
        if before != now:
            return index
    return min(len(old), len(new))


@dataclass
class SheetCache:
    """The sheets of one workbook file as this process last wrote them; kept by the
    writer between saves of the same file (a month's), empty at first."""

    _sheets: dict[str, _Written] = field(default_factory=dict)
    _styles: dict[str, list[object]] | None = None
    _pending: dict[str, _Written] = field(default_factory=dict)
    _path: Path | None = None
    parts: dict[str, Part] = field(default_factory=dict)
    """The sheets of the save under way by their temporary files' paths, for the archive."""
    copied: dict[str, int] = field(default_factory=dict)
    """How many lines of each sheet the last save copied (for tests and measurements)."""
    report_days: ReportDays = field(default_factory=ReportDays)
    """The file's reports day by day, as the last save computed them."""

    def of(self, path: Path) -> SheetCache:
        """This cache for the file at `path`: emptied when it held another file's sheets
        (one file at a time: a month's sheets take tens of megabytes at 5,000 people)."""
        if path != self._path:
            self.forget()
            self._path = path
        return self

    def start(self, book: Workbook) -> None:
        """A new save of the file begins with `book`: give it the last save's styles."""
        self._pending, self.copied = {}, {}
        if self._styles is None:
            return
        for name, values in self._styles.items():
            setattr(book, name, IndexedList(values))

    def reusable(self, table: Table, lines: Sequence[tuple[object, ...]]) -> tuple[int, int]:
        """How many of `lines` the last save wrote at the top of this sheet, and the length
        of their rows' XML text."""
        written = self._sheets.get(table.title)
        if written is None or written.shape != _shape(table):
            return 0, 0
        count = self.copied[table.title] = _common_start(written.lines, lines)
        return count, written.starts[count] if count < len(written.lines) else written.size

    def close_sheet(self, sheet: WriteOnlyWorksheet, table: Table,
                    lines: list[tuple[object, ...]], copied: tuple[int, int] | None) -> None:
        """Close `sheet` (its temporary file then holds it, but a marker for the `copied`
        rows: how many, and the length of their text), keep its rows for the next save,
        and its text for the archive (`parts`, exports.zip_parts), its rows compressed in
        pieces, the pieces of the copied rows copied."""
        sheet.close()
        path = sheet._writer.out
        raw = Path(path).read_bytes()
        end = raw.rindex(b"</sheetData>")
        old = self._sheets.pop(table.title, None)  # not needed once this sheet is written
        if copied is None or old is None:  # the rows are read where they are, not copied
            start = raw.find(b'<row r="2"')
            start = end if start < 0 else start
            starts, pieces = _starts(raw, 0, start, end), pack(raw, 0, start, end)
            kept, rest = 0, memoryview(raw)[start:end]
        else:
            count, same = copied
            start = raw.index(MARKER.encode())
            pieces, partial = kept_text(old.pieces, same)
            kept = pieces[-1][0] if pieces else 0
            joined = b"".join((partial, memoryview(raw)[start + len(MARKER):end]))
            starts = old.starts[:count]
            starts.extend(_starts(raw, same, start + len(MARKER), end))
            pieces, rest = pieces + pack(joined, kept), memoryview(joined)
        self._pending[table.title] = _Written(_shape(table), lines, starts, kept + len(rest),
                                              pieces)
        self.parts[path] = Part(raw[:start], pieces, kept, rest, raw[end:])

    def finish(self, book: Workbook) -> None:
        """Every sheet of the save is written: keep them and the styles for the next."""
        self._sheets = self._pending
        self._pending = {}
        self._styles = {name: list(getattr(book, name)) for name in _STYLE_TABLES}

    def forget(self) -> None:
        """Keep nothing (a save failed halfway, or another file comes): the next save
        writes every sheet whole."""
        self._sheets, self._styles, self._pending = {}, None, {}
        self.parts.clear()
        self.report_days = ReportDays()
