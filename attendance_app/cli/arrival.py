"""`attendance-app arrival add PERSON --at "YYYY-MM-DD HH:MM" --reason TEXT`: a missed
arrival added by hand; `arrival correct EVENT_ID --at ... --reason TEXT`: a row's time
corrected. Both are appended to the journal's audit trail (attendance_app.records.
correcting); the month's workbook is then rewritten, as after a void, and a workbook that
cannot be written now is only a warning: the correction is kept."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, fail, warn

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation
    from attendance_app.records.correcting import Corrected

_AT_HELP = 'the local time, "YYYY-MM-DD HH:MM" (24-hour clock)'
_BY_HELP = "who makes the correction, for the audit trail (default: your user name)"


def _common(parser: argparse.ArgumentParser, by: bool = True) -> None:
    parser.add_argument("--reason", required=True, metavar="TEXT",
                        help='why, for the audit trail, e.g. "camera down"')
    if by:
        parser.add_argument("--by", metavar="NAME", help=_BY_HELP)


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "arrival", "Correct the record by hand: add a missed arrival or correct "
                                "a row's time (each kept in the audit trail, never an edit).")
    actions = p.add_subparsers(dest="arrival_command", metavar="ACTION", required=True)
    a = command(actions, "add", "Add an arrival the camera missed (camera down, face not "
                                "recognised); the workbook marks it \"by hand\".", add)
    a.add_argument("person", metavar="PERSON", help="the enrolled person's name")
    a.add_argument("--at", required=True, metavar="TIME", help=_AT_HELP)
    a.add_argument("--force", action="store_true",
                   help="add it even if the person already has an arrival that day")
    _common(a)
    c = command(actions, "correct", "Correct the time of a row; the workbook shows the new "
                                    "time and the original.", correct)
    c.add_argument("event_id", type=int, metavar="EVENT_ID",
                   help="the row's number, from the workbook's \"Event ID\" column")
    c.add_argument("--at", required=True, metavar="TIME", help=_AT_HELP)
    _common(c)


def report_done(workspace: Workspace, corrected: Corrected, said: str) -> int:
    """Print `said`, rewrite the months the correction shows in; 0 (a workbook that
    cannot be written now is a warning with the command that writes it later)."""
    from exports import WorkbookError

    print(said)
    sync = workspace.workbook_sync(workspace.records())
    for month in corrected.months:
        try:
            path = sync.rewrite_month(month)
        except (WorkbookError, OSError) as error:
            warn(f"{error}; the correction is kept: to write it into the workbook later, run "
                 f"{as_typed(f'export --since {month}-01')}")
            continue
        print(f"Rewrote {path}")
    return 0


def add(args: argparse.Namespace, invocation: Invocation) -> int:
    """Add PERSON's arrival at --at; 1 (with one line) if refused."""
    from attendance_app.records.correcting import CorrectionRefused, add_arrival, parse_time
    from attendance_app.records.voiding import describe_row

    workspace = invocation.workspace
    try:
        corrected = add_arrival(workspace.records(), workspace.store(), args.person,
                                parse_time(args.at), args.reason, args.by, args.force)
    except CorrectionRefused as refusal:
        fail(str(refusal))
        return 1
    return report_done(workspace, corrected, f"Added {describe_row(corrected.event)} "
                                             f"{corrected.event.camera}: {args.reason.strip()}.")


def correct(args: argparse.Namespace, invocation: Invocation) -> int:
    """Give row EVENT_ID the time --at; 1 (with one line) if refused."""
    from attendance_app.records.correcting import CorrectionRefused, correct_time, parse_time
    from attendance_app.records.voiding import describe_row

    workspace = invocation.workspace
    try:
        corrected = correct_time(workspace.records(), args.event_id, parse_time(args.at),
                                 args.reason, args.by)
    except CorrectionRefused as refusal:
        fail(str(refusal))
        return 1
    return report_done(workspace, corrected, f"Corrected {describe_row(corrected.event)}: "
                                             f"{args.reason.strip()}. The original time stays "
                                             "in the journal and the audit trail.")
