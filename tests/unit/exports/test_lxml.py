"""openpyxl writes its XML with lxml when it is installed, which made saves about a fifth
faster (issue 24, point 6; docs/measurements/records_scale.md). lxml is a dependency for
that alone, so: openpyxl must use it, and a month workbook written with it must read the
same, cell by cell and sheet by sheet, as one written with the standard library (each in
a fresh interpreter: openpyxl chooses when it is imported)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl.xml
from openpyxl import load_workbook

WRITE_A_MONTH = '''
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

if sys.argv[2] == "without":
    sys.modules["lxml"] = None  # as if not installed: openpyxl falls back to xml.etree

import openpyxl.xml
from exports import AttendanceRow, ExcelWorkbook, RosterEntry, period_report

names = ["Ada Lovelace", "Zoë Ångström", "李小龙", "O'Brien & Sons <Ltd>"]
roster = [RosterEntry(number, name, date(2026, 10, 1)) for number, name in enumerate(names, 1)]
rows = []
for day in range(2, 28):
    for person, name in enumerate(names, 1):
        if (day + person) % 5 == 0:
            continue  # absent
        when = datetime(2026, 11, day, 8, 10 + 7 * person, (day * person) % 60)
        rows.append(AttendanceRow(
            len(rows) + 1, when, name, person, "Front door", 0.31 + person / 100, "in",
            void="not them (by Ada, 3 Nov)" if (day, person) == (3, 2) else None,
            expression="happy 87%" if person == 1 else None,
            utc_offset=timedelta(hours=1), age=30.5 + person if person < 3 else None,
            gender="female 97%" if person == 2 else None))
days = [date(2026, 11, day) for day in range(1, 31)]
ExcelWorkbook(Path(sys.argv[1])).write(rows, period_report(rows, roster, days, time(8, 30)))
print(openpyxl.xml.LXML)
'''


def _write(path: Path, lxml: str) -> str:
    result = subprocess.run([sys.executable, "-c", WRITE_A_MONTH, str(path), lxml],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def _as_read(path: Path) -> dict[str, Any]:
    """What a reader sees in the workbook: its parts, and per sheet every cell's value,
    number format, bold and strike-through, the column widths, merged cells, frozen panes,
    filter and print setup."""
    with zipfile.ZipFile(path) as archive:
        parts = sorted(archive.namelist())
    seen: dict[str, Any] = {"parts": parts}
    book = load_workbook(path)
    for sheet in book.worksheets:
        seen[sheet.title] = {
            "cells": [(cell.coordinate, cell.value, cell.number_format, cell.font.b,
                       cell.font.strike) for row in sheet.iter_rows() for cell in row],
            "widths": {key: dimension.width for key, dimension in sheet.column_dimensions.items()},
            "merged": sorted(str(cells) for cells in sheet.merged_cells.ranges),
            "frozen": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
            "print": (sheet.print_title_rows, sheet.page_setup.orientation,
                      sheet.page_setup.fitToWidth),
        }
    return seen


def test_openpyxl_writes_with_lxml_here() -> None:
    assert openpyxl.xml.LXML is True


def test_a_month_written_with_lxml_reads_the_same_as_without(tmp_path: Path) -> None:
    with_lxml, without = tmp_path / "with.xlsx", tmp_path / "without.xlsx"
    assert _write(with_lxml, "with") == "True"
    assert _write(without, "without") == "False"
    read_with, read_without = _as_read(with_lxml), _as_read(without)
    assert len(read_with["Attendance"]["cells"]) > 500
    assert read_with == read_without
