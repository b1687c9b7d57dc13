"""`attendance-app void EVENT_ID --reason TEXT`: mark a wrong row void from the command line.

The row's id is in the workbook's "Event ID" column. The void is committed to the journal
(attendance_app.records.voiding), then the row's month workbook is rewritten at once with the row
struck through; a workbook that cannot be written now (open in Excel) is only a warning,
with the command that writes it later: the void itself is kept.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed
from attendance_app.wording import counted

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "void", "Mark a wrong attendance row void (someone else was taken for "
                             "this person): it stays, struck through, and is no longer "
                             "counted.", void)
    p.add_argument("event_id", type=int, metavar="EVENT_ID",
                   help="the row's number, from the workbook's \"Event ID\" column")
    p.add_argument("--reason", required=True, metavar="TEXT",
                   help="why the row is wrong, e.g. \"not Ada: a visitor\"")


def void(args: argparse.Namespace, invocation: Invocation) -> int:
    """Void row EVENT_ID, print what was done; 1 (with one line) if it was refused."""
    workspace = invocation.workspace
    from attendance_app.records.journal import month_of
    from attendance_app.records.voiding import (
        VoidRefused,
        describe_row,
        rewrite_workbook,
        void_event,
    )
    from enrolment.event_faces import KEEP_DAYS
    from exports import WorkbookError

    try:
        voided = void_event(workspace.journal(), workspace.store(), args.event_id, args.reason)
    except VoidRefused as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    event = voided.event
    assert event.void is not None
    print(f"Voided {describe_row(event)}: {event.void.reason}. It stays in the journal and the "
          "workbook, struck through, and no report counts it.")
    if voided.faces:
        print(f"Faces like the {counted(voided.faces, 'face')} seen then will not be taken for "
              f"{event.name} again.")
    else:
        print(f"No face was kept for it (a row older than {KEEP_DAYS} days, or written by an "
              f"earlier version), so faces like it may still be taken for {event.name}.")
    try:
        path = rewrite_workbook(workspace, event)
    except (WorkbookError, OSError) as error:
        month = month_of(event.timestamp)
        print(f"warning: {error}; the void is kept: to write it into the workbook later, run "
              f"{as_typed(f'export --since {month}-01')}", file=sys.stderr)
        return 0
    print(f"Rewrote {path}")
    return 0
