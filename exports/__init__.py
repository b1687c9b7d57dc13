"""Exporting attendance to an Excel workbook that can always be rebuilt from the journal.

Only openpyxl and the standard library are used here, so the export can be tested and
reused without the camera, recognition or GUI code.
"""

from exports.errors import WorkbookCorrupt, WorkbookError, WorkbookLocked
from exports.excel import ExcelWorkbook, move_aside
from exports.rows import AttendanceRow

__all__ = [
    "AttendanceRow",
    "ExcelWorkbook",
    "WorkbookCorrupt",
    "WorkbookError",
    "WorkbookLocked",
    "move_aside",
]
