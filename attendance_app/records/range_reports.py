"""The reports of any range of days (a week, a term, a school year), shared by `attendance-app
report --from --to` and the desktop app's Reports dialog.

A range may cross months: the journal is read month by month, each month's slice by its
time index, so a range costs its own events, never the whole history; every person is
named as the roster names them now. A range's workbook is a file the user names, apart
from the month workbooks the app keeps: those are the app's, rewritten at every save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

from attendance_app.errors import AttendanceError
from attendance_app.i18n import _, dates, ngettext
from attendance_app.records.corrections import CorrectedJournal
from attendance_app.records.journal import month_of
from attendance_app.records.reporting import day_counts
from attendance_app.records.workbook_sync import WorkbookSync, to_row
from attendance_app.records.workbooks import Workbooks
from exports import (
    AttendanceRow,
    ExcelWorkbook,
    PeriodReport,
    period_report,
    with_current_names,
    write_csv_reports,
)
from exports.by_group import NO_GROUP
from exports.group_filter import only_group
from exports.hours import late_text
from exports.owner_only import make_folder
from exports.people_totals import people_table
from exports.printing import period_words, site_heading
from exports.reports import DayTotals

LONGEST = 366
"""The most days a range report covers: a whole year, leap day included, which holds any
school year or financial year. Longer ranges are refused rather than made slow: the
Timesheet has a column per day, and a report of several years is a report per year."""


class RangeError(AttendanceError):
    """A range of days that cannot be reported: backwards, or longer than LONGEST."""


def range_days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included; RangeError in one line for a range
    that ends before it starts or is longer than LONGEST days."""
    if last < first:
        raise RangeError(_("the range ends ({last}) before it starts ({first}): give --from "
                           "the earlier day").format(last=last, first=first))
    count = (last - first).days + 1
    if count > LONGEST:
        raise RangeError(_("{first} to {last} is {count} days; a report covers at most "
                           "{longest} (a year): report each year on its own").format(
            first=first, last=last, count=count, longest=LONGEST))
    return [first + timedelta(days=step) for step in range(count)]


def _months(days: list[date]) -> list[str]:
    """The months ('YYYY-MM') that `days` fall in, in order."""
    return sorted({month_of(day) for day in days})


@dataclass(frozen=True)
class RangeReports:
    """The events of a range of days and the means to report on them."""

    days: list[date]
    rows: list[AttendanceRow]
    sync: WorkbookSync

    @classmethod
    def load(cls, workspace: Workbooks, first: date, last: date) -> RangeReports:
        """The range `first` to `last` from the journal (the central log, with a central
        database); RangeError for a range range_days refuses."""
        days = range_days(first, last)
        journal = workspace.records()
        wanted = set(days)
        rows = [to_row(event) for month in _months(days)
                for event in journal.events_in_month(month) if event.timestamp.date() in wanted]
        return cls(days, rows, workspace.workbook_sync(journal))

    @property
    def title(self) -> str:
        """'1 November 2026 to 31 January 2027' (a whole month: 'November 2026')."""
        return period_words(self.days)

    def report(self, group: str | None = None) -> tuple[list[AttendanceRow], PeriodReport]:
        """The range's rows (each person under their current name) and reports, of the
        whole site or of `group` alone (exports.group_filter; ValueError for a group there
        is not)."""
        roster = list(self.sync.roster())
        rows = with_current_names(self.rows, roster)
        report = period_report(rows, roster, self.days, self.sync.schedule())
        return (rows, report) if group is None else only_group(rows, report, group)

    def write_workbook(self, path: Path, group: str | None = None) -> int:
        """Write the range's workbook to `path` (not one of the app's month workbooks):
        per-person totals first, then the sheets of a month's workbook, and the Audit
        sheet of the range's corrections; returns the rows written."""
        self._check_target(path)
        rows, report = self.report(group)
        site = site_heading(self.sync.site)
        journal = self.sync.journal
        audit = None
        if isinstance(journal, CorrectedJournal):
            ids = {row.event_id for row in rows}
            start = datetime.combine(self.days[0], time.min)
            end = datetime.combine(self.days[-1] + timedelta(days=1), time.min)
            audit = [line for line in journal.audit_between(start, end) if line.event_id in ids]
        make_folder(path.parent)
        return ExcelWorkbook(path).write(rows, report, site if group is None
                                         else f"{site} · {_named(report)}", audit,
                                         first=[people_table(report)])

    def write_csv(self, folder: Path, group: str | None = None) -> list[Path]:
        """One CSV file per report into `folder`, named for the range (and the group):
        attendance-2026-11-02-to-2026-11-27-absent.csv, …-3a-late-arrivals.csv; a range of
        one day as `report --day` names it, attendance-2026-11-02-absent.csv."""
        make_folder(folder)
        rows, report = self.report(group)
        first, last = self.days[0], self.days[-1]
        prefix = f"attendance-{first}" + (f"-to-{last}" if last != first else "")
        if group is not None:
            prefix += "-" + (re.sub(r"[^\w]+", "-", _named(report).casefold()).strip("-")
                             or "group")
        return write_csv_reports(folder, prefix, rows, report, first=[people_table(report)])

    def _check_target(self, path: Path) -> None:
        """RangeError when `path` is not an .xlsx file, or is the app's own workbook or
        one of its month files, which the app rewrites at each save."""
        if path.suffix.lower() != ".xlsx":
            raise RangeError(_("{name} does not end in .xlsx: name the workbook e.g. "
                               "term-1.xlsx").format(name=path.name))
        main = self.sync.path
        ours = re.fullmatch(rf"{re.escape(main.stem)}(-\d{{4}}-\d{{2}})?{re.escape(main.suffix)}",
                            path.name)
        if ours and path.resolve().parent == main.resolve().parent:
            raise RangeError(_("{path} is the app's own workbook, rewritten at every save: "
                               "name another file for the range").format(path=path))



def _named(report: PeriodReport) -> str:
    """The name of the one group a narrowed report (exports.group_filter) is of, as the
    site spells it."""
    groups = report.schedule.groups
    return groups[0].name if groups else NO_GROUP


_Each = TypeVar("_Each")


def _by_name(found: dict[str, list[_Each]]) -> list[tuple[str, list[_Each]]]:
    """Each name's findings, names in alphabetical order whatever their letter case."""
    return sorted(found.items(), key=lambda item: item[0].casefold())


def _people_lines(report: PeriodReport, members: frozenset[int] | None,
                  indent: str) -> list[str]:
    """Who of `members` (None: everyone) was absent, excused (with the reasons of their
    leave) and late in the period, and how often."""
    def ours(person_id: int) -> bool:
        return members is None or person_id in members

    away: dict[str, list[date]] = {}
    for line in report.absent:
        if ours(line.person_id):
            away.setdefault(line.name, []).append(line.day)
    excused: dict[str, list[str]] = {}
    for leave in report.excused:
        if ours(leave.person_id):
            excused.setdefault(leave.name, []).append(leave.reason)
    behind: dict[str, list[int]] = {}
    for late in report.late:
        if ours(late.person_id):
            behind.setdefault(late.name, []).append(late.minutes_late)
    lines = [indent + _("Absent: {people}").format(people=", ".join(
        f"{name} ({_days(len(days))})" for name, days in _by_name(away)) or _("nobody"))]
    if excused:
        lines.append(indent + _("Excused: {people}").format(people=", ".join(
            f"{name} ({_days(len(reasons))}: {', '.join(dict.fromkeys(reasons))})"
            for name, reasons in _by_name(excused))))
    if report.reports_late:
        lines.append(indent + _("Late: {people}").format(people=", ".join(
            f"{name} (" + ngettext("{count} time, {minutes} in all",
                                   "{count} times, {minutes} in all", len(minutes)).format(
                count=len(minutes), minutes=late_text(sum(minutes))) + ")"
            for name, minutes in _by_name(behind)) or _("nobody")))
    return lines


def _days(count: int) -> str:
    """"1 day", "3 days"."""
    return ngettext("{count} day", "{count} days", count).format(count=count)


def _day_line(totals: DayTotals, late: bool) -> str:
    """'Mon 02 Nov 2026: 2 present, 0 absent, 1 excused, 1 late', or for a closed day
    'Fri 30 Oct 2026: closed (Autumn day), 2 came anyway' (nobody: no count)."""
    day = dates.day_text(totals.day)
    if totals.closed is not None:
        if totals.present:
            return f"  {day}: " + ngettext("closed ({name}), {count} came anyway",
                                           "closed ({name}), {count} came anyway",
                                           totals.present).format(name=totals.closed,
                                                                  count=totals.present)
        return f"  {day}: " + _("closed ({name})").format(name=totals.closed)
    return f"  {day}: " + day_counts(totals.present, totals.absent, totals.excused,
                                     totals.late if late else None)


def describe_range(report: PeriodReport) -> list[str]:
    """Lines for people to read: the range's totals per open (or closed) day, then who was
    absent, excused and late and how often, per group when the site has groups (whole
    lists, as describe_day)."""
    open_days = len(report.open_days)
    lines = [f"{period_words(report.days)}: " + ngettext("{count} open day", "{count} open days",
                                                         open_days).format(count=open_days)]
    lines += [_day_line(totals, report.reports_late) for totals in report.totals]
    groups = report.schedule.groups
    if not groups:
        return lines + _people_lines(report, None, "  ")
    grouped = frozenset().union(*(group.members for group in groups))
    rest = frozenset(line.person_id for line in report.timesheet) - grouped
    for name, members in (*((group.name, group.members) for group in groups), (NO_GROUP, rest)):
        if members:
            lines.append(f"  {name}:")
            lines += _people_lines(report, members, "    ")
    return lines
