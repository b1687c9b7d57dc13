"""`attendance-app export`: the month workbooks written again from the journal, the
source of truth (after a workbook was deleted, or to write rows a locked one missed)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command, day
from attendance_app.cli.output import fail
from attendance_app.i18n import _, dates, ngettext

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "export", _("Rebuild the workbooks (one per month) from the attendance "
                               "journal."), export)
    p.add_argument("--since", type=day, metavar="DATE",
                   help=_("only the workbooks of the month of YYYY-MM-DD and later"))


def export(args: argparse.Namespace, invocation: Invocation) -> int:
    """Rewrite the month workbooks from the journal, one line per file as it is written."""
    workspace = invocation.workspace
    since: date | None = args.since
    if since is not None and since > date.today():
        fail(_("--since {day} is in the future, so nothing would be written; give a date on "
               "or before today").format(day=since.isoformat()))
        return 1
    workspace.pull_before_reports()
    written: list[Path] = []

    def progress(month: str, path: Path, rows: int) -> None:
        written.append(path)
        print("  " + ngettext("{name}: {count} row of {month}", "{name}: {count} rows of {month}",
                              rows).format(name=path.name, count=rows, month=month),
              file=sys.stderr, flush=True)

    count = workspace.workbook_sync(workspace.records()).export(since, progress)
    folder = workspace.workbook_path.parent
    if since is not None and not written:
        fail(_("no attendance events on or after {day} in the journal; the workbooks in "
               "{folder} were left as they are").format(day=since.isoformat(), folder=folder))
        return 1
    files = len(written) or 1
    rows = ngettext("{count} attendance row", "{count} attendance rows", count).format(
        count=count)
    workbooks = ngettext("{count} workbook", "{count} workbooks", files).format(count=files)
    # Translators: {rows} is "5 attendance rows", {workbooks} "2 workbooks".
    line = (_("Wrote {rows} from {month} on to {workbooks} in {folder} (the latest month in "
              "{name})") if since else
            _("Wrote {rows} to {workbooks} in {folder} (the latest month in {name})"))
    print(line.format(rows=rows, workbooks=workbooks, folder=folder,
                      month=dates.month_text(since.year, since.month) if since else "",
                      name=workspace.workbook_path.name))
    return 0
