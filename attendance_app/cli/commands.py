"""What `run --headless` does, separated from argument parsing (cli/run.py parses it and
calls this).

Each function takes the resolved Workspace and plain values, prints for people, and
returns the process exit code (0 done, 1 nothing done or a problem reported).
"""

from __future__ import annotations

from pathlib import Path

from attendance_app.app.workspace import Workspace

# Face work (attendance_app.recognition.photos, .headless, .sources: cv2, dlib, the tracker) is
# imported inside the functions that do it.
from attendance_app.cli.output import as_typed, warn


def run(workspace: Workspace, source: str, tracks_csv: Path | None = None) -> int:
    """Watch `source` without a window (the door session the window runs too);
    `tracks_csv` records every box drawn."""
    from attendance_app.app.headless import run_headless
    from attendance_app.app.instance_lock import DataFolderLock
    from attendance_app.camera.sources import SourceSpec

    spec = SourceSpec.parse(source)
    store = workspace.store()
    if not store.people():
        warn("nobody is enrolled yet, so nobody will be recognised or logged; enrol people "
             f"first with: {as_typed('enrol NAME photo.jpg')}")
    lock = DataFolderLock(workspace.journal_path)
    lock.acquire()  # one app per data folder
    try:
        link = workspace.central_link(store, workspace.journal())
        print(f"Watching {spec.describe()}; {_destination(workspace)}", flush=True)
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
        return f"writing to {workspace.workbook_path}"
    workbook = (f" and to {workspace.workbook_path}" if workspace.config.database.keeps_workbook
                else "")
    return f"logging to this door's journal, sent to {central.where}{workbook}"
