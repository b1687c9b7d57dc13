"""Ctrl-C and SIGTERM as a user and a service manager send them: a real signal to a real
run (to the whole process group, as a terminal does), which stops with its summary, exit
code 130 or 143, no traceback, its encoder process ended and its journal whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.support.faults_support import Camera, app_command, cli, free_port, long_door
from tests.support.processes import child_pids, is_alive

__all__ = ["long_door"]  # a fixture used below



@pytest.fixture
def enrolled(faces_dir: Path, tmp_path: Path) -> Path:
    result = cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"),
                 "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    return tmp_path


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_a_stopped_run_prints_its_summary_and_leaves_nothing_running(
        long_door: Path, enrolled: Path, stop: signal.Signals) -> None:
    child = subprocess.Popen(app_command("run", "--headless", "--source", str(long_door),
                                         "--data-dir", str(enrolled)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    assert child.stdout is not None
    for line in child.stdout:  # wait for a first arrival: the run is in full swing
        if " IN " in line:
            break
    helpers = child_pids(child.pid)
    os.killpg(child.pid, stop)  # a terminal's Ctrl-C reaches every process of the group
    out, err = child.communicate(timeout=60)

    assert child.returncode == 128 + stop, err
    assert "Traceback" not in err and "Process face-encoder" not in err, err
    assert "Processed" in out and "attendance event" in out
    deadline = time.monotonic() + 5  # its watchdog notices the app is gone within 0.5 s
    while [pid for pid in helpers if is_alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert helpers and not [pid for pid in helpers if is_alive(pid)], "the encoder must end"
    with closing(sqlite3.connect(enrolled / "journal.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1


def test_ctrl_c_while_the_models_load_is_one_line(long_door: Path, enrolled: Path) -> None:
    child = subprocess.Popen(app_command("run", "--headless", "--source", str(long_door),
                                         "--data-dir", str(enrolled)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    assert child.stdout is not None and child.stdout.readline().startswith("Watching")
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=60)

    assert child.returncode == 130, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("stopped (Ctrl-C)")


def test_ctrl_c_in_a_terminal_stops_a_run_on_a_live_camera(
        long_door: Path, enrolled: Path) -> None:
    """Issue 20: on a live stream, the group's SIGINT killed the encoder too and the run
    ended with "the face encoder process stopped answering", a traceback and exit 1."""
    camera = Camera(free_port(), long_door)
    camera.plug_in()
    try:
        child = subprocess.Popen(app_command("run", "--headless", "--source", camera.url,
                                             "--data-dir", str(enrolled)),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        assert child.stdout is not None
        for line in child.stdout:  # a first arrival: the encoder is at work
            if " IN " in line:
                break
        os.killpg(child.pid, signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        camera.unplug()

    assert child.returncode == 130, err
    assert "Traceback" not in err and "stopped answering" not in err, err
    assert "Processed" in out and "(stopped by Ctrl-C)" in out
    with closing(sqlite3.connect(enrolled / "journal.sqlite3")) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] >= 1
