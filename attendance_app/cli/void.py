"""`attendance-app void EVENT_ID --reason TEXT`: mark a wrong row void from the command line.

The row's id is in the workbook's "Event ID" column. The void is committed to the journal
(attendance_app.records.voiding), then the row's month workbook is rewritten at once with the row
struck through; a workbook that cannot be written now (open in Excel) is only a warning,
with the command that writes it later: the void itself is kept.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import fail
from attendance_app.cli.rewriting import audit_options, correction_done, rewrite_months
from attendance_app.i18n import _, ngettext

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "void", _("Mark a wrong attendance row void (someone else was taken for "
                             "this person): it stays, struck through, and is no longer "
                             "counted. `void undo EVENT_ID` counts it again."), void)
    p.usage = "%(prog)s [undo] EVENT_ID --reason TEXT [--by NAME] [options]"
    p.add_argument("words", nargs="+", metavar="[undo] EVENT_ID",
                   help=_("the row's number, from the workbook's \"Event ID\" column; undo "
                        "before it undoes that row's void (kept in the audit trail)"))
    audit_options(p, _("why, e.g. \"not Ada: a visitor\""),
                  _("who voids it or undoes the void, for the record (default: your user "
                    "name)"))


def _event_id(words: list[str]) -> tuple[bool, int] | None:
    """(whether it is an undo, the row's number) from `[undo] EVENT_ID`; None otherwise."""
    undo = words[0] == "undo"
    rest = words[1:] if undo else words
    if len(rest) != 1 or not rest[0].isdigit():
        return None
    return undo, int(rest[0])


def _undo(args: argparse.Namespace, invocation: Invocation, event_id: int) -> int:
    """Undo the void of row `event_id`; 1 (with one line) if refused."""
    from attendance_app.records.correcting import undo_void
    from attendance_app.records.voiding import describe_row

    workspace = invocation.workspace
    return correction_done(
        workspace, lambda: undo_void(workspace.records(), event_id, args.reason, args.by),
        lambda corrected: _("Undid the void of {row}: {reason}. It counts again.").format(
            row=describe_row(corrected.event), reason=args.reason.strip()))


def void(args: argparse.Namespace, invocation: Invocation) -> int:
    """Void row EVENT_ID (or undo its void), print what was done; 1 (with one line) if it
    was refused."""
    target = _event_id(args.words)
    if target is None:
        fail(_("give a row's number, as in `void 12` or `void undo 12` (not \"{words}\")")
             .format(words=" ".join(args.words)))
        return 1
    if target[0]:
        return _undo(args, invocation, target[1])
    workspace = invocation.workspace
    from attendance_app.records.journal import month_of
    from attendance_app.records.voiding import VoidRefused, describe_row, void_event
    from enrolment.event_faces import KEEP_DAYS

    try:
        voided = void_event(workspace.journal(), workspace.store(), target[1], args.reason,
                            args.by, site=workspace.site_log())
    except VoidRefused as refusal:
        fail(str(refusal))
        return 1
    event = voided.event
    assert event.void is not None
    print(_("Voided {row}: {reason}. It stays in the journal and the workbook, struck "
            "through, and no report counts it.").format(row=describe_row(event),
                                                        reason=event.void.reason))
    if voided.faces:
        print(ngettext("Faces like the {count} face seen then will not be taken for {name} "
                       "again.", "Faces like the {count} faces seen then will not be taken for "
                       "{name} again.", voided.faces).format(count=voided.faces, name=event.name))
    else:
        print(_("No face was kept for it (a row older than {days} days, or written by an "
                "earlier version), so faces like it may still be taken for {name}.").format(
            days=KEEP_DAYS, name=event.name))
    rewrite_months(workspace, [month_of(event.timestamp)], _("the void is kept"))
    return 0
