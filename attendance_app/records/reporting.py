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

from attendance_app.i18n import _, dates, ngettext
from attendance_app.records.corrections import is_by_hand
from attendance_app.records.journal import month_of
from attendance_app.records.months import days_of
from attendance_app.records.workbook_sync import WorkbookSync, to_row
from attendance_app.records.workbooks import Workbooks
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
        first = date.fromisoformat(self.month + "-01")
        return dates.month_text(first.year, first.month)

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
        return ["  " + ngettext("By hand: {count} arrival of these (the Audit sheet says who "
                                "added it and why)", "By hand: {count} arrivals of these (the "
                                "Audit sheet says who added them and why)", count).format(
            count=count)]

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
    heading = dates.weekday_and_day_text(day)
    if day in report.closed:
        came = sorted(line.name for line in report.daily if line.day == day)
        if came:
            return [_("{day}: closed ({name}), nobody is expected; came anyway: {people}").format(
                day=heading, name=report.closed[day], people=", ".join(came))]
        return [_("{day}: closed ({name}), nobody is expected").format(
            day=heading, name=report.closed[day])]
    totals = next((t for t in report.totals if t.day == day), None)
    if totals is None:
        return [_("{day}: nobody came and the calendar does not close it (was the camera "
                  "off?), so nobody is listed as absent; `holiday add` marks a closed day")
                .format(day=heading)]
    lines = [f"{heading}: " + day_counts(totals.present, totals.absent, totals.excused,
                                      totals.late if report.reports_late else None)]
    groups = group_days(report, day)
    for group in groups:
        indent = "  "
        if len(groups) > 1 or group.group != EVERYONE:
            if group.closed:
                lines.append(f"  {group.group}: " + ngettext(
                    "closed ({name}), {count} came anyway", "closed ({name}), {count} came anyway",
                    len(group.present)).format(name=group.closed, count=len(group.present)))
                continue
            lines.append(f"  {group.group}: " + day_counts(
                len(group.present), len(group.absent), len(group.excused), len(group.late)))
            indent = "    "
        lines.append(indent + _("Present: {people}").format(
            people=", ".join(group.present) or _("nobody")))
        if group.absent:
            lines.append(indent + _("Absent: {people}").format(people=", ".join(group.absent)))
        if group.excused:
            lines.append(indent + _("Excused: {people}").format(people=", ".join(
                f"{line.name} ({line.reason})" for line in group.excused)))
        if group.late:
            lines.append(indent + _("Late: {people}").format(people=", ".join(
                f"{line.name} ({late_text(line.minutes_late)})" for line in group.late)))
    return lines


def day_counts(present: int, absent: int, excused: int, late: int | None) -> str:
    """"3 present, 1 absent, 1 excused, 2 late": the excused only when there are some, the
    late only when lateness is reported (None: it is not). Each count has its own plural
    forms (Spanish: "1 presente", "3 presentes"), joined into the list by "{counts},
    {more}"."""
    text = _("{counts}, {more}").format(
        counts=ngettext("{count} present", "{count} present", present).format(count=present),
        more=ngettext("{count} absent", "{count} absent", absent).format(count=absent))
    if excused:
        text = _("{counts}, {more}").format(counts=text, more=ngettext(
            "{count} excused", "{count} excused", excused).format(count=excused))
    if late is not None:
        text = _("{counts}, {more}").format(counts=text, more=ngettext(
            "{count} late", "{count} late", late).format(count=late))
    return text
