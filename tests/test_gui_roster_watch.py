"""Issue 20: `forget` and `enrol` typed in a terminal beside the open window (a single
door, no central database) reach the window's running video within seconds: the
forgotten person is logged no more, without a false "check free disk space" warning, and
the newly enrolled one is logged."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from attendance_app.config import load_config
from attendance_app.gui.main_window import MainWindow
from attendance_app.workspace import Workspace
from tests.faults_support import BUSY_CONFIG, cli, long_door

__all__ = ["long_door"]  # a fixture used below

SETTLE_S = 3.0  # the window looks every second; a face takes a few frames to be voted on


def test_forget_and_enrol_beside_the_window_reach_its_running_video(
        qtbot, long_door: Path, faces_dir: Path, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BUSY_CONFIG)  # obama is logged again at each walk: a row every 5 s
    data = tmp_path / "data"
    photo = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    assert cli("enrol", "obama", photo, "--data-dir", str(data)).returncode == 0
    workspace = Workspace.resolve(load_config(config), data, None)
    window = MainWindow(workspace, str(long_door), config)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "obama" in window.panel.names(), timeout=120_000)

    forgotten = cli("forget", "obama", "--data-dir", str(data))
    assert forgotten.returncode == 0, forgotten.stderr
    qtbot.waitUntil(lambda: "0 people enrolled" in window.people_label.text(), timeout=5_000)
    qtbot.wait(round(SETTLE_S * 1000))
    rows = len(window.panel.names())
    qtbot.wait(11_000)  # two more walks past the door
    assert len(window.panel.names()) == rows, window.panel.names()

    started = time.monotonic()
    assert cli("enrol", "Barack", photo, "--data-dir", str(data)).returncode == 0
    qtbot.waitUntil(lambda: "Barack" in window.panel.names(), timeout=20_000)
    assert time.monotonic() - started < 30
    window.close()
    assert "FOREIGN KEY" not in caplog.text and "disk space" not in caplog.text, caplog.text
