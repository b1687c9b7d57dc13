"""`attendance-app group add|hours|rename|remove|assign|unassign|list`: groups (classes,
departments) and their hours, kept beside the roster in the face store
(enrolment.groups).

Hours are typed as people say them (`--days mon-fri --start 08:00 --grace 10`) and checked
here by exports.hours, so a bad value (25:00, "weekdays", a negative grace) ends with one
line naming it, not argparse's usage text.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, display_width, fail, padded
from attendance_app.wording import counted

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation
    from enrolment import Group, GroupBook


def _hours_options(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--start", required=required, metavar="HH:MM",
                   help="when the group's day starts, e.g. 08:30")
    p.add_argument("--grace", default="0", metavar="MIN",
                   help="minutes after the start that still count as on time (default 0)")
    p.add_argument("--days", required=required, metavar="DAYS",
                   help="the week days the group is expected: mon-fri, mon,wed,fri, sat-sun")
    p.add_argument("--end", default="", metavar="HH:MM",
                   help="when the group's day ends (optional)")


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "group", "Groups (classes, departments) and their hours: who is "
                              "expected when, and who counts as late.")
    actions = p.add_subparsers(dest="group_command", metavar="ACTION", required=True)
    p = command(actions, "add", "Create a group with its hours.", add)
    p.add_argument("name", help="the group's name, e.g. \"Class 3B\"")
    _hours_options(p, required=True)
    p = command(actions, "hours", "Give a group new hours.", hours)
    p.add_argument("name", help="the group's name")
    _hours_options(p, required=True)
    p = command(actions, "rename", "Give a group a new name.", rename)
    p.add_argument("old", help="the current name")
    p.add_argument("new", help="the new name")
    p = command(actions, "remove", "Delete a group (its people stay enrolled).", remove)
    p.add_argument("name", help="the group's name")
    for name, text, handler in (("assign", "Put people in a group.", assign),
                                ("unassign", "Take people out of a group.", unassign)):
        p = command(actions, name, text, handler)
        p.add_argument("group", help="the group's name")
        p.add_argument("people", nargs="+", metavar="PERSON", help="enrolled people's names")
    command(actions, "list", "List the groups with their members and hours.", list_groups)


def _book(invocation: Invocation) -> GroupBook | None:
    """The groups of this door's face store, or with a central database the site's: read
    from the roster copy (pulled first when the server answers), written on the server."""
    from enrolment import GroupBook

    workspace = invocation.workspace
    if workspace.central is None:
        return GroupBook(workspace.store())
    from attendance_app.central.group_book import group_book

    return group_book(workspace.store())


def _checked_hours(args: argparse.Namespace) -> tuple[int, str, int, str] | None:
    """(days mask, start, grace, end) from the options, or None after one line saying
    which value is wrong."""
    from exports.hours import check_grace, parse_clock, parse_days

    try:
        days = sum(1 << day for day in parse_days(args.days))
        start = f"{parse_clock(args.start):%H:%M}"
        end = f"{parse_clock(args.end):%H:%M}" if args.end else ""
        try:
            grace = int(args.grace)
        except ValueError:
            raise ValueError(f"grace must be a whole number of minutes, not {args.grace!r}") \
                from None
        check_grace(grace)
    except ValueError as error:
        fail(str(error))
        return None
    if end and end <= start:
        fail(f"the day must end after it starts ({start}), not at {end}")
        return None
    return days, start, grace, end


def _describe(group: Group) -> str:
    from exports.hours import Hours, parse_clock

    return Hours(frozenset(d for d in range(7) if group.days >> d & 1), parse_clock(group.start),
                 group.grace, parse_clock(group.end) if group.end else None).describe()


def add(args: argparse.Namespace, invocation: Invocation) -> int:
    checked = _checked_hours(args)
    book = _book(invocation) if checked else None
    if checked is None or book is None:
        return 1
    group = book.add(args.name, *checked)
    print(f"Added group {group.name}: {_describe(group)}")
    return 0


def hours(args: argparse.Namespace, invocation: Invocation) -> int:
    checked = _checked_hours(args)
    book = _book(invocation) if checked else None
    if checked is None or book is None:
        return 1
    group = book.set_hours(args.name, *checked)
    print(f"{group.name}: {_describe(group)}")
    return 0


def rename(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    if book is None:
        return 1
    group = book.rename(args.old, args.new)
    print(f"Renamed group {args.old} to {group.name}")
    return 0


def remove(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    if book is None:
        return 1
    group = book.remove(args.name)
    print(f"Removed group {group.name} ({counted(group.members, 'member')}; "
          "they stay enrolled)")
    return 0


def assign(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    if book is None:
        return 1
    added = book.assign(args.group, args.people)
    group = book.require(args.group)
    print(f"{group.name}: {counted(added, 'person', 'people')} added, "
          f"{counted(group.members, 'member')} now")
    return 0


def unassign(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    if book is None:
        return 1
    taken = book.unassign(args.group, args.people)
    group = book.require(args.group)
    print(f"{group.name}: {counted(taken, 'person', 'people')} taken out, "
          f"{counted(group.members, 'member')} now")
    return 0


def list_groups(args: argparse.Namespace, invocation: Invocation) -> int:
    """One line per group: name, members, hours (names lined up in wide characters too)."""
    book = _book(invocation)
    if book is None:
        return 1
    groups = book.groups()
    if not groups:
        print("No groups yet; everyone follows the site's hours (attendance.start_time). "
              "Add one with: "
              + as_typed("group add NAME --start 08:00 --days mon-fri"))
        return 0
    width = max(display_width("Group"), *(display_width(g.name) for g in groups))
    print(f"{padded('Group', width)}  {'Members':>7}  Hours")
    for group in groups:
        print(f"{padded(group.name, width)}  {group.members:>7}  {_describe(group)}")
    return 0
