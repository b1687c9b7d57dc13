"""After a command changes the journal's past (a void, its undo, an arrival added or a time
corrected): the change said in one line, then each month it shows in rewritten and said
so. A workbook that cannot be written now (open in Excel) is only a warning naming the
command that writes it later, since the change is in the journal already; one place, so
every such command words this alike."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.output import as_typed, fail, warn
from attendance_app.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from attendance_app.app.workspace import Workspace
    from attendance_app.records.correcting import Corrected


def audit_options(parser: argparse.ArgumentParser, reason_help: str, by_help: str) -> None:
    """--reason TEXT (required) and --by NAME: what every change to the journal's past keeps
    in the audit trail, asked for alike by each command."""
    parser.add_argument("--reason", required=True, metavar="TEXT", help=reason_help)
    parser.add_argument("--by", metavar="NAME", help=by_help)


def rewrite_months(workspace: Workspace, months: Iterable[str], kept: str) -> None:
    """Rewrite each month's workbook ("YYYY-MM") from the journal, printing the file
    written, or warning, for a month that cannot be written now, that `kept` (the void, the
    correction) stays in the journal."""
    from exports import WorkbookError

    sync = workspace.workbook_sync(workspace.records())
    for month in months:
        try:
            path = sync.rewrite_month(month)
        except (WorkbookError, OSError) as error:
            warn(_("{error}; {kept}: to write it into the workbook later, run "
                   "{command}").format(error=error, kept=kept,
                                       command=as_typed(f"export --since {month}-01")))
            continue
        print(_("Rewrote {path}").format(path=path))


def correction_done(workspace: Workspace, correct: Callable[[], Corrected],
                    said: Callable[[Corrected], str]) -> int:
    """Make the correction `correct` (records.correcting), print `said` of it and rewrite
    the months it shows in; 0, or 1 (with one line) if it was refused."""
    from attendance_app.records.correcting import CorrectionRefused

    try:
        corrected = correct()
    except CorrectionRefused as refusal:
        fail(str(refusal))
        return 1
    print(said(corrected))
    rewrite_months(workspace, corrected.months, _("the correction is kept"))
    return 0
