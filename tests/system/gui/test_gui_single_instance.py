"""Issue 27 point 4: starting the app a second time brings the running window to the
front (a local socket per user and data folder) instead of refusing, says so in one line
of the terminal and exits 0; a headless run still holds its folder with the lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMainWindow

from attendance_app.app.door_report import SourceState
from attendance_app.gui.single_instance import FrontDoor, bring_running_to_front, server_name
from tests.support.gui_process import DRIVER, START_TIMEOUT_S, App

ALREADY = "attendance-app is already running; its window was brought to the front."


def test_the_name_is_one_per_data_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a" / ".." / "a")
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert len(server_name(tmp_path / "a")) < 60  # a Unix socket path has ~100 bytes


def test_a_request_restores_a_minimised_window_and_is_answered(qtbot, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized, timeout=5_000)
    name = server_name(tmp_path / "data")
    door = FrontDoor(name, window)
    assert door.listening
    # The second start, in a process of its own as it is (a thread's blocking socket
    # would hold the interpreter this window answers from).
    asking = subprocess.Popen(
        [sys.executable, "-c", "import sys; from attendance_app.gui.single_instance import "
         "bring_running_to_front as ask; print(ask(sys.argv[1]))", name],
        stdout=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: asking.poll() is not None, timeout=30_000)
    assert asking.communicate()[0].strip() == "True" and door.asked == 1
    assert not window.isMinimized() and window.isVisible()
    door.close()
    assert bring_running_to_front(name, wait_ms=500) is False  # nobody listens any more


def test_nobody_listening_answers_false(tmp_path: Path) -> None:
    assert bring_running_to_front(server_name(tmp_path / "nobody"), wait_ms=500) is False


def test_a_second_start_brings_the_first_window_forward_and_exits_0(tmp_path: Path) -> None:
    first = App(tmp_path, "9")
    first.wait_for(f"state: {SourceState.NO_CAMERA}")
    second = subprocess.run(
        [sys.executable, str(DRIVER), "--source", "9", "--data-dir", str(tmp_path / "data")],
        cwd=tmp_path, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True, text=True, timeout=START_TIMEOUT_S)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [ALREADY]  # one line, and no window watched
    assert first.process.poll() is None, "the first window goes on"
    code, err = first.finish()
    assert code == 0, err
