"""`attendance-app config path`: which settings file is in use."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "config", _("About the settings file."))
    actions = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    command(actions, "path", _("Print the full path of the settings file in use, which the "
                             "Settings dialog saves into."), path)


def path(args: argparse.Namespace, invocation: Invocation) -> int:
    """`config path`: the full path of the settings file in use on stdout, alone, so that it
    can be pasted or used in a script (`xdg-open "$(attendance-app config path)"`); what
    the file is, and whether it exists yet, in words on stderr. The settings are not read:
    this is the command to find a broken file."""
    from attendance_app.config.location import describe

    location = invocation.location
    print(location.path, flush=True)
    print(describe(location), file=sys.stderr, flush=True)
    return 0
