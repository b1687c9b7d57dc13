"""`attendance-app report`: the reports of a month or a day, in the workbook and as CSV.

The month's workbook is rewritten with its report sheets; `--day` also prints that
day's present, absent and late people; `--csv DIR` writes each report as a CSV file.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command, day, month
from attendance_app.wording import counted

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "report", "Write the attendance reports of a month or a day into the "
                               "workbook, and optionally as CSV files.", report)
    period = p.add_mutually_exclusive_group()
    period.add_argument("--month", type=month, metavar="YYYY-MM", help="the month to report")
    period.add_argument("--day", type=day, metavar="YYYY-MM-DD", help="the day to report")
    p.add_argument("--csv", type=Path, metavar="DIR", help="also write the reports as CSV files into DIR")


def report(args: argparse.Namespace, invocation: Invocation) -> int:
    """Write the month's workbook (and CSV files) and print a summary; 1 if no events."""
    workspace = invocation.workspace
    from attendance_app.records.reporting import MonthReports, describe_day

    reports = MonthReports.load(workspace, args.day or args.month or date.today())
    if not reports.rows:
        print(f"No attendance events in {reports.title}: nothing to report")
        return 1
    print(f"Wrote the reports of {reports.title} to {reports.write_workbook()}")
    if args.day is not None:
        print("\n".join([*describe_day(reports.report(args.day), args.day),
                         *reports.by_hand(args.day)]))
    if args.csv is not None:
        written = reports.write_csv(args.csv, args.day)
        print(f"Wrote {counted(len(written), 'CSV file')} to {args.csv}: "
              + ", ".join(path.name for path in written))
    return 0
