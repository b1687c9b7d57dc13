"""The `attendance-app` command: the top parser, the dispatch to a command's handler, and
error reporting. Each command group (people, run, export, ...) has its own module in
attendance_app/cli with its subcommands and their handlers.

Global options (--config, --data-dir, --workbook, --database) are accepted before or after the
subcommand, because people type them in either place. Every expected failure (bad
config, unreadable photo, missing camera, locked workbook: an AttendanceError,
attendance_app/errors.py) ends with one line saying what to do, never a traceback.

The arguments are parsed before any of the app's work is imported (the command group
modules import only what parsing needs), and each handler imports only what it uses:
`--help`, `people` or `export` never load the face models, OpenCV, Qt or the tracker
(tests/system/cli/test_startup.py checks it), so they answer at once.

Run as a program (not called by a test or a script with its own arguments), it also
writes the log file a user can send (attendance_app/app/log_file.py): the window and the
commands each their own file, with the command's name but never its arguments.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from attendance_app.app import log_file
from attendance_app.app.frozen import LIBRARY_PATHS, restore_user_environment
from attendance_app.app.version import app_version
from attendance_app.cli import (
    argparse_words,
    arrival,
    config,
    database,
    days_off,
    export,
    groups,
    journal,
    language,
    menu,
    messages,
    people,
    report,
    run,
    unknowns,
    void,
    web,
)
from attendance_app.cli.invocation import Invocation
from attendance_app.cli.options import Handler, global_options
from attendance_app.errors import AttendanceError, library_errors_reported
from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.config.location import SettingsLocation

COMMAND_GROUPS = (people, groups, days_off, run, export, report, void, arrival, journal,
                  database, config, unknowns, messages, web, menu)
"""Each module adds its subcommands with their handlers (`add_parser`), in this order in
`--help`. They import only what parsing needs; each handler imports its own work."""


def build_parser() -> argparse.ArgumentParser:
    """The top parser and each command group's subcommands, in the order `--help` lists them."""
    parser = argparse.ArgumentParser(
        prog="attendance-app",
        description=_("Recognise enrolled people at a door camera and log their arrival to "
                      "Excel. With no command, opens the desktop window."),
        epilog=_("Run a subcommand with --help for its details."),
    )
    global_options(parser, suppress=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}",
                        help=_("show the app's version and exit"))
    parser.add_argument("--source", dest="window_source", metavar="SRC",
                        help=_("with no command: open the window on this webcam number, "
                               "video file, stream URL, photo or folder (default: "
                               "camera.source)"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_parser(sub)
    return parser


def _settings(args: argparse.Namespace) -> SettingsLocation:
    """The settings file in use (attendance_app.config.location), after printing the notes
    about it (which file, when not the usual one; edits found in the project's reference)."""
    from attendance_app.config.location import resolve

    location, notes = resolve(args.config)
    for note in notes:
        print(_("note: {note}").format(note=note), file=sys.stderr, flush=True)
    return location


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The command's handler, or with no command the window."""
    invocation = Invocation(parser, args, _settings(args))
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return run.open_window(invocation, args.window_source)
    return handler(args, invocation)


def _log_kind(args: argparse.Namespace) -> tuple[str, str]:
    """Which log file this process writes ("window" or "command") and the command's name
    for its first line: the subcommand's words, never an argument (a database URL, a
    person's name, a path)."""
    if args.command is None:
        return "window", "window"
    if args.command == "run":
        return ("command", "run --headless") if args.headless else ("window", "run")
    action = getattr(args, f"{args.command}_command", None)
    return "command", f"{args.command} {action}" if action else args.command


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, `kill`): stops a command as Ctrl-C does, exit code 143."""


@contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """Let SIGTERM unwind a command as Ctrl-C does (a run installs its own, gentler stop),
    and put back the handler there was afterwards: main() called by a program that goes on
    (a test, a script) leaves its signals as they were."""
    def terminated(*_: object) -> None:
        raise Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `attendance-app` script; returns the exit code.

    Ctrl-C and SIGTERM end a command with one line and exit code 130 or 143, as shells
    expect, never a traceback: what was done before is kept (every event is already in the
    journal, every person enrolled is in the store).
    """
    # A frozen app (PyInstaller) runs this entry point in the worker processes it spawns
    # (recognition.encoders, recognition.photo_pool): there it must become the worker.
    multiprocessing.freeze_support()
    # ... and programs it starts (file manager, spreadsheet) must get the user's library path.
    restore_user_environment(LIBRARY_PATHS)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", stream=sys.stderr)
    language.start(sys.argv[1:] if argv is None else argv)  # before the parser: --help too
    argparse_words.use()
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None:  # the process's own command line; a caller keeps its own logging
        log_file.set_up(*_log_kind(args))
    code = _run(args, parser)
    log_file.ended(code)
    return code


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The command, its expected failures and interruptions each ended with one line."""
    try:
        with _terminate_like_interrupt(), library_errors_reported():
            return _dispatch(args, parser)
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, Terminated)
        print(_("stopped (terminated); what was done before is kept") if terminated else
              _("stopped (Ctrl-C); what was done before is kept"), file=sys.stderr)
        return 143 if terminated else 130
    except AttendanceError as error:
        print(_("error: {message}").format(message=error), file=sys.stderr)
        log_file.file_only(logging.ERROR, f"error: {error}")
        return 1
    except BrokenPipeError:  # `attendance-app report --day … | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (no flush error)
        return 141  # as a shell reports a program ended by SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
