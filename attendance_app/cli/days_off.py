"""`attendance-app holiday add|list|remove|import` and `leave add|list|remove`: the calendar
of closed days (the site's or a group's) and each person's leave, kept beside the groups
in the face store (enrolment.days_off), or with a central database the site's, written
on the server and read from the door's copy (central.calendar_book).

Dates are checked here, so a bad one (2026-02-30) or a leave ending before it starts ends
with one line, not argparse's usage text. After each change the month workbooks already
written for its days are rewritten (records.calendar_changes), and the command says so.
A leave is named by its number, which `leave list` shows: a person may have two leaves
starting the same day (a morning's appointment and a week's illness).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, display_width, fail, padded, warn
from attendance_app.i18n import _, dates, ngettext

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation
    from enrolment import DaysOffBook


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "holiday", _("Closed days (holidays, breaks) of the site or of one group: "
                                "nobody is expected, nobody is absent."))
    actions = p.add_subparsers(dest="holiday_command", metavar="ACTION", required=True)
    a = command(actions, "add", _("Close the site (or one group) on a day or from a day to "
                                "another."), add_holiday)
    a.add_argument("first", metavar="YYYY-MM-DD", help=_("the (first) closed day"))
    a.add_argument("--to", metavar="YYYY-MM-DD", help=_("the last closed day (default: the first)"))
    a.add_argument("--name", required=True, metavar="TEXT", help=_('e.g. "Christmas break"'))
    a.add_argument("--group", metavar="GROUP", help=_("close this group only"))
    a = command(actions, "list", _("List the closed days."), list_holidays)
    a.add_argument("--year", type=int, metavar="YYYY", help=_("only those of this year"))
    a = command(actions, "remove", _("Open again the closed days holding a day."), remove_holiday)
    a.add_argument("day", metavar="YYYY-MM-DD", help=_("a day of the closure to remove"))
    a.add_argument("--group", metavar="GROUP", help=_("the group's closure, not the site's"))
    a = command(actions, "import", _("Add the closed days of an .ics calendar or a CSV file "
                                   "(date,name or date,to,name lines)."), import_holidays)
    a.add_argument("file", type=Path, metavar="FILE", help=_("the .ics or .csv file"))
    a.add_argument("--group", metavar="GROUP", help=_("close this group only"))
    p = command(sub, "leave", _("Leave per person (illness, holiday, training): excused, "
                              "never absent."))
    actions = p.add_subparsers(dest="leave_command", metavar="ACTION", required=True)
    a = command(actions, "add", _("Give a person leave from a day to another."), add_leave)
    a.add_argument("person", metavar="PERSON", help=_("the enrolled person's name"))
    a.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD",
                   help=_("the first day of leave"))
    a.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD",
                   help=_("the last day of leave"))
    a.add_argument("--reason", required=True, metavar="TEXT", help=_('e.g. "ill", "training"'))
    a = command(actions, "list", _("List the leave, each with its number."), list_leave)
    a.add_argument("--person", metavar="PERSON", help=_("only this person's"))
    a = command(actions, "remove", _("Remove a leave by its number (`leave list`)."), remove_leave)
    a.add_argument("leave_id", type=int, metavar="NUMBER", help=_("the leave's number"))


def _date(text: str) -> date | None:
    """The date typed, or None after one line saying how to write it."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(_("{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-24").format(
            text=text))
        return None


def _book(invocation: Invocation) -> DaysOffBook:
    """This door's calendar, or with a central database the site's: read from the roster
    copy (pulled first when the server answers), written on the server."""
    from attendance_app.central.calendar_book import days_off_book

    return days_off_book(invocation.workspace.store())


def _rewrite(workspace: Workspace, first: date, last: date) -> None:
    """Rewrite the written workbooks of first..last, saying which (or why not)."""
    from attendance_app.records.calendar_changes import rewrite_written

    done = rewrite_written(workspace.workbook_sync(workspace.records()), first, last)
    for path in done.files:
        print(_("Rewrote {path} with it").format(path=path))
    for month, error in done.failed:
        warn(_("{error}; the calendar is kept: to write it into the workbook later, run "
               "{command}").format(error=error, command=as_typed(f"export --since {month}-01")))


def _days(first: date, last: date) -> str:
    """One day, or a span of days, as the user's region writes dates."""
    if first == last:
        return dates.day_text(first)
    return _("{first} to {last}").format(first=dates.day_text(first), last=dates.day_text(last))


def add_holiday(args: argparse.Namespace, invocation: Invocation) -> int:
    first = _date(args.first)
    last = first if first is None or args.to is None else _date(args.to)
    if first is None or last is None:
        return 1
    book = _book(invocation)
    closure = book.close(first, last, args.name, args.group)
    days = _days(closure.first, closure.last)
    print(_("Closed the site on {days}: {name}").format(days=days, name=closure.name)
          if closure.group is None else
          _("Closed group {group} on {days}: {name}").format(group=closure.group, days=days,
                                                             name=closure.name))
    _rewrite(invocation.workspace, closure.first, closure.last)
    return 0


def list_holidays(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    closures = book.closures(args.year)
    if not closures:
        add = as_typed('holiday add YYYY-MM-DD --name "Christmas break"')
        print(_("No closed days in {year}; add one with: {command}").format(
            year=args.year, command=add) if args.year else
            _("No closed days; add one with: {command}").format(command=add))
        return 0
    site = _("site")
    width = max(display_width(c.group or site) for c in closures)
    for closure in closures:
        print(f"{padded(_days(closure.first, closure.last), 24)}  "
              f"{padded(closure.group or site, width)}  {closure.name}")
    return 0


def remove_holiday(args: argparse.Namespace, invocation: Invocation) -> int:
    day = _date(args.day)
    if day is None:
        return 1
    book = _book(invocation)
    closure = book.reopen(day, args.group)
    print(_("Opened again {days} ({name})").format(days=_days(closure.first, closure.last),
                                                    name=closure.name))
    _rewrite(invocation.workspace, closure.first, closure.last)
    return 0


def import_holidays(args: argparse.Namespace, invocation: Invocation) -> int:
    """Add the file's closures; those touching a closure already there are skipped, so
    importing a calendar again adds nothing twice."""
    from attendance_app.records.calendar_files import CalendarFileError, read_calendar_file

    book = _book(invocation)
    try:
        found = read_calendar_file(args.file)
    except CalendarFileError as error:
        fail(str(error))
        return 1
    added = [book.close(span.first, span.last, span.name, args.group) for span in found.spans
             if not book.overlapping(span.first, span.last, args.group)]
    skipped = len(found.spans) - len(added)
    print(ngettext("Imported {count} closure from {file}", "Imported {count} closures from {file}",
                   len(added)).format(count=len(added), file=args.file.name))
    if skipped:
        print("  " + ngettext("{count} already closed, skipped",
                              "{count} already closed, skipped", skipped).format(count=skipped))
    if found.repeating:
        print("  " + ngettext("{count} repeating event skipped (add its days by hand)",
                              "{count} repeating events skipped (add their days by hand)",
                              found.repeating).format(count=found.repeating))
    for closure in added:
        print(f"  {_days(closure.first, closure.last)}: {closure.name}")
    if added:
        _rewrite(invocation.workspace, min(c.first for c in added), max(c.last for c in added))
    return 0


def add_leave(args: argparse.Namespace, invocation: Invocation) -> int:
    first, last = _date(args.first), _date(args.last)
    if first is None or last is None:
        return 1
    book = _book(invocation)
    leave = book.add_leave(args.person, first, last, args.reason)
    print(_("Leave {number}: {person} {days} ({reason})").format(
        number=leave.leave_id, person=leave.person, days=_days(leave.first, leave.last),
        reason=leave.reason))
    _rewrite(invocation.workspace, leave.first, leave.last)
    return 0


def list_leave(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    entries = book.leave(args.person)
    if not entries:
        print(_("No leave; add some with: {command}").format(command=as_typed(
            "leave add PERSON --from YYYY-MM-DD --to YYYY-MM-DD --reason TEXT")))
        return 0
    person = _("Person")
    width = max(display_width(person), *(display_width(e.person) for e in entries))
    print(f"{_('No.'):>4}  {padded(person, width)}  {padded(_('Days'), 24)}  " + _("Reason"))
    for entry in entries:
        print(f"{entry.leave_id:>4}  {padded(entry.person, width)}  "
              f"{padded(_days(entry.first, entry.last), 24)}  {entry.reason}")
    return 0


def remove_leave(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    leave = book.remove_leave(args.leave_id)
    print(_("Removed leave {number}: {person} {days} ({reason})").format(
        number=leave.leave_id, person=leave.person, days=_days(leave.first, leave.last),
        reason=leave.reason))
    _rewrite(invocation.workspace, leave.first, leave.last)
    return 0
