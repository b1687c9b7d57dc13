"""One app per data folder: a second `run` on the same folder stops with one line naming
the first, read-only commands still work beside it, and a killed run leaves no stale lock."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

from tests.support.faults_support import app_command, cli, long_door

__all__ = ["long_door"]  # a fixture used below


def _start_run(video: Path, data: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(app_command("run", "--headless", "--source", str(video),
                                         "--data-dir", str(data)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().startswith("Watching"), "the first run did not start"
    return child


def test_a_second_run_on_the_same_folder_stops_and_names_the_first(
        long_door: Path, faces_dir: Path, tmp_path: Path) -> None:
    assert cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"),
               "--data-dir", str(tmp_path)).returncode == 0
    first = _start_run(long_door, tmp_path)
    try:
        second = cli("run", "--headless", "--source", str(long_door), "--data-dir", str(tmp_path))
        beside = cli("people", "--data-dir", str(tmp_path))
        assert first.poll() is None, "the first run must still be running"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

    assert second.returncode == 1
    line = second.stderr.strip()
    assert line.startswith("error: another attendance-app is using the data folder")
    assert f"process {first.pid}" in line and "\n" not in line
    assert beside.returncode == 0 and "obama" in beside.stdout  # read-only works beside it

    after_kill = _start_run(long_door, tmp_path)  # the killed run left no stale lock
    after_kill.send_signal(signal.SIGTERM)
    after_kill.wait(timeout=60)
