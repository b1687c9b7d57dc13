"""Writing a sheet's plain rows without a cell object per value, byte for byte as openpyxl
writes them.

A month of 5,000 people holds 111,000 Attendance rows and as many Daily summary lines,
and openpyxl spends about 20 microseconds on each of their 1.5 million cells (a cell
object, its type guessed, its style looked up, an XML element opened and closed for it
and each of its children): most of a 20-second save. A row of plain values (text,
numbers, and dates and times in their column's format) is instead written as XML text
and handed to lxml, a thousand rows at a time, to parse and write into the same stream
openpyxl writes the sheet to; any other row (a struck-through one, a shaded, quoted or
wrapping cell, a row given a height) is written by openpyxl as before, in its place.
tests/unit/exports/test_plain_rows.py checks that the sheets come out the same, byte for
byte, as openpyxl writes them alone.

Without lxml (openpyxl then writes with the standard library) every row takes
openpyxl's path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from openpyxl import LXML
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

BATCH = 1000
"""Plain rows parsed and written together: fewer calls into lxml, little memory."""
_LONGEST = 32_767  # openpyxl cuts longer text; such text takes its path
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
"""Text as XML: a carriage return escaped, or the parser would read it as a line feed."""
_DATES = (datetime, date, time)


class _Batch(list):  # type: ignore[type-arg]
    """Rows for the sheet's stream: XML text of plain rows, or (values, row number) of a
    row for openpyxl to write. A list, so the write-only sheet's append() takes it."""


class PlainRows:
    """Appends rows to a write-only `sheet` whose header row is written already.

    formats: each column's number format; texts: a predicate saying whether a text
    value may be written as plain text (not one that must be quoted, shaded or wrapped).
    write() writes a row plainly when it can, write_cells() through openpyxl; finish()
    writes what is waiting. Without lxml, or with an openpyxl whose write-only sheet lacks the
    stream this uses, every row goes to openpyxl.
    """

    def __init__(self, sheet: WriteOnlyWorksheet, formats: Sequence[str],
                 texts: Callable[[int, str], bool]) -> None:
        self.sheet = sheet
        self._texts = texts
        self._letters = [get_column_letter(index) for index in range(1, len(formats) + 1)]
        self._formats = formats
        self._styles: list[str | None] = [None] * len(formats)  # each known when first used
        self._dated = [is_date_format(number_format) and number_format != "General"
                       for number_format in formats]
        self._epoch = sheet.parent.epoch
        self._pending = _Batch()
        self._text_cells: dict[tuple[int, str], str] = {}
        writer = getattr(sheet, "_writer", None)
        self.fast = bool(LXML) and writer is not None and hasattr(writer, "write_row") \
            and hasattr(sheet, "_values_to_row")
        if self.fast:
            self._hook(writer)

    def _hook(self, writer: Any) -> None:
        """Let the sheet's stream take a _Batch as one appended row (only this sheet's)."""
        from lxml import etree  # only with lxml (self.fast)

        to_cells, write_row = self.sheet._values_to_row, writer.write_row

        def values_to_row(values: Iterable[object], number: int) -> Iterable[object]:
            return values if isinstance(values, _Batch) else to_cells(values, number)

        def write(xf: Any, row: Any, number: int) -> None:
            if not isinstance(row, _Batch):
                write_row(xf, row, number)
                return
            plain: list[str] = []
            for item in [*row, None]:
                if isinstance(item, str):
                    plain.append(item)
                    continue
                if plain:
                    xf.write(*etree.fromstring(f"<sheetData>{''.join(plain)}</sheetData>"))
                    plain.clear()
                if item is not None:
                    values, at = item
                    write_row(xf, to_cells(values, at), at)

        self.sheet._values_to_row = values_to_row  # type: ignore[method-assign]
        writer.write_row = write

    def write(self, values: Sequence[object], number: int) -> bool:
        """Append `values` as sheet row `number` in XML text if every value is plain;
        False, with nothing written, if one is not (or without lxml)."""
        text = self._encode(values, number) if self.fast else None
        if text is None:
            return False
        self._pending.append(text)
        if len(self._pending) >= BATCH:
            self.finish()
        return True

    def write_xml(self, text: str) -> None:
        """Append rows already in XML text (exports.sheet_cache's marker); only when fast."""
        assert self.fast, "XML text needs lxml"
        self._pending.append(text)

    def write_cells(self, row: list[object], number: int) -> None:
        """Append `row` (values and styled cells) as sheet row `number` through openpyxl,
        at once: a cell in it may be reused for the next row."""
        if not self.fast:
            self.sheet.append(row)
            return
        self._pending.append((row, number))
        self.finish()

    def finish(self) -> None:
        """Write the rows waiting."""
        if self._pending:
            self.sheet.append(self._pending)
            self._pending = _Batch()

    def _encode(self, values: Sequence[object], number: int) -> str | None:
        """Row `number` as openpyxl writes it, or None if a value is not plain."""
        cells = []
        for index, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            reference = f'r="{self._letters[index]}{number}"'
            if kind is str:  # plain text is never styled, whatever its column's format
                text = self._text_cells.get((index, value))  # type: ignore[arg-type]
                if text is None:
                    text = self._text_cell(index, value)  # type: ignore[arg-type]
                if not text:
                    return None
                cells.append(f"<c {reference}{text}")
                continue
            if kind in _DATES and self._dated[index]:
                if getattr(value, "tzinfo", None) is not None:  # openpyxl refuses it
                    return None
                value = to_excel(value, self._epoch)
            elif kind not in (int, float):
                return None
            if not math.isfinite(value):  # type: ignore[arg-type]
                return None
            style = self._styles[index]
            if style is None:
                style = self._styles[index] = _style_attribute(self.sheet, self._formats[index])
            cells.append(f'<c {reference}{style} t="n"><v>{"%.16g" % value}</v></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    def _text_cell(self, index: int, value: str) -> str:
        """The end of a cell holding `value` in column `index` after its reference, or ""
        when it is not plain; kept, as a month repeats its names and words."""
        text = ""
        if self._plain_text(index, value):
            space = ' xml:space="preserve"' if value != value.strip() else ""
            text = f' t="inlineStr"><is><t{space}>{value.translate(_ESCAPES)}</t></is></c>'
        self._text_cells[index, value] = text
        return text

    def _plain_text(self, index: int, value: str) -> bool:
        """Whether openpyxl would write `value` as this class does: an inline string, not
        a formula, an error code or text it cuts or refuses; and the sheet wants it plain."""
        return (0 < len(value) <= _LONGEST and not value.startswith("=")
                and value not in ERROR_CODES and not ILLEGAL_CHARACTERS_RE.search(value)
                and self._texts(index, value))


def _style_attribute(sheet: WriteOnlyWorksheet, number_format: str) -> str:
    """The ' s="N"' openpyxl writes on a cell of `number_format` ("" for General): the
    style is registered with the workbook as openpyxl registers a cell's when writing it,
    so called when a row first needs it, the styles keep openpyxl's order."""
    if number_format == "General":
        return ""
    cell = WriteOnlyCell(sheet)
    cell.number_format = number_format
    return f' s="{cell.style_id}"'
