"""`attendance-app journal rebuild`: a lost journal's rows back from the workbooks
(attendance_app.records.journal_rebuild), then the workbooks written again from the new journal,
with a summary for people to read. `attendance-app journal refusals`: the faces refused by the
liveness check (attendance_app.recognition.refusal) of a day or a span of days, which no
workbook or report shows."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command, day
from attendance_app.cli.output import as_typed, fail, warn
from attendance_app.i18n import _, dates, ngettext

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation
    from attendance_app.records.journal_rebuild import Rebuilt


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "journal", _("The attendance journal (journal.sqlite3), where every row is "
                                "written first."))
    actions = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    command(actions, "rebuild", _("Rebuild the journal from the month workbooks (and the "
                                ".replaced-… copies the app kept) after it was deleted, emptied "
                                "or replaced; the journal as it was is kept aside."), rebuild)
    p = command(actions, "refusals", _("List the recognised faces that left without passing the "
                                     "liveness check (liveness.mode): they got no attendance "
                                     "row; oldest first, today's by default."), refusals)
    p.add_argument("--date", type=day, metavar="YYYY-MM-DD", help=_("the day to list"))
    p.add_argument("--from", dest="first", type=day, metavar="YYYY-MM-DD",
                   help=_("the first day to list (with --to: the last; without: up to today)"))
    p.add_argument("--to", dest="last", type=day, metavar="YYYY-MM-DD",
                   help=_("the last day to list (needs --from)"))


def refusals(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print the refusals of the days asked, one line each, then how many there were."""
    if args.date is not None and (args.first or args.last):
        fail(_("give either --date or --from/--to, not both"))
        return 1
    if args.last is not None and args.first is None:
        fail(_("--to needs --from: the first day to list"))
        return 1
    first = args.date or args.first or date.today()
    last = args.date or args.last or (date.today() if args.first else first)
    if last < first:
        fail(_("--to {last} is before --from {first}").format(last=last, first=first))
        return 1
    workspace = invocation.workspace
    from attendance_app.app.event_lines import refusal_line
    from attendance_app.recognition.refusal import between

    if workspace.central is not None:
        print(_("Refusals are not sent to the central database: these are this door's own, "
                "from its journal {path}").format(path=workspace.journal_path))
    found = between(workspace.journal().refusals(), first, last)
    for refusal in found:
        print(refusal_line(refusal))
    print(_refusals_found(len(found), first, last))
    return 0


def rebuild(args: argparse.Namespace, invocation: Invocation) -> int:
    """Rebuild the journal of the data folder; 1 (with one line) if refused."""
    workspace = invocation.workspace
    from attendance_app.app.instance_lock import DataFolderLock
    from attendance_app.records import journal_rebuild
    from enrolment.names import name_key

    if workspace.central is not None:
        fail(_("with a central database the workbook is written from the central log, which "
             "keeps every door's rows: `journal rebuild` is for a door's own files; run it "
             "without a database (no --database, no ATTENDANCE_DATABASE_URL, no database.url)"))
        return 1
    lock = DataFolderLock(workspace.journal_path)
    lock.acquire()  # no run or window may record meanwhile
    try:
        enrolled = {name_key(person.name): person.person_id
                    for person in workspace.store().people()}
        try:
            done = journal_rebuild.rebuild(workspace.journal_path, workspace.workbook_path,
                                           enrolled)
        except journal_rebuild.RebuildRefused as refusal:
            fail(str(refusal))
            return 1
        _describe(done)
        _write_workbooks(workspace, done)
    finally:
        lock.release()
    return 0


def _describe(done: Rebuilt) -> None:
    recovered = done.recovered
    for path, reason in recovered.unreadable:
        warn(_("{name} was not read: {reason}").format(name=path.name, reason=reason))
    voided = sum(event.void is not None for event in done.events)
    sources = ", ".join(path.name for path in recovered.files) or _("no workbook")
    rows = len(done.events)
    print((ngettext("Rebuilt the journal with {count} attendance row ({voided} void) from "
                    "{sources} and the journal as it was",
                    "Rebuilt the journal with {count} attendance rows ({voided} void) from "
                    "{sources} and the journal as it was", rows) if done.old_journal else
           ngettext("Rebuilt the journal with {count} attendance row ({voided} void) from "
                    "{sources}",
                    "Rebuilt the journal with {count} attendance rows ({voided} void) from "
                    "{sources}", rows)).format(count=rows, voided=voided, sources=sources))
    if done.old_journal is not None:
        print("  " + _("The journal as it was is kept as {name}").format(
            name=done.old_journal.name))
    if done.unmatched:
        names = ", ".join(f"{name} ({person_id})" for name, person_id in done.unmatched.items())
        print("  " + _("Not enrolled now, kept by name with a negative Person ID: {names}")
              .format(names=names))
    if not done.ids_kept:
        print("  " + _("Two sets of rows claimed the same Event IDs (an old journal's and a "
                       "new one's), so every row was numbered again in time order"))


def _write_workbooks(workspace: Workspace, done: Rebuilt) -> None:
    """Write the month workbooks from the new journal; the files read for it are replaced
    (their rows are in it), the `.replaced-…` copies left as they are."""
    from attendance_app.records.journal import Journal
    from exports import WorkbookError

    sync = workspace.workbook_sync(Journal(workspace.journal_path))
    for path in done.recovered.files:
        if ".replaced-" not in path.name:
            sync.vouch(path)
    try:
        sync.export()
    except (WorkbookError, OSError) as error:
        warn(_("{error}; the journal is rebuilt: write the workbooks later with {command}")
             .format(error=error, command=as_typed("export")))
        return
    print(_("Wrote the workbooks again from it in {folder}").format(
        folder=workspace.workbook_path.parent))


def _refusals_found(count: int, first: date, last: date) -> str:
    """The last line of `journal refusals`: how many, on which days."""
    if first == last:
        if not count:
            return _("No refusals on {day}").format(day=dates.day_text(first))
        return ngettext("{count} refusal on {day}", "{count} refusals on {day}", count).format(
            count=count, day=dates.day_text(first))
    if not count:
        return _("No refusals from {first} to {last}").format(first=dates.day_text(first),
                                                             last=dates.day_text(last))
    return ngettext("{count} refusal from {first} to {last}",
                    "{count} refusals from {first} to {last}", count).format(
        count=count, first=dates.day_text(first), last=dates.day_text(last))
