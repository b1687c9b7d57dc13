"""`attendance-app export`: the month workbooks written again from the journal, the
source of truth (after a workbook was deleted, or to write rows a locked one missed)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command, day
from attendance_app.wording import counted

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "export", "Rebuild the workbooks (one per month) from the attendance "
                               "journal.", export)
    p.add_argument("--since", type=day, metavar="DATE",
                   help="only the workbooks of the month of YYYY-MM-DD and later")


def export(args: argparse.Namespace, invocation: Invocation) -> int:
    """Rewrite the month workbooks from the journal, one line per file as it is written."""
    workspace = invocation.workspace
    since: date | None = args.since
    if since is not None and since > date.today():
        print(f"error: --since {since:%Y-%m-%d} is in the future, so nothing would be written; "
              "give a date on or before today", file=sys.stderr)
        return 1
    workspace.pull_before_reports()
    written: list[Path] = []

    def progress(month: str, path: Path, rows: int) -> None:
        written.append(path)
        print(f"  {path.name}: {counted(rows, 'row')} of {month}", file=sys.stderr, flush=True)

    count = workspace.workbook_sync(workspace.records()).export(since, progress)
    folder = workspace.workbook_path.parent
    if since is not None and not written:
        print(f"error: no attendance events on or after {since:%Y-%m-%d} in the journal; "
              f"the workbooks in {folder} were left as they are", file=sys.stderr)
        return 1
    scope = f" from {since:%B %Y} on" if since else ""
    print(f"Wrote {counted(count, 'attendance row')}{scope} to "
          f"{counted(len(written) or 1, 'workbook')} in "
          f"{folder} (the latest month in {workspace.workbook_path.name})")
    return 0
