"""`attendance-app arrival add PERSON --at "YYYY-MM-DD HH:MM" --reason TEXT`: a missed
arrival added by hand; `arrival correct EVENT_ID --at ... --reason TEXT`: a row's time
corrected. Both are appended to the journal's audit trail (attendance_app.records.
correcting); the month's workbook is then rewritten, as after a void, and a workbook that
cannot be written now is only a warning: the correction is kept."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.rewriting import audit_options, correction_done
from attendance_app.i18n import N_, _

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation

_AT_HELP = N_('the local time, "YYYY-MM-DD HH:MM" (24-hour clock)')
_BY_HELP = N_("who makes the correction, for the audit trail (default: your user name)")
_REASON_HELP = N_('why, for the audit trail, e.g. "camera down"')


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "arrival", _("Correct the record by hand: add a missed arrival or correct "
                                "a row's time (each kept in the audit trail, never an edit)."))
    actions = p.add_subparsers(dest="arrival_command", metavar="ACTION", required=True)
    a = command(actions, "add", _("Add an arrival the camera missed (camera down, face not "
                                "recognised); the workbook marks it \"by hand\"."), add)
    a.add_argument("person", metavar="PERSON", help=_("the enrolled person's name"))
    a.add_argument("--at", required=True, metavar="TIME", help=_(_AT_HELP))
    a.add_argument("--force", action="store_true",
                   help=_("add it even if the person already has an arrival that day"))
    audit_options(a, _(_REASON_HELP), _(_BY_HELP))
    c = command(actions, "correct", _("Correct the time of a row; the workbook shows the new "
                                    "time and the original."), correct)
    c.add_argument("event_id", type=int, metavar="EVENT_ID",
                   help=_("the row's number, from the workbook's \"Event ID\" column"))
    c.add_argument("--at", required=True, metavar="TIME", help=_(_AT_HELP))
    audit_options(c, _(_REASON_HELP), _(_BY_HELP))


def add(args: argparse.Namespace, invocation: Invocation) -> int:
    """Add PERSON's arrival at --at; 1 (with one line) if refused."""
    from attendance_app.records.correcting import add_arrival, parse_time
    from attendance_app.records.voiding import describe_row

    workspace = invocation.workspace
    return correction_done(
        workspace,
        lambda: add_arrival(workspace.records(), workspace.store(), args.person,
                            parse_time(args.at), args.reason, args.by, args.force),
        lambda corrected: _("Added {row} {camera}: {reason}.").format(
            row=describe_row(corrected.event), camera=corrected.event.camera,
            reason=args.reason.strip()))


def correct(args: argparse.Namespace, invocation: Invocation) -> int:
    """Give row EVENT_ID the time --at; 1 (with one line) if refused."""
    from attendance_app.records.correcting import correct_time, parse_time
    from attendance_app.records.voiding import describe_row

    workspace = invocation.workspace
    return correction_done(
        workspace,
        lambda: correct_time(workspace.records(), args.event_id, parse_time(args.at),
                             args.reason, args.by),
        lambda corrected: _("Corrected {row}: {reason}. The original time stays in the "
                            "journal and the audit trail.").format(
            row=describe_row(corrected.event), reason=args.reason.strip()))
