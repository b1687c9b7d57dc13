"""One writer per workbook: saves from several processes take turns, never a false disk
message.

Issue 20: `export`, `report` or `void` beside a running door sometimes said "could not be
saved (No such file or directory): check free disk space": a writer starting up removed
the temporary file of a save under way in another process. Every process here is real,
and so is the lock (the operating system's, on a file in the workbook's folder).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import exports.save_lock
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from exports import ExcelWorkbook, WorkbookBusy
from exports.atomic import remove_leftovers
from tests.support.faults_support import BusyDoor, Camera, app_command, busy_door, cli, free_port

__all__ = ["busy_door"]  # a fixture used below

LIVE_TEMP = ".attendance.xlsx.0123456789abcdef.tmp"
"""The name of a save's temporary file (exports.atomic makes such names)."""


def holder(folder: Path) -> subprocess.Popen[str]:
    """Another process that holds `folder`'s save lock until its stdin is closed, with the
    temporary file of its save under way beside the workbook."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from exports.save_lock import saving
        folder = Path({str(folder)!r})
        with saving(folder):
            (folder / {LIVE_TEMP!r}).write_bytes(b"half a workbook")
            print("saving", flush=True)
            sys.stdin.read()
        """)
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "saving\n"
    return child


def release(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.close()
    assert child.wait(timeout=30) == 0


def test_clean_up_never_removes_the_temporary_file_of_a_save_under_way(tmp_path: Path) -> None:
    child = holder(tmp_path)
    try:
        assert remove_leftovers(tmp_path / "attendance.xlsx") == []
        assert (tmp_path / LIVE_TEMP).exists(), "another process's save was cut short"
    finally:
        release(child)
    # The holder is gone without renaming its file: now it is a leftover, and removed.
    assert remove_leftovers(tmp_path / "attendance.xlsx") == [tmp_path / LIVE_TEMP]


def test_a_save_waits_for_another_process_then_says_busy_not_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports.save_lock, "WAIT_SECONDS", 0.3)
    workbook = ExcelWorkbook(tmp_path / "attendance.xlsx")
    child = holder(tmp_path)
    try:
        with pytest.raises(WorkbookBusy) as busy:
            workbook.write([])
    finally:
        release(child)
    message = str(busy.value)
    assert "is busy" in message and "try again" in message and "disk" not in message
    assert "\n" not in message
    assert not workbook.path.exists()
    workbook.write([])  # the lock went with the process
    assert workbook.read_rows() == []


def _fill(journal: Journal, rows: int) -> None:
    start = datetime.now().replace(day=1, hour=7, minute=0, second=0, microsecond=0)
    for number in range(rows):
        journal.record(AttendanceEvent(start + timedelta(minutes=number), number % 40 + 1,
                                       f"Pupil {number % 40 + 1}", "Front door", 0.3, "in"))


def test_export_report_and_void_processes_at_once_all_succeed(tmp_path: Path) -> None:
    """The commands of the issue, started together on one data folder."""
    journal = Journal(tmp_path / "journal.sqlite3")
    _fill(journal, 300)
    data = ["--data-dir", str(tmp_path)]
    commands = [["export", *data], ["export", *data], ["report", *data],
                ["void", "7", "--reason", "not Pupil 7: a visitor", *data]]
    children = [subprocess.Popen(app_command(*command), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for command in commands]
    for child in children:
        _, errors = child.communicate(timeout=300)
        problems = [line for line in errors.splitlines()
                    if line.startswith(("error", "WARNING", "warning", "Traceback"))]
        assert child.returncode == 0 and not problems, errors
    rows = ExcelWorkbook(tmp_path / "attendance.xlsx").read_rows()
    assert [row.event_id for row in rows] == [event.event_id for event in journal.events()]
    assert next(row for row in rows if row.event_id == 7).void is not None
    assert not list(tmp_path.glob(".*.tmp"))


def test_commands_beside_a_running_door_never_report_a_false_disk_error(
        busy_door: BusyDoor, tmp_path: Path) -> None:
    """The issue's scene: a real `run --headless` on a network camera saves its workbook
    at every arrival while `export`, `report` and `void` run beside it, one after another."""
    data = busy_door.data_dir(tmp_path / "data")
    options = ["--data-dir", str(data), "--config", str(busy_door.config)]
    camera = Camera(free_port(), busy_door.video)
    camera.plug_in()
    door = subprocess.Popen(app_command("run", "--headless", "--source", camera.url, *options),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert door.stdout is not None
        printed = 0
        for line in door.stdout:  # the first arrivals: the door saves from now on
            printed += " IN " in line or " OUT " in line
            if printed == 2:
                break
        assert printed == 2, "the run ended too early"
        for command in (["export"], ["void", "1", "--reason", "a visitor"], ["report"]):
            result = cli(*command, *options, timeout=120)
            problems = [line for line in result.stderr.splitlines()
                        if line.startswith(("error", "WARNING", "warning", "Traceback"))]
            assert result.returncode == 0 and not problems, (command, result.stderr)
        door.send_signal(signal.SIGTERM)
        _, errors = door.communicate(timeout=60)
    finally:
        camera.unplug()
        if door.poll() is None:
            door.kill()
            door.wait()
    assert door.returncode == 143, errors
    assert "disk" not in errors and "Traceback" not in errors, errors
    events = Journal(data / "journal.sqlite3").events()
    rows = ExcelWorkbook(data / "attendance.xlsx").read_rows()
    assert [row.event_id for row in rows] == [event.event_id for event in events]
    assert rows[0].void is not None
