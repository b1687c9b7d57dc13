"""Disk full and a data folder that cannot be written: a clear one-line error, no traceback,
and no half-made files left behind.

"Disk full" is real: the child process runs with RLIMIT_FSIZE, so the kernel refuses
every write past a few kilobytes (EFBIG) exactly where a full disk refuses with ENOSPC;
as root, a tiny tmpfs gives the real ENOSPC too. The read-only folder is real: a mode
the kernel enforces, or the immutable flag when running as root.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from attendance_app.records.corrections import CorrectedJournal
from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.types import AttendanceEvent
from exports import ExcelWorkbook
from tests.support.faults_support import BusyDoor, busy_door, cli, is_root, write_protected

__all__ = ["busy_door"]  # a fixture used below

LIMIT_BYTES = 4096


def _small_disk() -> None:
    """In the child, before exec: no file may grow past LIMIT_BYTES (a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT_BYTES, LIMIT_BYTES))


def _on_full_disk(*args: str) -> subprocess.CompletedProcess[str]:
    return cli(*args, preexec_fn=_small_disk)


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    err = result.stderr.strip()
    assert result.returncode == 1, err
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("error: "), err
    assert not [line for line in err.splitlines() if line.startswith("error")][:-1], err
    for word in words:
        assert word in last, last


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_first_start_on_a_full_disk_leaves_no_empty_database(tmp_path: Path) -> None:
    result = _on_full_disk("people", "--data-dir", str(tmp_path))
    _assert_one_line_error(result, "faces.sqlite3", "free disk space")
    assert _files(tmp_path) == [], "a half-created store would break the next start"


def _journal_with_events(folder: Path, count: int) -> Journal:
    """A journal as this version of the app leaves it (its corrections table included:
    an older journal gains it on its first open, which a full disk refuses first)."""
    journal = CorrectedJournal(folder / "journal.sqlite3")
    start = datetime(2026, 3, 2, 8, 0)
    for number in range(count):
        journal.record(AttendanceEvent(start + timedelta(minutes=number), number + 1,
                                       f"Person {number + 1}", "Front door", 0.3, "in"))
    return journal


def test_export_to_a_full_disk_reports_it_and_leaves_no_partial_workbook(tmp_path: Path) -> None:
    _journal_with_events(tmp_path, 50)
    before = _files(tmp_path)
    result = _on_full_disk("export", "--data-dir", str(tmp_path))
    _assert_one_line_error(result, "attendance.xlsx", "free disk space")
    assert _files(tmp_path) == before, "no workbook and no temporary file may be left"


def test_run_on_a_full_disk_stops_with_one_line_and_keeps_the_journal_whole(
    busy_door: BusyDoor, tmp_path: Path
) -> None:
    """The journal cannot take the first event: the app must stop, say why, and leave
    the journal as it was (SQLite rolls the failed transaction back)."""
    data = busy_door.data_dir(tmp_path / "data")
    _journal_with_events(data, 1)
    before = _files(data)
    result = _on_full_disk("run", "--headless", "--source", str(busy_door.video),
                           "--data-dir", str(data), "--config", str(busy_door.config))
    _assert_one_line_error(result, "journal.sqlite3", "free disk space")
    assert _files(data) == before
    assert len(Journal(data / "journal.sqlite3").events()) == 1


def test_read_only_data_folder_is_one_line_and_nothing_is_created(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with write_protected(data):
        result = cli("people", "--data-dir", str(data))
    _assert_one_line_error(result, "faces.sqlite3", "writable")
    assert _files(data) == []


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a real disk that fills up (root with mount rights only)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if not is_root():
        pytest.skip("mounting a tmpfs needs root; RLIMIT_FSIZE tests cover the rest")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                             capture_output=True, check=False)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_workbook_on_a_full_disk_waits_in_the_journal_until_space_is_freed(
    tiny_tmpfs: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    workbook = tiny_tmpfs / "attendance.xlsx"
    journal = _journal_with_events(tmp_path, 1)
    recorder = AttendanceRecorder(journal, WorkbookSync(journal, workbook), AttendancePolicy(),
                                  "Front door")
    recorder.sync.flush()
    filler = tiny_tmpfs / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last byte
        while os.write(descriptor, b"\0" * 1024):
            pass
    except OSError:
        pass
    finally:
        os.close(descriptor)
    saved = workbook.read_bytes()
    assert recorder.record(99, "Late Person", 0.3, datetime(2026, 3, 2, 9, 0)) is not None
    assert workbook.read_bytes() == saved
    assert sorted(p.name for p in tiny_tmpfs.iterdir()) == ["attendance.xlsx", "filler"]
    warning = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"][-1]
    assert "free disk space" in warning and "\n" not in warning
    filler.unlink()
    assert recorder.record(100, "Later Person", 0.3, datetime(2026, 3, 2, 9, 5)) is not None
    assert [r.name for r in ExcelWorkbook(workbook).read_rows()] == [
        "Person 1", "Late Person", "Later Person"]
