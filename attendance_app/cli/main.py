"""The `attendance-app` command: argument parsing and error reporting.

Global options (--config, --data-dir, --workbook, --database) are accepted before or after the
subcommand, because people type them in either place. Every expected failure (bad
config, unreadable photo, missing camera, locked workbook) ends with one line saying
what to do, never a traceback.

The arguments are parsed before anything of the app is imported, and each command imports
only what it uses: `--help`, `people` or `export` never load the face models, OpenCV, Qt or
the tracker (tests/system/cli/test_startup.py checks it), so they answer at once.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.errors import AttendanceError, library_errors_reported

if TYPE_CHECKING:
    from attendance_app.config.location import SettingsLocation

def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Add the options every command takes; in subparsers they must not reset the
    values given before the subcommand, hence SUPPRESS there."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", type=Path, default=default, metavar="PATH",
                        help="settings file to read and to save into (default: ./config.yaml if "
                             "present, else your user settings; `config path` shows which)")
    parser.add_argument("--data-dir", type=Path, default=default, metavar="DIR",
                        help="folder for the face store, the journal and the default workbook "
                             "(default: your user data folder)")
    parser.add_argument("--workbook", type=Path, default=default, metavar="PATH",
                        help="the Excel workbook to write (default: attendance.xlsx in the data folder)")
    parser.add_argument("--database", default=default, metavar="URL",
                        help="the site's central PostgreSQL shared by several doors, e.g. "
                             "postgresql://attendance@server/attendance (default: "
                             "$ATTENDANCE_DATABASE_URL, else database.url in the settings; "
                             "none: this computer's own files)")


def _version() -> str:
    """The installed version (from the package metadata, without importing the app)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("attendance-app")
    except PackageNotFoundError:
        return "(not installed)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _month(text: str) -> date:
    """'2024-05' -> the first day of that month."""
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month; write it as YYYY-MM") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attendance-app",
        description="Recognise enrolled people at a door camera and log their arrival to Excel. "
                    "With no command, opens the desktop window.",
        epilog="Run a subcommand with --help for its details.",
    )
    _global_options(parser, suppress=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--source", dest="window_source", metavar="SRC",
                        help="with no command: open the window on this webcam number, video "
                             "file, stream URL, photo or folder (default: camera.source)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _global_options(p, suppress=True)
        return p

    p = command("enrol", "Enrol a person from photos, or everyone in a folder of per-person folders.")
    p.add_argument("name", nargs="?", help="the person's name, e.g. \"Ada Lovelace\"")
    p.add_argument("photos", nargs="*", type=Path, help="photos showing only this person's face")
    p.add_argument("--folder", type=Path, metavar="DIR",
                   help="enrol everyone in DIR/<person name>/*.jpg|png instead")
    p.add_argument("--names-from-folders", action="store_true",
                   help="with --folder: turn '_' in folder names into spaces (Roh_Moo-hyun -> "
                        "Roh Moo-hyun)")
    p.add_argument("--force", action="store_true",
                   help="enrol even a face already enrolled under another name (twins)")

    command("people", "List enrolled people: name, id, number of encodings, date enrolled.")

    p = command("forget", "Delete a person with every encoding and face image of theirs.")
    p.add_argument("name", help="the enrolled person's name")

    p = command("rename", "Give an enrolled person a new name.")
    p.add_argument("old", help="the current name")
    p.add_argument("new", help="the new name")

    p = command("run", "Watch a camera, video file, stream, photo or folder of photos and log arrivals.")
    p.add_argument("--source", metavar="SRC",
                   help="webcam number (0), video file, stream URL, photo, or folder of photos "
                        "(default: camera.source in the config)")
    p.add_argument("--headless", action="store_true",
                   help="no window: print events and, at the end, frames per second")
    p.add_argument("--tracks", type=Path, metavar="FILE.csv",
                   help="with --headless: write every box the window would draw, one line per "
                        "box per frame (frame, track_id, x1, y1, x2, y2, label, status)")

    p = command("identify", "Show who is in photos (box, best match or Unknown, distance); logs nothing.")
    p.add_argument("photos", nargs="+", type=Path, help="photos to look at")

    p = command("export", "Rebuild the workbooks (one per month) from the attendance journal.")
    p.add_argument("--since", type=_day, metavar="DATE",
                   help="only the workbooks of the month of YYYY-MM-DD and later")

    p = command("report", "Write the attendance reports of a month or a day into the workbook, "
                          "and optionally as CSV files.")
    period = p.add_mutually_exclusive_group()
    period.add_argument("--month", type=_month, metavar="YYYY-MM", help="the month to report")
    period.add_argument("--day", type=_day, metavar="YYYY-MM-DD", help="the day to report")
    p.add_argument("--csv", type=Path, metavar="DIR", help="also write the reports as CSV files into DIR")

    p = command("void", "Mark a wrong attendance row void (someone else was taken for this "
                        "person): it stays, struck through, and is no longer counted.")
    p.add_argument("event_id", type=int, metavar="EVENT_ID",
                   help="the row's number, from the workbook's \"Event ID\" column")
    p.add_argument("--reason", required=True, metavar="TEXT",
                   help="why the row is wrong, e.g. \"not Ada: a visitor\"")

    p = command("journal", "The attendance journal (journal.sqlite3), where every row is "
                           "written first.")
    journal_sub = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    rebuild_help = ("Rebuild the journal from the month workbooks (and the .replaced-… copies "
                    "the app kept) after it was deleted, emptied or replaced; the journal as "
                    "it was is kept aside.")
    _global_options(journal_sub.add_parser("rebuild", help=rebuild_help,
                                           description=rebuild_help), suppress=True)

    p = command("database", "The site's central PostgreSQL database (database.url), shared "
                            "by several doors.")
    database_sub = p.add_subparsers(dest="database_command", metavar="ACTION", required=True)
    for action, help_text in (
            ("init", "Create the attendance tables on the server, or bring them up to date "
                     "(safe to run again)."),
            ("status", "Check the connection; print the server, the schema version and how "
                       "many people and events it holds."),
            ("send-people", "Send the people enrolled in this door's own files to the central "
                            "database (once, when a site that began with one door adds more)."),
            ("adopt", "Make the database the URL names this door's site (its site's database "
                      "was made anew or emptied): send it this door's people and every row "
                      "the door logged since it joined (none is doubled)."),
            ("join-new-site", "Move this door to the site of the database the URL names: its "
                              "copy takes that site's people; rows waiting for the old site "
                              "stay in its journal.")):
        _global_options(database_sub.add_parser(action, help=help_text, description=help_text),
                        suppress=True)
    door_help = ("Create a login for one door, with a door's rights only (run with the login "
                 "that owns the tables); the password is read from ATTENDANCE_DOOR_PASSWORD "
                 "or typed, never printed. Run again to give it a new password.")
    door_user = database_sub.add_parser("add-door-user", help=door_help, description=door_help)
    door_user.add_argument("name", metavar="NAME", help="the login's name, e.g. door_gate")
    _global_options(door_user, suppress=True)

    p = command("config", "About the settings file.")
    config_sub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    path_help = ("Print the full path of the settings file in use, which the Settings dialog "
                 "saves into.")
    _global_options(config_sub.add_parser("path", help=path_help, description=path_help),
                    suppress=True)

    p = command("unknowns", "List the faces kept of people who are not enrolled "
                            "(unknowns.keep_days), one group per person, most visits first; "
                            "or enrol or delete a group.")
    unknowns_sub = p.add_subparsers(dest="unknowns_command", metavar="ACTION")
    for action, help_text in (("enrol", "Enrol a group under a name, from its best faces."),
                              ("delete", "Delete a group's faces and encodings.")):
        q = unknowns_sub.add_parser(action, help=help_text, description=help_text)
        _global_options(q, suppress=True)
        q.add_argument("group", type=int, help="the group's number, as `unknowns` lists it")
        if action == "enrol":
            q.add_argument("name", help="the person's name, e.g. \"Ada Lovelace\"")
    return parser


def _settings(args: argparse.Namespace) -> SettingsLocation:
    """The settings file in use (attendance_app.config.location), after printing the notes
    about it (which file, when not the usual one; edits found in the project's reference)."""
    from attendance_app.config.location import resolve

    location, notes = resolve(args.config)
    for note in notes:
        print(f"note: {note}", file=sys.stderr, flush=True)
    return location


def _open_window(args: argparse.Namespace, location: SettingsLocation, source: str | None) -> int:
    """The desktop window; imported here so the other commands never load Qt."""
    from attendance_app.gui.app import run_gui

    return run_gui(location.path, location.read_path is not None, args.data_dir,
                   args.workbook, source, args.database)


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    location = _settings(args)
    if args.command is None:
        return _open_window(args, location, args.window_source)
    if args.command == "run" and not args.headless:
        return _open_window(args, location, args.source or args.window_source)
    from attendance_app.cli import commands

    if args.command == "config":
        return commands.show_config_path(location)
    from attendance_app.app.workspace import Workspace
    from attendance_app.config.settings import load_config

    config = load_config(location.read_path)
    workspace = Workspace.resolve(config, args.data_dir, args.workbook, args.database)
    if args.command == "enrol":
        if args.folder is not None:
            if args.name or args.photos:
                parser.error("enrol takes either NAME PHOTO... or --folder DIR, not both")
            return commands.enrol_folder(workspace, args.folder, args.force,
                                         args.names_from_folders)
        if not args.name or not args.photos:
            parser.error("enrol needs a name and at least one photo (or --folder DIR)")
        return 0 if commands.enrol(workspace, args.name, args.photos, args.force) else 1
    if args.command == "people":
        return commands.list_people(workspace)
    if args.command == "forget":
        return commands.forget(workspace, args.name)
    if args.command == "rename":
        return commands.rename(workspace, args.old, args.new)
    if args.command == "identify":
        return commands.identify(workspace, args.photos)
    if args.command == "export":
        return commands.export(workspace, args.since)
    if args.command == "report":
        from attendance_app.cli.report import report

        return report(workspace, args.month, args.day, args.csv)
    if args.command == "void":
        from attendance_app.cli.void import void

        return void(workspace, args.event_id, args.reason)
    if args.command == "run":
        return commands.run(workspace, args.source or config.camera.source, args.tracks)
    if args.command == "journal":
        from attendance_app.cli.journal import rebuild_journal

        return rebuild_journal(workspace)
    if args.command == "database":
        from attendance_app.cli import database

        if args.database_command == "init":
            return database.init(workspace)
        if args.database_command == "send-people":
            return database.send_people(workspace)
        if args.database_command == "add-door-user":
            return database.door_user(workspace, args.name)
        if args.database_command == "adopt":
            return database.adopt(workspace)
        if args.database_command == "join-new-site":
            return database.join_new_site(workspace)
        return database.status(workspace)
    if args.command == "unknowns":
        from attendance_app.cli import unknowns

        if args.unknowns_command == "enrol":
            return unknowns.enrol_unknown(workspace, args.group, args.name)
        if args.unknowns_command == "delete":
            return unknowns.delete_unknown(workspace, args.group)
        return unknowns.list_unknowns(workspace)
    parser.error(f"unknown command {args.command!r}")


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, `kill`): stops a command as Ctrl-C does, exit code 143."""


def _terminate_like_interrupt() -> None:
    """Let SIGTERM unwind a command as Ctrl-C does (a run installs its own, gentler stop)."""
    def terminated(*_: object) -> None:
        raise Terminated

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminated)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `attendance-app` script; returns the exit code.

    Ctrl-C and SIGTERM end a command with one line and exit code 130 or 143, as shells
    expect, never a traceback: what was done before is kept (every event is already in the
    journal, every person enrolled is in the store).
    """
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", stream=sys.stderr)
    parser = build_parser()
    args = parser.parse_args(argv)
    _terminate_like_interrupt()
    try:
        with library_errors_reported():
            return _dispatch(args, parser)
    except KeyboardInterrupt as stop:
        terminated = isinstance(stop, Terminated)
        print(f"stopped ({'terminated' if terminated else 'Ctrl-C'}); what was done before is "
              "kept", file=sys.stderr)
        return 143 if terminated else 130
    except AttendanceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
