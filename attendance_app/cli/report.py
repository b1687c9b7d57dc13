"""`attendance-app report`: the reports of a month or a day, in the workbook and as CSV.

The month's workbook is rewritten with its report sheets; `--day` also prints that
day's present, absent and late people; `--csv DIR` writes each report as a CSV file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.records.reporting import MonthReports, describe_day
from attendance_app.wording import counted


def report(workspace: Workspace, month: date | None, day: date | None, csv_dir: Path | None) -> int:
    """Write the month's workbook (and CSV files) and print a summary; 1 if no events."""
    reports = MonthReports.load(workspace, day or month or date.today())
    if not reports.rows:
        print(f"No attendance events in {reports.title}: nothing to report")
        return 1
    print(f"Wrote the reports of {reports.title} to {reports.write_workbook()}")
    if day is not None:
        print("\n".join(describe_day(reports.report(day), day)))
    if csv_dir is not None:
        written = reports.write_csv(csv_dir, day)
        print(f"Wrote {counted(len(written), 'CSV file')} to {csv_dir}: "
              + ", ".join(path.name for path in written))
    return 0
