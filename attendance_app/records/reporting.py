"""The reports of one month (or one day of it), shared by `attendance-app report` and the
desktop app's Reports dialog.

Reports are computed from the journal's slice for that month and the current roster,
written into the month's workbook (the same file the app keeps up to date, so what
people open and what they were told agree) and, on request, as CSV files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from attendance_app.records.corrections import is_by_hand
from attendance_app.records.journal import month_of
from attendance_app.records.months import days_of
from attendance_app.records.workbook_sync import WorkbookSync, to_row
from attendance_app.records.workbooks import Workbooks
from attendance_app.wording import counted
from exports import (
    AttendanceRow,
    PeriodReport,
    period_report,
    with_current_names,
    write_csv_reports,
)
from exports.by_group import EVERYONE, group_days
from exports.hours import late_text
from exports.owner_only import make_folder


@dataclass(frozen=True)
class MonthReports:
    """One month's events and the means to report on them; `month` is 'YYYY-MM'."""

    month: str
    rows: list[AttendanceRow]
    sync: WorkbookSync

    @classmethod
    def load(cls, workspace: Workbooks, moment: date) -> MonthReports:
        """The month holding `moment`, read from the journal (the central log, with a
        central database), each person under their current name."""
        journal = workspace.records()
        month = month_of(moment)
        sync = workspace.workbook_sync(journal)
        rows = with_current_names((to_row(event) for event in journal.events_in_month(month)),
                                  sync.roster())
        return cls(month, rows, sync)

    @property
    def title(self) -> str:
        """'November 2026'."""
        return f"{date.fromisoformat(self.month + '-01'):%B %Y}"

    def report(self, day: date | None = None) -> PeriodReport:
        """The reports of the whole month, or of one day of it."""
        days = [day] if day else days_of(self.month)
        rows = [row for row in self.rows if row.timestamp.date() in days] if day else self.rows
        return period_report(rows, self.sync.roster(), days, self.sync.schedule())

    def by_hand(self, day: date | None = None) -> list[str]:
        """A line saying how many of the counted rows (of `day`, or of the month) were
        added by hand (attendance_app.records.corrections), none when there were none:
        they count as present like the camera's, and whoever reads the report should
        know which were typed in."""
        count = sum(1 for row in self.rows if row.void is None and is_by_hand(row.camera)
                    and (day is None or row.timestamp.date() == day))
        if not count:
            return []
        return [f"  By hand: {counted(count, 'arrival')} of these (the Audit sheet says who "
                "added them and why)"]

    def write_workbook(self) -> Path:
        """The month's workbook with its report sheets, written unless it already is as the
        app saved it from the same inputs (WorkbookSync.write_month); returns the file."""
        path, _ = self.sync.write_month(self.month, rows=self.rows)
        return path

    def write_csv(self, folder: Path, day: date | None = None) -> list[Path]:
        """One CSV file per report (of the month, or of `day`) in `folder`."""
        make_folder(folder)
        rows = [row for row in self.rows if row.timestamp.date() == day] if day else self.rows
        return write_csv_reports(folder, f"attendance-{day or self.month}", rows, self.report(day))


def describe_day(report: PeriodReport, day: date) -> list[str]:
    """Lines saying who was present, absent, excused and late on `day`, for people to
    read: the day's totals, then per group (exports.by_group) when the site has groups. A
    day the site is closed says so with its name (and who came anyway); a day nobody came
    that the calendar does not close says that nobody is listed as absent.

    Every list is whole: whoever reads it (a secretary phoning the absent) needs each name,
    not the first forty and a count; the window shows the lines in a scrolling box.
    """
    heading = f"{day:%A %d %B %Y}"
    if day in report.closed:
        came = sorted(line.name for line in report.daily if line.day == day)
        anyway = f"; came anyway: {', '.join(came)}" if came else ""
        return [f"{heading}: closed ({report.closed[day]}), nobody is expected{anyway}"]
    totals = next((t for t in report.totals if t.day == day), None)
    if totals is None:
        return [f"{heading}: nobody came and the calendar does not close it (was the camera "
                "off?), so nobody is listed as absent; `holiday add` marks a closed day"]
    late = f", {totals.late} late" if report.reports_late else ""
    excused = f", {totals.excused} excused" if totals.excused else ""
    lines = [f"{heading}: {totals.present} present, {totals.absent} absent{excused}{late}"]
    groups = group_days(report, day)
    for group in groups:
        indent = "  "
        if len(groups) > 1 or group.group != EVERYONE:
            if group.closed:
                lines.append(f"  {group.group}: closed ({group.closed}), "
                             f"{len(group.present)} came anyway")
                continue
            on_leave = f", {len(group.excused)} excused" if group.excused else ""
            lines.append(f"  {group.group}: {len(group.present)} present, "
                         f"{len(group.absent)} absent{on_leave}, {len(group.late)} late")
            indent = "    "
        lines.append(f"{indent}Present: {', '.join(group.present) or 'nobody'}")
        if group.absent:
            lines.append(f"{indent}Absent: {', '.join(group.absent)}")
        if group.excused:
            lines.append(f"{indent}Excused: " + ", ".join(
                f"{line.name} ({line.reason})" for line in group.excused))
        if group.late:
            lines.append(f"{indent}Late: " + ", ".join(
                f"{line.name} ({late_text(line.minutes_late)})" for line in group.late))
    return lines
