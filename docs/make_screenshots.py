"""Regenerate the README's screenshots from the real window, on the shared test faces.

    uv run python docs/make_screenshots.py [--faces ../shared/faces] [--language de]

Enrols a few people into a temporary data folder, plays a synthetic door video (see
benchmarks/door_video.py) in the main window, and saves docs/main_window.png while names
are on screen, then docs/enrol_dialog.png and docs/people.png. With --language de or es,
the window speaks that language (as with locale.language, Qt's own words included) and
only docs/main_window_<language>.png is made (the README's tour stays English). Runs
without a display (Qt's offscreen platform) unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window remembers its place in the user's settings folder: the pictures' windows
# must not become the size of the next real start.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="screenshots-config-")
DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

import cv2  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from attendance_app.app.workspace import Workspace  # noqa: E402
from attendance_app.config.settings import AppConfig  # noqa: E402
from attendance_app.faces.dlib_engine import FaceEngine  # noqa: E402
from attendance_app.gui.app import _use_language, dispose_window  # noqa: E402
from attendance_app.gui.main_window import MainWindow  # noqa: E402
from attendance_app.gui.qimages import bgr_to_qimage  # noqa: E402
from attendance_app.gui.video_worker import SourceState  # noqa: E402
from attendance_app.recognition.photos import enrolment_shot  # noqa: E402
from attendance_app.types import TrackStatus  # noqa: E402
from tests.support.scenes import DEFAULT_FACES, render, sequential_scene  # noqa: E402

DOOR_NAMES = {"de": "Haupteingang", "es": "Entrada principal"}
"""The camera's name (camera.name, the user's own words) a school there would give it."""
ENROLLED = ("obama", "biden", "clapton", "bbt_amy", "bbt_howard")
WALKERS = ("clapton", "obama", "biden")


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 120) -> None:
    """Run the event loop until `condition()` holds; fail loudly after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the state to photograph")
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, name: str) -> None:
    path = DOCS / name
    widget.grab().save(str(path))
    print(f"wrote {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES, help="the shared face folder")
    parser.add_argument("--language", choices=("de", "es"),
                        help="photograph the main window in this language only")
    arguments = parser.parse_args()
    faces, language = arguments.faces, arguments.language
    app = QApplication.instance() or QApplication(sys.argv[:1])
    _use_language(app, language or "en", iso_dates=False)  # before the window's first word
    data = Path(tempfile.mkdtemp(prefix="attendance-screens-"))
    config = AppConfig()
    if language:
        config = replace(config, camera=replace(config.camera, name=DOOR_NAMES[language]))
    workspace = Workspace.resolve(config, data, None)
    store, engine = workspace.store(), FaceEngine()
    for name in ENROLLED:
        store.enrol(name, [enrolment_shot(engine, path, 60)
                           for path in sorted((faces / "enrol" / name).iterdir())])
    people = [(name, sorted((faces / "probe" / name).iterdir())[0]) for name in WALKERS]
    people.insert(2, ("stranger", faces / "stranger" / "openface_adams.jpg"))
    video = render(sequential_scene(people, seconds_each=2.5, seconds_between=0.3), data / "door.mp4")

    window = MainWindow(workspace, str(video), data / "config.yaml")
    window.resize(1180, 600)
    window.show()
    wait_until(app, lambda: len(window.panel.names()) >= 2 and any(
        t.status is TrackStatus.RECOGNISED for t in window.video.tracks))
    save(window, f"main_window_{language}.png" if language else "main_window.png")
    if language:
        dispose_window(window)
        return
    wait_until(app, lambda: window.source_state == SourceState.ENDED)

    dialog = window.open_enrol()
    # Pictured as with a live camera (the video has ended, which the dialog would say):
    # the photos below stand in for its frames.
    dialog.set_source_state(SourceState.CONNECTED)
    dialog.auto_check.setChecked(True)
    dialog.name_edit.setText("John Lennon")
    for photo in [*sorted((faces / "enrol" / "lennon").iterdir()),
                  *sorted((faces / "probe" / "lennon").iterdir())]:
        shown = len(dialog.shots)
        dialog.offer_frame(cv2.imread(str(photo)))
        wait_until(app, lambda: not dialog.busy)
        if len(dialog.shots) > shown:
            dialog.preview.show_frame(bgr_to_qimage(cv2.imread(str(photo))), ())
    save(dialog, "enrol_dialog.png")
    dialog.reject()

    people_dialog = window.open_people()
    people_dialog.select("obama")
    app.processEvents()
    save(people_dialog, "people.png")
    dispose_window(window)  # workers stopped, window deleted while Python is whole


if __name__ == "__main__":
    main()
