"""Workbook trouble while the app is recording: locked, deleted, replaced by a folder,
truncated or overwritten with garbage.

Every fault is real: the kernel refuses the write (read-only mode, or the immutable
flag when running as root, where modes do not bind), or the file on disk really is cut
short. The app must keep going, warn once, keep every row in the journal, write them
when it can, and move a damaged workbook aside (never overwrite it) before rebuilding.
"""

from __future__ import annotations

import logging
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.workbook_sync import WorkbookSync
from exports import ExcelWorkbook, WorkbookCorrupt
from tests.support.faults_support import (
    BusyDoor,
    Camera,
    app_command,
    busy_door,
    free_port,
    write_protected,
)

__all__ = ["busy_door"]  # a fixture used below

START = datetime(2026, 3, 2, 8, 0, 0)


class Door:
    """A recorder over a real journal and workbook; each `arrive` logs a new person."""

    def __init__(self, folder: Path) -> None:
        # The workbook has a folder of its own, so locking that folder spares the journal.
        (folder / "shared").mkdir()
        self.workbook = folder / "shared" / "attendance.xlsx"
        self.journal = Journal(folder / "journal.sqlite3")
        self.recorder = AttendanceRecorder(self.journal, WorkbookSync(self.journal, self.workbook),
                                           AttendancePolicy(), "Front door")
        self.arrived = 0

    def arrive(self) -> None:
        self.arrived += 1
        when = START + timedelta(minutes=self.arrived)
        assert self.recorder.record(self.arrived, f"Person {self.arrived}", 0.3, when) is not None

    def rows(self) -> list[tuple[int, str]]:
        return [(r.event_id, r.name) for r in ExcelWorkbook(self.workbook).read_rows()]

    def journal_rows(self) -> list[tuple[int, str]]:
        return [(e.event_id or 0, e.name) for e in self.journal.events()]


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def door(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Door:
    caplog.set_level(logging.INFO)
    door = Door(tmp_path)
    door.arrive()
    assert door.rows() == door.journal_rows() == [(1, "Person 1")]
    return door


@pytest.mark.parametrize("what", ["file", "folder"])
def test_locked_workbook_keeps_rows_in_the_journal_and_writes_them_when_unlocked(
    door: Door, what: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = door.workbook.read_bytes()
    with write_protected(door.workbook if what == "file" else door.workbook.parent):
        door.arrive()
        door.arrive()
        assert door.workbook.read_bytes() == before, "a locked workbook must be left alone"
    assert len(door.journal_rows()) == 3
    warnings = _warnings(caplog)
    assert len(warnings) == 1 and ("read-only" in warnings[0] or "locked" in warnings[0]), warnings
    assert "\n" not in warnings[0]
    door.arrive()
    assert door.rows() == door.journal_rows() and len(door.rows()) == 4
    back = [r for r in caplog.records if "writable again" in r.getMessage()]
    assert [r.levelno for r in back] == [logging.INFO]  # information, not a warning (issue 27)
    assert len(_warnings(caplog)) == 1


def test_workbook_replaced_by_a_folder_waits_then_is_rebuilt(
    door: Door, caplog: pytest.LogCaptureFixture
) -> None:
    door.workbook.unlink()
    door.workbook.mkdir()
    door.arrive()
    assert door.workbook.is_dir() and len(door.journal_rows()) == 2
    assert any("cannot be opened" in w for w in _warnings(caplog)), _warnings(caplog)
    door.workbook.rmdir()
    door.arrive()
    assert door.rows() == door.journal_rows() and len(door.rows()) == 3


def test_deleted_workbook_is_rebuilt_with_every_row(door: Door) -> None:
    door.arrive()
    door.workbook.unlink()
    door.arrive()
    assert door.rows() == door.journal_rows() and len(door.rows()) == 3


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a spreadsheet\n" * 100)


@pytest.mark.parametrize("damage", [_truncate, _garbage], ids=["truncated", "garbage"])
def test_damaged_workbook_is_moved_aside_untouched_and_rebuilt_from_the_journal(
    door: Door, damage: Callable[[Path], None], caplog: pytest.LogCaptureFixture
) -> None:
    door.arrive()
    damage(door.workbook)
    damaged = door.workbook.read_bytes()
    door.arrive()
    aside = list(door.workbook.parent.glob("attendance.corrupt-*.xlsx"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged, "moved aside, byte for byte"
    assert door.rows() == door.journal_rows() and len(door.rows()) == 3
    assert any("moved it to" in w for w in _warnings(caplog))


def test_running_app_survives_its_workbook_being_truncated_locked_and_deleted(
    busy_door: BusyDoor, tmp_path: Path
) -> None:
    """The same faults, done to a real `run --headless` process between its events. The
    door is a network camera, which keeps sending frames at its pace until the test is
    done (a video file may be read to its end before the faults are)."""
    data = busy_door.data_dir(tmp_path / "data")
    workbook = data / "attendance.xlsx"
    camera = Camera(free_port(), busy_door.video)
    camera.plug_in()
    child = subprocess.Popen(
        app_command("run", "--headless", "--source", camera.url, "--data-dir", str(data),
                    "--config", str(busy_door.config)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    warned: list[str] = []  # the child's stderr, read as it comes
    reader = threading.Thread(target=lambda: warned.extend(child.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()

    printed = 0

    def next_event() -> None:
        nonlocal printed
        for line in child.stdout:  # type: ignore[union-attr]
            if " IN " in line or " OUT " in line:
                printed += 1
                return
        raise AssertionError("the run ended too early")

    def warned_of(word: str) -> None:
        """Wait until the app has reported `word`: it saves in the background, so a
        fault must last until a save has met it."""
        deadline = time.monotonic() + 10
        while not any(word in line for line in warned):
            assert time.monotonic() < deadline, f"no warning with {word!r}: {warned}"
            time.sleep(0.02)

    def saved() -> None:
        """Wait until the save after the last printed event is done (the app saves
        right after printing), so the damage below is not raced by that save."""
        deadline = time.monotonic() + 10
        while True:
            try:
                if len(ExcelWorkbook(workbook).read_rows()) >= printed:
                    return
            except WorkbookCorrupt:
                pass  # still the damaged file: its replacement is on its way
            assert time.monotonic() < deadline, "the workbook was not saved"
            time.sleep(0.02)

    try:
        next_event()
        saved()
        _truncate(workbook)
        next_event()
        saved()
        with write_protected(workbook):
            locked = workbook.read_bytes()
            next_event()
            next_event()
            warned_of("locked")
            assert workbook.read_bytes() == locked
        next_event()
        saved()
        workbook.unlink()
        next_event()
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)
        reader.join(timeout=10)
        err = "".join(warned)
    finally:
        camera.unplug()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 143, err  # stopped by SIGTERM, as shells expect
    assert "moved it to" in err and "locked" in err and "writable again" in err, err
    assert "Traceback" not in err
    events = Journal(data / "journal.sqlite3").events()
    assert [r.event_id for r in ExcelWorkbook(workbook).read_rows()] == [e.event_id for e in events]
    assert len(list(data.glob("attendance.corrupt-*.xlsx"))) == 1
    shutil.rmtree(data)  # no immutable file may outlive the test
