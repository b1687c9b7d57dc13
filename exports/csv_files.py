"""The workbook's tables as CSV files, for tools other than a spreadsheet program.

UTF-8 with a byte-order mark, so Excel shows accented names correctly when the file is
double-clicked; dates and times in ISO form. Text that a spreadsheet would run as a
formula gets a leading apostrophe (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from exports.atomic import replace_atomically
from exports.reports import PeriodReport
from exports.rows import AttendanceRow
from exports.sheets import FORMULA_TRIGGERS, clean_text
from exports.tables import Table, tables


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):
        text = clean_text(value)
        return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text
    return value


def write_csv_reports(folder: Path, prefix: str, rows: Sequence[AttendanceRow],
                      report: PeriodReport, first: Sequence[Table] = ()) -> list[Path]:
    """Write one `<prefix>-<table>.csv` per table (`first`, then exports.tables') into
    `folder`; returns the files. A file is named by its table's English title, so scripts
    find it whatever the language; its header row is in the workbook's language, for the
    people who open it in a spreadsheet (nothing of the app reads these files back).

    Each file is replaced atomically, so a reader never sees half a report.
    """
    written = []
    for table in (*first, *tables(rows, report)):
        text = io.StringIO()
        out = csv.writer(text)
        out.writerow([column.title for column in table.columns])
        out.writerows([_cell(value) for value in line] for line in table.lines)
        path = folder / f"{prefix}-{(table.key or table.title).lower().replace(' ', '-')}.csv"
        replace_atomically(path, text.getvalue().encode("utf-8-sig"))
        written.append(path)
    return written
