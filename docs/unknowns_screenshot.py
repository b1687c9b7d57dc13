"""Regenerate docs/unknown_visitors.png: the "Unknown visitors" dialog on real faces.

    uv run python docs/unknowns_screenshot.py [--faces ../shared/faces]

People from the shared test faces who are not enrolled walk past the door in a synthetic
video (benchmarks/door_video.py), which runs through the real pipeline with
unknowns.keep_days on, so the faces shown are the ones the app kept. The passes of one
video happen within a minute, so each kept face is then moved to a day of its own (the
last few weeks, at a morning hour) before the dialog is opened and photographed. Runs
without a display (Qt's offscreen platform) unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from attendance_app.app.door_report import DoorListener  # noqa: E402
from attendance_app.app.door_session import DoorSession  # noqa: E402
from attendance_app.camera.sources import SourceSpec  # noqa: E402
from attendance_app.app.workspace import Workspace  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from attendance_app.config.settings import parse_config  # noqa: E402
from attendance_app.gui.unknowns_dialog import UnknownsDialog  # noqa: E402
from attendance_app.unknowns.store import UNKNOWNS_FILE  # noqa: E402
from tests.support.scenes import DEFAULT_FACES, render, sequential_scene  # noqa: E402


def walkers(faces: Path) -> list[tuple[str, Path]]:
    """Two regulars (three and two passes, each with another photo) and three strangers."""
    def lfw(name: str) -> list[Path]:
        return [*(faces / "lfw" / "enrol" / name).iterdir(),
                *sorted((faces / "lfw" / "probe" / name).iterdir())]

    regular, other = lfw("John_McCain"), lfw("Keanu_Reeves")
    stranger = faces / "stranger"
    return [("regular", regular[0]), ("stranger", stranger / "openface_adams.jpg"),
            ("other", other[0]), ("regular", regular[1]), ("stranger", stranger / "faceapi_happy.jpg"),
            ("other", other[1]), ("stranger", stranger / "openface_carell.jpg"),
            ("regular", regular[2])]


def spread_over_days(data: Path) -> None:
    """Move the kept faces to a day each, oldest first, ending today."""
    with closing(sqlite3.connect(data / UNKNOWNS_FILE)) as db, db:
        ids = [row[0] for row in db.execute("SELECT id FROM sightings ORDER BY id")]
        today = datetime.now().date()
        for age, sighting_id in enumerate(reversed(ids)):
            when = datetime.combine(today - timedelta(days=3 * age), clock(8, 5 + 7 * age % 50))
            db.execute("UPDATE sightings SET seen_at = ? WHERE id = ?",
                       (when.isoformat(timespec="seconds"), sighting_id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES, help="the shared face folder")
    faces = parser.parse_args().faces
    app = QApplication.instance() or QApplication(sys.argv[:1])
    data = Path(tempfile.mkdtemp(prefix="attendance-unknowns-"))
    workspace = Workspace.resolve(parse_config("unknowns:\n  keep_days: 30\n"), data, None)
    video = render(sequential_scene(walkers(faces), size=(960, 540)), data / "door.mp4")
    DoorSession(workspace, SourceSpec.parse(str(video)), DoorListener()).run()
    spread_over_days(data)

    dialog = UnknownsDialog(workspace, workspace.store(), data / "config.yaml")
    dialog.resize(560, 470)
    dialog.show()
    deadline = time.monotonic() + 120
    while dialog.busy or not dialog.numbers():
        if time.monotonic() > deadline:
            raise TimeoutError("the dialog listed no unknown visitors")
        app.processEvents()
        time.sleep(0.01)
    dialog.select(dialog.numbers()[0])
    app.processEvents()
    path = DOCS / "unknown_visitors.png"
    dialog.grab().save(str(path))
    print(f"wrote {path}")
    dialog.reject()


if __name__ == "__main__":
    main()
