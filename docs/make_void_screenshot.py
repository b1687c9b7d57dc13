"""Regenerate docs/void_action.png: voiding a wrong row in the real window's today list.

    uv run python docs/make_void_screenshot.py [--faces ../shared/faces]

Enrols two people into a temporary data folder at a loose tolerance, so that a real
stranger of the shared faces is taken for his look-alike (as in tests/unit/records/test_voiding.py), plays
a door video in the main window, selects the wrong row, presses "Void row…" and types the
reason. The picture is the window with the dialog drawn over it, where it opens; it runs
without a display (Qt's offscreen platform) unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from attendance_app.recognition.photos import enrolment_shot  # noqa: E402
from attendance_app.app.workspace import Workspace  # noqa: E402
from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from attendance_app.config.settings import AppConfig  # noqa: E402
from attendance_app.faces.sface import SFaceEngine  # noqa: E402
from attendance_app.gui.app import dispose_window  # noqa: E402
from attendance_app.gui.main_window import MainWindow  # noqa: E402
from docs.make_screenshots import wait_until  # noqa: E402
from tests.support.scenes import DEFAULT_FACES, render, sequential_scene  # noqa: E402

PERSON = "Padraig_Harrington"  # LFW's folder; enrolled as "Padraig Harrington"
NAME = PERSON.replace("_", " ")
LOOK_ALIKE = "lfw/stranger/Uthai_Pimchaichon_0001.jpg"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES, help="the shared face folder")
    faces = parser.parse_args().faces
    app = QApplication.instance() or QApplication(sys.argv[:1])
    data = Path(tempfile.mkdtemp(prefix="attendance-void-screen-"))
    defaults = AppConfig()
    config = replace(defaults, recognition=replace(defaults.recognition, engine="sface",
                                                   sface_tolerance=0.75))
    workspace = Workspace.resolve(config, data, None)
    store, engine = workspace.store(), SFaceEngine()
    for name, photo in ((NAME, faces / "lfw" / "enrol" / PERSON / f"{PERSON}_0001.jpg"),
                        ("obama", faces / "enrol" / "obama" / "obama.jpg")):
        store.enrol(name, [enrolment_shot(engine, photo, 60)])
    people = [("look-alike", faces / LOOK_ALIKE),
              ("obama", sorted((faces / "probe" / "obama").iterdir())[0])]
    video = render(sequential_scene(people, seconds_each=3.0, seconds_between=0.5), data / "door.mp4")

    window = MainWindow(workspace, str(video), data / "config.yaml")
    window.resize(1180, 600)
    window.show()
    panel = window.panel
    wait_until(app, lambda: panel.names() == ["obama", NAME])
    panel.table.selectRow(1)
    dialog = panel.open_void_dialog()
    assert dialog is not None, "the look-alike's row is selected"
    dialog.reason_edit.setText("not Padraig: a visitor who looks like him")
    app.processEvents()

    picture = window.grab()
    shot = dialog.grab()
    corner = QPoint(picture.width() - shot.width() - 40, (picture.height() - shot.height()) // 2)
    painter = QPainter(picture)
    painter.drawPixmap(corner, shot)
    painter.setPen(QPen(QColor("#555555"), 1))
    painter.drawRect(corner.x(), corner.y(), shot.width() - 1, shot.height() - 1)
    painter.end()
    path = DOCS / "void_action.png"
    picture.save(str(path))
    print(f"wrote {path}")
    dialog.reject()
    dispose_window(window)


if __name__ == "__main__":
    main()
