"""Exporting attendance to Excel workbooks (and CSV) that can always be rebuilt from the journal.

Only openpyxl and the standard library are used here, so the export can be tested and
reused without the camera, recognition or GUI code.
"""

from exports.csv_files import write_csv_reports
from exports.errors import WorkbookCorrupt, WorkbookError, WorkbookLocked
from exports.excel import ExcelWorkbook, move_aside, open_elsewhere
from exports.reports import PeriodReport, RosterEntry, parse_start_time, period_report
from exports.rows import AttendanceRow

__all__ = [
    "AttendanceRow",
    "ExcelWorkbook",
    "PeriodReport",
    "RosterEntry",
    "WorkbookCorrupt",
    "WorkbookError",
    "WorkbookLocked",
    "move_aside",
    "open_elsewhere",
    "parse_start_time",
    "period_report",
    "write_csv_reports",
]
