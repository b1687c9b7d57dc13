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
from attendance_app.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable

    from attendance_app.cli.invocation import Invocation
    from enrolment import Group, GroupBook


def _hours_options(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--start", required=required, metavar="HH:MM",
                   help=_("when the group's day starts, e.g. 08:30"))
    p.add_argument("--grace", default="0", metavar="MIN",
                   help=_("minutes after the start that still count as on time (default 0)"))
    p.add_argument("--days", required=required, metavar="DAYS",
                   help=_("the week days the group is expected: mon-fri, mon,wed,fri, sat-sun"))
    p.add_argument("--end", default="", metavar="HH:MM",
                   help=_("when the group's day ends (optional)"))


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "group", _("Groups (classes, departments) and their hours: who is "
                              "expected when, and who counts as late."))
    actions = p.add_subparsers(dest="group_command", metavar="ACTION", required=True)
    p = command(actions, "add", _("Create a group with its hours."), add)
    p.add_argument("name", help=_("the group's name, e.g. \"Class 3B\""))
    _hours_options(p, required=True)
    p = command(actions, "hours", _("Give a group new hours."), hours)
    p.add_argument("name", help=_("the group's name"))
    _hours_options(p, required=True)
    p = command(actions, "rename", _("Give a group a new name."), rename)
    p.add_argument("old", help=_("the current name"))
    p.add_argument("new", help=_("the new name"))
    p = command(actions, "remove", _("Delete a group (its people stay enrolled)."), remove)
    p.add_argument("name", help=_("the group's name"))
    for name, text, handler in (("assign", N_("Put people in a group."), assign),
                                ("unassign", N_("Take people out of a group."), unassign)):
        p = command(actions, name, _(text), handler)
        p.add_argument("group", help=_("the group's name"))
        p.add_argument("people", nargs="+", metavar="PERSON", help=_("enrolled people's names"))
    command(actions, "list", _("List the groups with their members and hours."), list_groups)


def _book(invocation: Invocation) -> GroupBook:
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
            raise ValueError(_("grace must be a whole number of minutes, not {grace!r}").format(
                grace=args.grace)) from None
        check_grace(grace)
    except ValueError as error:
        fail(str(error))
        return None
    if end and end <= start:
        fail(_("the day must end after it starts ({start}), not at {end}").format(start=start,
                                                                                end=end))
        return None
    return days, start, grace, end


def _describe(group: Group) -> str:
    from exports.hours import Hours, parse_clock

    return Hours(frozenset(d for d in range(7) if group.days >> d & 1), parse_clock(group.start),
                 group.grace, parse_clock(group.end) if group.end else None).describe()


def _on_book(invocation: Invocation, change: Callable[[GroupBook], str]) -> int:
    """Open the groups, do `change` and print what it returns. Every action goes through
    it, so each opens, fails and reports alike (a refused change, such as an unknown group
    or a server out of reach, is the store's error, which the command line's edge prints
    as one line)."""
    print(change(_book(invocation)))
    return 0


def _with_hours(group: Group) -> str:
    return f"{group.name}: {_describe(group)}"


def _members(book: GroupBook, name: str, changed: int, added: bool) -> str:
    """The line after people were put in or taken out: how many, and how many now."""
    group = book.require(name)
    members = ngettext("{count} member now", "{count} members now", group.members).format(
        count=group.members)
    # Translators: {members} is "3 members now".
    line = (ngettext("{group}: {count} person added, {members}",
                     "{group}: {count} people added, {members}", changed) if added else
            ngettext("{group}: {count} person taken out, {members}",
                     "{group}: {count} people taken out, {members}", changed))
    return line.format(group=group.name, count=changed, members=members)


def add(args: argparse.Namespace, invocation: Invocation) -> int:
    checked = _checked_hours(args)
    if checked is None:
        return 1
    return _on_book(invocation,
                    lambda book: _("Added group {group}").format(
                        group=_with_hours(book.add(args.name, *checked))))


def hours(args: argparse.Namespace, invocation: Invocation) -> int:
    checked = _checked_hours(args)
    if checked is None:
        return 1
    return _on_book(invocation, lambda book: _with_hours(book.set_hours(args.name, *checked)))


def rename(args: argparse.Namespace, invocation: Invocation) -> int:
    return _on_book(invocation, lambda book: _("Renamed group {old} to {new}").format(
        old=args.old, new=book.rename(args.old, args.new).name))


def remove(args: argparse.Namespace, invocation: Invocation) -> int:
    def removed(book: GroupBook) -> str:
        group = book.remove(args.name)
        return ngettext("Removed group {group} ({count} member; they stay enrolled)",
                        "Removed group {group} ({count} members; they stay enrolled)",
                        group.members).format(group=group.name, count=group.members)
    return _on_book(invocation, removed)


def assign(args: argparse.Namespace, invocation: Invocation) -> int:
    return _on_book(invocation, lambda book: _members(
        book, args.group, book.assign(args.group, args.people), True))


def unassign(args: argparse.Namespace, invocation: Invocation) -> int:
    return _on_book(invocation, lambda book: _members(
        book, args.group, book.unassign(args.group, args.people), False))


def _listed(book: GroupBook) -> str:
    """One line per group: name, members, hours (names lined up in wide characters too)."""
    groups = book.groups()
    if not groups:
        return _("No groups yet; everyone follows the site's hours (attendance.start_time). "
                 "Add one with: {command}").format(
            command=as_typed("group add NAME --start 08:00 --days mon-fri"))
    name, members = _("Group"), _("Members")
    width = max(display_width(name), *(display_width(g.name) for g in groups))
    count_width = max(7, display_width(members))
    return "\n".join([f"{padded(name, width)}  {members:>{count_width}}  " + _("Hours")]
                     + [f"{padded(g.name, width)}  {g.members:>{count_width}}  {_describe(g)}"
                        for g in groups])


def list_groups(args: argparse.Namespace, invocation: Invocation) -> int:
    return _on_book(invocation, _listed)
