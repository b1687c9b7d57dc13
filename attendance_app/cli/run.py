"""`attendance-app run` and the window: watch a source with the window (the default, also
when no command is given) or without one (`--headless`).

The window is imported only here and only when it opens, so no other command loads Qt."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, warn
from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "run", _("Watch a camera, video file, stream, photo or folder of photos and "
                            "log arrivals."), run)
    p.add_argument("--source", metavar="SRC",
                   help=_("webcam number (0), video file, stream URL, photo, or folder of photos "
                        "(default: camera.source in the config)"))
    p.add_argument("--headless", action="store_true",
                   help=_("no window: print events and, at the end, frames per second"))
    p.add_argument("--tracks", type=Path, metavar="FILE.csv",
                   help=_("with --headless: write every box the window would draw, one line per "
                        "box per frame (frame, track_id, x1, y1, x2, y2, label, status)"))


def open_window(invocation: Invocation, source: str | None) -> int:
    """The desktop window on `source` (None: camera.source in the settings)."""
    from attendance_app.gui.app import run_gui

    args, location = invocation.args, invocation.location
    return run_gui(location.path, location.read_path is not None, args.data_dir,
                   args.workbook, source, args.database)


def run(args: argparse.Namespace, invocation: Invocation) -> int:
    """The window, or with --headless the door in this terminal. The source is the one
    given after `run`, else the one given before it (`attendance-app --source 1 run`),
    else the settings' camera.source, with or without the window."""
    source = args.source or args.window_source
    if not args.headless:
        return open_window(invocation, source)
    return watch_headless(invocation.workspace, source or invocation.config.camera.source,
                          args.tracks)


def watch_headless(workspace: Workspace, source: str, tracks_csv: Path | None = None) -> int:
    """Watch `source` without a window (the door session the window runs too);
    `tracks_csv` records every box drawn."""
    from attendance_app.app.headless import run_headless
    from attendance_app.app.instance_lock import DataFolderLock
    from attendance_app.camera.sources import SourceSpec

    spec = SourceSpec.parse(source)
    store = workspace.store()
    if not store.people():
        warn(_("nobody is enrolled yet, so nobody will be recognised or logged; enrol people "
               "first with: {command}").format(command=as_typed("enrol NAME photo.jpg")))
    lock = DataFolderLock(workspace.journal_path)
    lock.acquire()  # one app per data folder
    try:
        link = workspace.central_link(store, workspace.journal())
        print(_("Watching {source}; {destination}").format(
            source=spec.describe(), destination=_destination(workspace)), flush=True)
        if link is not None:
            link.start()
        try:
            summary = run_headless(workspace, spec, warn, tracks_csv, store, link)
        finally:
            if link is not None:
                link.close()  # sends what waits, if the server answers soon
    finally:
        lock.release()
    print(summary.describe(), flush=True)
    return summary.exit_code


def _destination(workspace: Workspace) -> str:
    """Where a run's rows go, in words."""
    central = workspace.central
    if central is None:
        return _("writing to {path}").format(path=workspace.workbook_path)
    if workspace.config.database.keeps_workbook:
        return _("logging to this door's journal, sent to {server} and to {path}").format(
            server=central.where, path=workspace.workbook_path)
    return _("logging to this door's journal, sent to {server}").format(server=central.where)
