"""`attendance-app report`: the reports of a month, a day or a range of days, in a
workbook and as CSV.

The month's workbook is rewritten with its report sheets; `--day` also prints that
day's present, absent and late people; `--csv DIR` writes each report as a CSV file.
`--from DAY --to DAY` reports a range (a week, a term) into a workbook the user names
(`--xlsx FILE`, never the month's) and CSV files; `--group` narrows it to one group.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command, day, month
from attendance_app.errors import AttendanceError
from attendance_app.i18n import _, ngettext

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "report", _("Write the attendance reports of a month or a day into the "
                                 "workbook, and optionally as CSV files."), report)
    period = p.add_mutually_exclusive_group()
    period.add_argument("--month", type=month, metavar="YYYY-MM", help=_("the month to report"))
    period.add_argument("--day", type=day, metavar="YYYY-MM-DD", help=_("the day to report"))
    p.add_argument("--csv", type=Path, metavar="DIR",
                   help=_("also write the reports as CSV files into DIR"))
    p.add_argument("--from", dest="first", type=day, metavar="YYYY-MM-DD",
                   help=_("the first day of a range to report (with --to; up to a year)"))
    p.add_argument("--to", dest="last", type=day, metavar="YYYY-MM-DD",
                   help=_("the last day of the range, included"))
    p.add_argument("--xlsx", type=Path, metavar="FILE",
                   help=_("with --from and --to: write the range's workbook to FILE"))
    p.add_argument("--group", metavar="NAME",
                   help=_("with --from and --to: report one group only "
                          "(\"No group\": the people in none)"))


def report(args: argparse.Namespace, invocation: Invocation) -> int:
    """Write the month's workbook (and CSV files) and print a summary; 1 if no events."""
    workspace = invocation.workspace
    workspace.pull_before_reports()
    if args.first is not None or args.last is not None:
        return report_range(args, invocation)
    if args.xlsx is not None or args.group is not None:
        raise AttendanceError(_("--xlsx and --group go with a range: add --from and --to"))
    from attendance_app.records.reporting import MonthReports, describe_day

    reports = MonthReports.load(workspace, args.day or args.month or date.today())
    if not reports.rows:
        print(_("No attendance events in {period}: nothing to report").format(period=reports.title))
        return 1
    print(_("The reports of {period} are in {path}").format(period=reports.title,
                                                          path=reports.write_workbook()))
    if args.day is not None:
        print("\n".join([*describe_day(reports.report(args.day), args.day),
                         *reports.by_hand(args.day)]))
    if args.csv is not None:
        written = reports.write_csv(args.csv, args.day)
        print(_wrote_csv(written, args.csv))
    return 0


def report_range(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print a range's days and people, write its workbook and CSV files; 1 if no events."""
    if args.first is None or args.last is None or args.day or args.month:
        raise AttendanceError(_("a range needs both --from and --to, and no --day or --month"))
    from attendance_app.records.range_reports import RangeReports, describe_range

    reports = RangeReports.load(invocation.workspace, args.first, args.last)
    if not reports.rows:
        print(_("No attendance events from {period}: nothing to report").format(
            period=reports.title))
        return 1
    try:
        print("\n".join(describe_range(reports.report(args.group)[1])))
    except ValueError as error:
        raise AttendanceError(str(error)) from None
    if args.xlsx is not None:
        rows = reports.write_workbook(args.xlsx, args.group)
        print(ngettext("Wrote {count} row and the reports of {period} to {path}",
                       "Wrote {count} rows and the reports of {period} to {path}", rows).format(
            count=rows, period=reports.title, path=args.xlsx))
    if args.csv is not None:
        written = reports.write_csv(args.csv, args.group)
        print(_wrote_csv(written, args.csv))
    return 0


def _wrote_csv(written: list[Path], folder: Path) -> str:
    """The line saying which CSV files were written where."""
    return ngettext("Wrote {count} CSV file to {folder}: {names}",
                    "Wrote {count} CSV files to {folder}: {names}", len(written)).format(
        count=len(written), folder=folder, names=", ".join(path.name for path in written))
