"""The log file a user can send, from real runs of the command line in child processes
with a fresh HOME and state folder: what a run warned is in it, a password given to the
app never is, and a folder that cannot be written does not stop the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.faults_support import app_command

SECRET = "Sup3r-S3cret"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"ATTENDANCE_DATABASE_URL", "XDG_STATE_HOME"}}
    return {**env, "HOME": str(home), "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "config"), **extra}


def _run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(app_command(*args), env=_env(home, **env), capture_output=True,
                          text=True, timeout=120, check=False)


def _log_folder(home: Path) -> Path:
    return home / "state" / "attendance-app" / "log"


def _closed_port() -> int:
    """A local port nobody listens on: a connection there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_run_writes_its_warning_to_the_log_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "attendance.xlsx").write_bytes(b"not a workbook")
    result = _run(tmp_path, "export", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    log = _log_folder(tmp_path) / "commands.log"
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "start: attendance-app " in lines[0] and lines[0].endswith("command: export")
    assert any("WARNING" in line and "moved it to" in line for line in lines[1:]), lines
    assert log.stat().st_mode & 0o777 == 0o600
    assert not (_log_folder(tmp_path) / "window.log").exists()


def test_a_failed_command_leaves_its_error_in_the_log(tmp_path: Path) -> None:
    result = _run(tmp_path, "enrol", "someone", str(tmp_path / "missing.jpg"),
                  "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 1
    text = (_log_folder(tmp_path) / "commands.log").read_text(encoding="utf-8")
    assert "command: enrol\n" in text
    assert "WARNING attendance_app: warning: skipped " in text and "missing.jpg" in text
    assert "ERROR attendance_app: error: nothing enrolled for someone" in text
    assert text.rstrip().endswith("end: exit code 1")


@pytest.mark.parametrize("how", ["--database", "ATTENDANCE_DATABASE_URL"])
def test_a_password_given_to_the_app_never_reaches_the_log(tmp_path: Path, how: str) -> None:
    url = f"postgresql://door:{SECRET}@127.0.0.1:{_closed_port()}/attendance"
    data = ["--data-dir", str(tmp_path / "data")]
    if how == "--database":
        result = _run(tmp_path, "people", "--database", url, *data)
    else:
        result = _run(tmp_path, "people", *data, ATTENDANCE_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    folder = _log_folder(tmp_path)
    text = "".join(file.read_text(encoding="utf-8") for file in folder.iterdir())
    assert "unreachable" in text, "the run's warning about the server is in the log"
    assert "door@127.0.0.1" in text
    assert SECRET not in text
    assert SECRET not in result.stderr + result.stdout


def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("a file where the state folder should be")
    result = _run(tmp_path, "people", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "Nobody is enrolled yet" in result.stdout
    notes = [line for line in result.stderr.splitlines() if "log" in line]
    assert len(notes) == 1 and notes[0].startswith("note: no log file: cannot write"), notes


HOOKED = """
import faulthandler, logging, sys, threading
from attendance_app.app import log_file
log_file.set_up("command", "probe")
def fail():
    raise ValueError("broken in a worker thread")
thread = threading.Thread(target=fail, name="probe-worker")
thread.start()
thread.join()
if sys.argv[1] == "crash":
    faulthandler._sigsegv()
raise RuntimeError("broken in the main thread")
"""


def test_uncaught_exceptions_of_every_thread_are_logged(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", HOOKED, "raise"], env=_env(tmp_path),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "RuntimeError: broken in the main thread" in result.stderr, "still reported"
    text = (_log_folder(tmp_path) / "commands.log").read_text(encoding="utf-8")
    assert "probe-worker" in text and "ValueError: broken in a worker thread" in text
    assert "RuntimeError: broken in the main thread" in text


def test_a_hard_crash_leaves_its_trace_in_crash_log(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", HOOKED, "crash"], env=_env(tmp_path),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    crash = (_log_folder(tmp_path) / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    assert "<string>" in crash, "with the line that crashed"
