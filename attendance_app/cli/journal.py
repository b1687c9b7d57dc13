"""`attendance-app journal rebuild`: a lost journal's rows back from the workbooks
(attendance_app.records.journal_rebuild), then the workbooks written again from the new journal,
with a summary for people to read. `attendance-app journal refusals`: the faces refused by the
liveness check (attendance_app.recognition.refusal) of a day or a span of days, which no
workbook or report shows."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command, day
from attendance_app.cli.output import as_typed, fail, warn
from attendance_app.wording import counted

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation
    from attendance_app.records.journal_rebuild import Rebuilt


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "journal", "The attendance journal (journal.sqlite3), where every row is "
                                "written first.")
    actions = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    command(actions, "rebuild", "Rebuild the journal from the month workbooks (and the "
                                ".replaced-… copies the app kept) after it was deleted, emptied "
                                "or replaced; the journal as it was is kept aside.", rebuild)
    p = command(actions, "refusals", "List the recognised faces that left without passing the "
                                     "liveness check (liveness.mode): they got no attendance "
                                     "row; oldest first, today's by default.", refusals)
    p.add_argument("--date", type=day, metavar="YYYY-MM-DD", help="the day to list")
    p.add_argument("--from", dest="first", type=day, metavar="YYYY-MM-DD",
                   help="the first day to list (with --to: the last; without: up to today)")
    p.add_argument("--to", dest="last", type=day, metavar="YYYY-MM-DD",
                   help="the last day to list (needs --from)")


def refusals(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print the refusals of the days asked, one line each, then how many there were."""
    if args.date is not None and (args.first or args.last):
        fail("give either --date or --from/--to, not both")
        return 1
    if args.last is not None and args.first is None:
        fail("--to needs --from: the first day to list")
        return 1
    first = args.date or args.first or date.today()
    last = args.date or args.last or (date.today() if args.first else first)
    if last < first:
        fail(f"--to {last} is before --from {first}")
        return 1
    workspace = invocation.workspace
    from attendance_app.recognition.refusal import between

    if workspace.central is not None:
        print(f"Refusals are not sent to the central database: these are this door's own, "
              f"from its journal {workspace.journal_path}")
    found = between(workspace.journal().refusals(), first, last)
    for refusal in found:
        print(refusal.describe())
    days = f"on {first}" if first == last else f"from {first} to {last}"
    print(f"{counted(len(found), 'refusal') if found else 'No refusals'} {days}")
    return 0


def rebuild(args: argparse.Namespace, invocation: Invocation) -> int:
    """Rebuild the journal of the data folder; 1 (with one line) if refused."""
    workspace = invocation.workspace
    from attendance_app.app.instance_lock import DataFolderLock
    from attendance_app.records import journal_rebuild
    from enrolment.names import name_key

    if workspace.central is not None:
        fail("with a central database the workbook is written from the central log, which "
             "keeps every door's rows: `journal rebuild` is for a door's own files; run it "
             "without a database (no --database, no ATTENDANCE_DATABASE_URL, no database.url)")
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
        warn(f"{path.name} was not read: {reason}")
    voided = sum(event.void is not None for event in done.events)
    sources = ", ".join(path.name for path in recovered.files) or "no workbook"
    print(f"Rebuilt the journal with {counted(len(done.events), 'attendance row')} "
          f"({voided} void) from {sources}"
          f"{' and the journal as it was' if done.old_journal else ''}")
    if done.old_journal is not None:
        print(f"  The journal as it was is kept as {done.old_journal.name}")
    if done.unmatched:
        names = ", ".join(f"{name} ({person_id})" for name, person_id in done.unmatched.items())
        print(f"  Not enrolled now, kept by name with a negative Person ID: {names}")
    if not done.ids_kept:
        print("  Two sets of rows claimed the same Event IDs (an old journal's and a new "
              "one's), so every row was numbered again in time order")


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
        print(f"warning: {error}; the journal is rebuilt: write the workbooks later with "
              f"{as_typed('export')}", file=sys.stderr)
        return
    print(f"Wrote the workbooks again from it in {workspace.workbook_path.parent}")
