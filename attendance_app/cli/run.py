"""`attendance-app run` and the window: watch a source with the window (the default, also
when no command is given) or without one (`--headless`).

The window is imported only here and only when it opens, so no other command loads Qt."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "run", "Watch a camera, video file, stream, photo or folder of photos and "
                            "log arrivals.", run)
    p.add_argument("--source", metavar="SRC",
                   help="webcam number (0), video file, stream URL, photo, or folder of photos "
                        "(default: camera.source in the config)")
    p.add_argument("--headless", action="store_true",
                   help="no window: print events and, at the end, frames per second")
    p.add_argument("--tracks", type=Path, metavar="FILE.csv",
                   help="with --headless: write every box the window would draw, one line per "
                        "box per frame (frame, track_id, x1, y1, x2, y2, label, status)")


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
    from attendance_app.cli import commands

    workspace = invocation.workspace
    return commands.run(workspace, source or invocation.config.camera.source, args.tracks)
