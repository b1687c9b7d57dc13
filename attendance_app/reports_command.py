"""`attendance-app report`: the reports of a month or a day, in the workbook and as CSV.

The month's workbook (the same file the app keeps up to date) is rewritten with its
report sheets, so what this prints and what the reader opens agree; `--day` also prints
that day's present, absent and late people. Everything is read from the journal's
slice for that month, so a report costs one month however long the journal is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from attendance_app.journal import month_of
from attendance_app.workbook_sync import days_of, to_row
from attendance_app.workspace import Workspace
from exports import PeriodReport, period_report, write_csv_reports


def _names(people: list[str], limit: int = 40) -> str:
    shown = ", ".join(people[:limit])
    return shown + (f" and {len(people) - limit} more" if len(people) > limit else "")


def _print_day(report: PeriodReport, day: date) -> None:
    totals = next((t for t in report.totals if t.day == day), None)
    if totals is None:
        print(f"{day:%A %d %B %Y}: nobody came (closed?), so nobody is listed as absent")
        return
    late = f", {totals.late} late" if report.start_time else ""
    print(f"{day:%A %d %B %Y}: {totals.present} present, {totals.absent} absent{late}")
    print(f"  Present: {_names([line.name for line in report.daily if line.day == day])}")
    if totals.absent:
        print(f"  Absent: {_names([line.name for line in report.absent if line.day == day])}")
    if totals.late:
        print("  Late: " + _names([f"{line.name} ({line.minutes_late} min)"
                                   for line in report.late if line.day == day]))


def report(workspace: Workspace, month: date | None, day: date | None, csv_dir: Path | None) -> int:
    """Write the month's workbook (and CSV files) and print a summary; 1 if no events."""
    period = month_of(day or month or date.today())
    journal = workspace.journal()
    sync = workspace.workbook_sync(journal)
    rows = [to_row(event) for event in journal.events_in_month(period)]
    title = f"{date.fromisoformat(period + '-01'):%B %Y}"
    if not rows:
        print(f"No attendance events in {title}: nothing to report")
        return 1
    path, _ = sync.write_month(period)
    print(f"Wrote the reports of {title} to {path}")
    if day is not None:
        _print_day(period_report(rows, sync.roster(), [day], sync.start_time), day)
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        days = [day] if day else days_of(period)
        chosen = [row for row in rows if row.timestamp.date() in days]
        written = write_csv_reports(csv_dir, f"attendance-{day or period}", chosen,
                                    period_report(chosen, sync.roster(), days, sync.start_time))
        print(f"Wrote {len(written)} CSV file(s) to {csv_dir}: "
              + ", ".join(path.name for path in written))
    return 0
