"""The workbook writer, its own thread: recording never waits for a save, a workbook open
in a spreadsheet program is waited for, a writer killed mid-save loses nothing, and
closing writes what is waiting. Real journals, real workbooks, a real killed process.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.records.workbook_writer import WorkbookWriter
from tests.support.journals import arrival, fill_journal, journal_ids, workbook_ids


class GatedSync(WorkbookSync):
    """A real WorkbookSync whose saves wait at a gate: a save that takes as long as the
    test likes."""

    def __init__(self, journal: Journal, path: Path) -> None:
        super().__init__(journal, path)
        self.gate = threading.Event()
        self.saving = threading.Event()

    def flush(self) -> bool:
        self.saving.set()
        self.gate.wait(30)
        return super().flush()


def test_recording_never_waits_for_a_slow_save(journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    sync = GatedSync(journal, main)
    writer = WorkbookWriter(sync, settle_seconds=0)
    recorder = AttendanceRecorder(journal, writer, AttendancePolicy(), "Front door")
    assert sync.saving.wait(10)  # the writer is stuck in a save

    events = [recorder.record(person, f"Person {person}", 0.4) for person in (1, 2, 3)]

    assert all(e is not None for e in events), "recorded while the save hangs"
    assert [e.event_id for e in journal.events()] == [1, 2, 3]
    assert not main.exists()
    sync.gate.set()
    assert writer.flush(timeout=30)
    assert workbook_ids(main) == [1, 2, 3]
    writer.close()


@pytest.mark.parametrize("lock_name", [".~lock.attendance.xlsx#", "~$attendance.xlsx"],
                         ids=["LibreOffice", "Excel"])
def test_a_workbook_open_in_a_spreadsheet_program_waits_for_it(
        journal: Journal, tmp_path: Path, lock_name: str, caplog: pytest.LogCaptureFixture) -> None:
    main = tmp_path / "attendance.xlsx"
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    writer = WorkbookWriter(WorkbookSync(journal, main), settle_seconds=0)
    assert writer.flush(timeout=30)
    before = main.read_bytes()
    lock = tmp_path / lock_name
    lock.write_text(",someone,desk,24.11.2026 08:00,file:///home/someone/.config/libreoffice/4;")

    journal.record(arrival(datetime(2026, 11, 2, 8, 5), 2))
    assert not writer.flush(timeout=30)

    assert main.read_bytes() == before, "a workbook open elsewhere is left alone"
    warning = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING][-1]
    assert lock_name in warning and "close it" in warning and "\n" not in warning
    lock.unlink()
    assert writer.flush(timeout=30)
    assert workbook_ids(main) == [1, 2]
    writer.close()


KILLED_WRITER = """
import sys
from datetime import datetime
from pathlib import Path
from attendance_app.types import AttendanceEvent
from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.records.workbook_writer import WorkbookWriter
folder = Path(sys.argv[1])
journal = Journal(folder / "journal.sqlite3")
writer = WorkbookWriter(WorkbookSync(journal, folder / "attendance.xlsx"), settle_seconds=0)
writer.flush()
writer.close()
event = journal.record(AttendanceEvent(datetime(2026, 11, 28, 9, 0), 9999, "Last One",
                                       "Front door", 0.4, "in"))
# A start: its first save writes the month whole (a running writer's next save copies the
# rows it wrote before, exports.sheet_cache, and would be over before the kill).
WorkbookWriter(WorkbookSync(journal, folder / "attendance.xlsx"), settle_seconds=0)
print(event.event_id, flush=True)
sys.stdin.readline()  # killed while the save of that event runs
"""


def test_killed_mid_save_the_event_is_in_the_journal_and_the_next_start_writes_it(
        tmp_path: Path) -> None:
    fill_journal(tmp_path / "journal.sqlite3", 10_000, people=500, first=date(2026, 11, 2))
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    last_id = int(child.stdout.readline())
    time.sleep(0.3)  # a 10,000-row month takes about a second to save: kill inside it
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    journal = Journal(tmp_path / "journal.sqlite3")
    assert journal.last_id() == last_id
    main = tmp_path / "attendance.xlsx"
    assert last_id not in workbook_ids(main), "the kill was meant to land inside that save"
    writer = WorkbookWriter(WorkbookSync(journal, main))  # the next start
    assert writer.flush(timeout=60)
    writer.close()
    assert workbook_ids(main) == journal_ids(journal, "2026-11") and workbook_ids(main)[-1] == last_id
    assert not list(tmp_path.glob(".*.tmp"))


def test_closing_the_writer_writes_what_is_waiting(journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    recorder = AttendanceRecorder(journal, WorkbookWriter(WorkbookSync(journal, main)),
                                  AttendancePolicy(), "Front door")
    recorder.record(1, "Person 1", 0.4)
    recorder.close()
    assert workbook_ids(main) == [1]
