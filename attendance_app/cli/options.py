"""The pieces every command group's parser is made of: the global options, a subcommand
that takes them too, the date and month argument types, and the handler's signature.

Each command group (cli/people.py, cli/database.py, ...) has `add_parser(sub)`, which adds
its subcommands with `command(...)` and sets `handler` to the function that does the work;
cli/main.py calls that function with the parsed arguments and an Invocation."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation

Handler: TypeAlias = Callable[[argparse.Namespace, "Invocation"], int]
"""What a subcommand does: takes the parsed arguments and the invocation (settings,
workspace), prints for people and returns the exit code (0 done, 1 nothing done or a
problem reported)."""

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Add the options every command takes; in subparsers they must not reset the
    values given before the subcommand, hence SUPPRESS there."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", type=Path, default=default, metavar="PATH",
                        help=_("settings file to read and to save into (default: ./config.yaml if "
                             "present, else your user settings; `config path` shows which)"))
    parser.add_argument("--data-dir", type=Path, default=default, metavar="DIR",
                        help=_("folder for the face store, the journal and the default workbook "
                             "(default: your user data folder)"))
    parser.add_argument("--workbook", type=Path, default=default, metavar="PATH",
                        help=_("the Excel workbook to write (default: attendance.xlsx in the "
                               "data folder)"))
    parser.add_argument("--database", default=default, metavar="URL",
                        help=_("the site's central PostgreSQL shared by several doors, e.g. "
                             "postgresql://attendance@server/attendance (default: "
                             "$ATTENDANCE_DATABASE_URL, else database.url in the settings; "
                             "none: this computer's own files)"))


def command(sub: Subcommands, name: str, help_text: str,
            handler: Handler | None = None) -> argparse.ArgumentParser:
    """A subcommand (or an action of one) taking the global options, whose help is also its
    description; `handler` does its work (None for a group whose actions each have theirs)."""
    parser = sub.add_parser(name, help=help_text, description=help_text)
    global_options(parser, suppress=True)
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def day(text: str) -> date:
    """'2024-05-17' -> that date; anything else is a usage error saying how to write it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date; write it as YYYY-MM-DD").format(text=text)) from None


def month(text: str) -> date:
    """'2024-05' -> the first day of that month."""
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a month; write it as YYYY-MM").format(text=text)) from None
