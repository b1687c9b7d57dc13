"""Exporting attendance to Excel workbooks (and CSV) that can always be rebuilt from the journal.

Only openpyxl and the standard library are used here, so the export can be tested and
reused without the camera, recognition or GUI code. Names are loaded on first use (PEP
562): the reports' data classes are wanted by commands that never write a workbook, and
should not make them wait for openpyxl to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "AttendanceRow": "exports.rows",
    "AuditLine": "exports.audit",
    "ExcelWorkbook": "exports.excel",
    "PeriodReport": "exports.reports",
    "RosterEntry": "exports.reports",
    "WorkbookBusy": "exports.errors",
    "WorkbookCorrupt": "exports.errors",
    "WorkbookError": "exports.errors",
    "WorkbookLocked": "exports.errors",
    "move_aside": "exports.excel",
    "open_elsewhere": "exports.excel",
    "parse_start_time": "exports.reports",
    "period_report": "exports.reports",
    "with_current_names": "exports.reports",
    "write_csv_reports": "exports.csv_files",
}
__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from exports.audit import AuditLine
    from exports.csv_files import write_csv_reports
    from exports.errors import WorkbookBusy, WorkbookCorrupt, WorkbookError, WorkbookLocked
    from exports.excel import ExcelWorkbook, move_aside, open_elsewhere
    from exports.reports import (
        PeriodReport,
        RosterEntry,
        parse_start_time,
        period_report,
        with_current_names,
    )
    from exports.rows import AttendanceRow


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'exports' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
