"""Issue 20 at the window started from a terminal: `forget` and `enrol` typed in another
terminal (a single door, no central database) reach its running video within seconds
(the forgotten person is logged no more, without a false "check free disk space"
warning; the newly enrolled one is logged), and Ctrl-C in its own terminal closes it
cleanly."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import load_config
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.video_worker import SourceState
from tests.support.faults_support import BUSY_CONFIG, cli, long_door
from tests.support.gui_process import App, assert_clean_exit

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


def test_ctrl_c_in_the_terminal_that_started_the_window_closes_it_cleanly(
        long_door: Path, faces_dir: Path, tmp_path: Path) -> None:
    """Issue 20: SIGINT to the whole group, the encoder process included, while faces are
    being encoded: the window closes as README says, exit code 0, no traceback."""
    (tmp_path / "config.yaml").write_text(BUSY_CONFIG)  # read from the folder started in
    photo = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    assert cli("enrol", "obama", photo, "--data-dir", str(tmp_path / "data")).returncode == 0
    app = App(tmp_path, str(long_door), own_group=True)  # as a terminal starts it
    app.wait_for(f"state: {SourceState.PLAYING}")
    time.sleep(6.0)  # obama walks by: the encoder is at work
    os.killpg(app.process.pid, signal.SIGINT)
    assert_clean_exit(*app.finish(terminate=False))
    with closing(sqlite3.connect(tmp_path / "data" / "journal.sqlite3")) as journal:
        assert journal.execute("SELECT COUNT(*) FROM events").fetchone()[0] >= 1
