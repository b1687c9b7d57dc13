"""A video file in the window plays as a viewer expects (issue 27 point 2), on the shared
real footage (../shared/faces-video, 82 s at 23.98 frames/s) with its six people
enrolled: it plays at its own rate with its position in the status bar ("0:42 / 1:22"),
pause holds the position, resume goes on, the slider seeks, restart goes back to 0:00;
played again after its end, nobody gets a second row of the day; a camera shows no bar."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.video_worker import SourceState
from attendance_app.recognition.photos import enrolment_shot
from tests.support.shared_sets import faces_video_root

POSITION = re.compile(r"^(\d+):(\d\d) / 1:22")
LOADED_S = 120  # the face models load in the worker before the first frame


@pytest.fixture(scope="module")
def footage() -> Path:
    return faces_video_root()


def enrolled_window(qtbot, footage: Path, tmp_path: Path) -> MainWindow:
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    engine, store = workspace.engine(), workspace.store()
    for cast in sorted((footage / "enrol").iterdir()):
        store.enrol(cast.name, [enrolment_shot(engine, next(cast.iterdir()), 40)])
    window = MainWindow(workspace, str(footage / "video" / "tv_family_dinner.mp4"),
                        tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    return window


def shown_seconds(window: MainWindow) -> int:
    """The position the status bar shows, in seconds."""
    match = POSITION.match(window.playback.position_label.text())
    assert match, window.playback.position_label.text()
    return int(match[1]) * 60 + int(match[2])


def test_pause_resume_seek_and_restart(qtbot, footage: Path, tmp_path: Path) -> None:
    window = enrolled_window(qtbot, footage, tmp_path)
    bar = window.playback
    assert bar.isVisible() and bar.position_label.isVisible()
    control = bar.control
    assert control is not None and not control.fast  # at the file's own rate by default
    qtbot.waitUntil(lambda: control.position > 24, timeout=LOADED_S * 1000)
    assert POSITION.match(bar.position_label.text())

    bar.toggle_pause()
    qtbot.waitUntil(lambda: "paused" in bar.position_label.text())
    qtbot.wait(300)  # the frame being processed when it was asked is the last one
    held = control.position
    qtbot.wait(1500)  # 36 frames of video
    assert control.position == held
    assert window.camera_label.text() == SourceState.PLAYING  # pausing is not the end

    bar.toggle_pause_action.trigger()  # what Space does
    qtbot.waitUntil(lambda: control.position > held + 5, timeout=10_000)
    assert "paused" not in bar.position_label.text()

    bar.seek(1000)  # 0:41
    qtbot.waitUntil(lambda: control.position >= 1000, timeout=10_000)
    qtbot.waitUntil(lambda: 41 <= shown_seconds(window) <= 50, timeout=5_000)
    assert bar.slider.value() >= 1000

    bar.restart()
    qtbot.waitUntil(lambda: control.position < 200 and shown_seconds(window) < 8,
                    timeout=10_000)
    window.close()


def test_space_on_the_video_pauses_it_and_on_a_checkbox_ticks_it(qtbot, footage: Path, tmp_path: Path) -> None:
    window = enrolled_window(qtbot, footage, tmp_path)
    pause = window.playback.toggle_pause_action  # one name: the shortcuts table's row
    assert [a for a in window.findChildren(QAction) if a.objectName() == "toggle_pause"] == [pause]
    assert pause.shortcut() == QKeySequence("Space")
    control = window.playback.control
    assert control is not None
    qtbot.waitUntil(lambda: control.position > 5, timeout=LOADED_S * 1000)
    window.activateWindow()
    window.video.setFocus()
    qtbot.waitUntil(window.video.hasFocus)
    qtbot.keyClick(window.video, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: control.paused)
    box = window.playback.fast_box  # on the bar's own controls Space is theirs
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() and control.fast and control.paused
    window.close()


def test_played_again_after_its_end_nobody_gets_a_second_row(qtbot, footage: Path,
                                                             tmp_path: Path) -> None:
    window = enrolled_window(qtbot, footage, tmp_path)
    bar = window.playback
    bar.fast_box.setChecked(True)  # remembered for the next run too
    first = bar.control
    assert first is not None and first.fast
    qtbot.waitUntil(lambda: first.position > 300, timeout=LOADED_S * 1000)
    bar.seek(first.frame_count - 20)  # near the end
    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED, timeout=30_000)
    qtbot.waitUntil(lambda: bar.replaying_needed)
    rows = window.workspace.journal().events_on(date.today())
    assert rows, "nobody was logged in the first 300 frames"

    bar.restart()  # a new run of the same file, from its start
    qtbot.waitUntil(lambda: bar.control is not first and bar.control is not None)
    second = bar.control
    assert second.fast  # the remembered choice
    qtbot.waitUntil(lambda: second.position > 400, timeout=LOADED_S * 1000)
    window.close()
    again = window.workspace.journal().events_on(date.today())
    names = [event.name for event in again]
    assert len(names) == len(set(names))  # one row a day, replay or not
    assert {event.name for event in rows} <= set(names)


def test_a_camera_shows_no_playback_bar(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    window = MainWindow(workspace, "9", tmp_path / "config.yaml")  # a camera not there
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.NO_CAMERA,
                    timeout=30_000)
    assert window.playback.control is None
    assert not window.playback.isVisible() and not window.playback.position_label.isVisible()
    window.close()
