"""`attendance-app menu add|remove`: the app in the Linux applications menu
(attendance_app/app/desktop_entry.py says why the app writes the entry itself)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "menu", _("The app in the Linux applications menu."))
    actions = p.add_subparsers(dest="menu_command", metavar="ACTION", required=True)
    command(actions, "add", _("Put this copy of the app in your applications menu (again after "
                            "moving its folder)."), add)
    command(actions, "remove", _("Take the app out of your applications menu."), remove)


def add(args: argparse.Namespace, invocation: Invocation) -> int:
    """`menu add`: write the user's desktop entry of this copy."""
    from attendance_app.app.desktop_entry import add_to_menu, program

    path = add_to_menu()
    print(_("Attendance is in your applications menu ({path}), starting {program}").format(
        path=path, program=program()))
    return 0


def remove(args: argparse.Namespace, invocation: Invocation) -> int:
    """`menu remove`: delete the user's desktop entry, if there is one."""
    from attendance_app.app.desktop_entry import remove_from_menu

    path = remove_from_menu()
    print(_("Attendance is no longer in your applications menu (removed {path})").format(
        path=path) if path
          else _("Attendance was not in your applications menu: nothing to remove"))
    return 0
