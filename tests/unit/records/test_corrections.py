"""Issue 25, point 4: the effective view of a journal read through its corrections, on
real journal files; the command line's own tests are in tests/system/cli/test_corrections.py.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from attendance_app.records.corrections import CorrectedJournal
from attendance_app.records.correcting import correct_time, undo_void
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.types import AttendanceEvent, Void
from exports import ExcelWorkbook

NOW = datetime(2026, 12, 1, 12, 0)


def _journal(tmp_path: Path) -> CorrectedJournal:
    """A journal holding two camera rows on 2 March 2026: Ada (1) at 09:00, Bob (2) at 08:00."""
    journal = CorrectedJournal(tmp_path / "journal.sqlite3")
    for person_id, name, hour in ((1, "Ada", 9), (2, "Bob", 8)):
        journal.record(AttendanceEvent(datetime(2026, 3, 2, hour), person_id, name,
                                       "Front door", 0.4, "in"))
    return journal


def test_a_time_corrected_to_another_day_moves_in_every_slice_and_the_row_stays(
        tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    correct_time(journal, 1, datetime(2026, 2, 27, 9, 5), "wrong day", "Ms Head", NOW)

    assert [e.event_id for e in journal.events_on(date(2026, 3, 2))] == [2]
    (moved,) = journal.events_on(date(2026, 2, 27))
    assert moved.timestamp == datetime(2026, 2, 27, 9, 5) and moved.event_id == 1
    assert journal.event(1) == moved
    assert [e.event_id for e in journal.events_in_month("2026-02")] == [1]
    with closing(sqlite3.connect(tmp_path / "journal.sqlite3")) as db:
        assert db.execute("SELECT timestamp FROM events WHERE id = 1").fetchone() == (
            "2026-03-02T09:00:00",)

    correct_time(journal, 1, datetime(2026, 3, 2, 8, 55), "no, the right day", "Ms Head", NOW)
    assert journal.events_in_month("2026-02") == []
    assert [e.timestamp.time().isoformat() for e in journal.events_on(date(2026, 3, 2))] == [
        "08:55:00", "08:00:00"]
    assert [(line.action, line.details) for line in journal.audit_between(
        datetime(2026, 3, 1), datetime(2026, 4, 1))] == [
        ("correct time", "from 2026-03-02 09:00 to 2026-02-27 09:05"),
        ("correct time", "from 2026-02-27 09:05 to 2026-03-02 08:55")]


def test_a_void_undone_can_be_voided_again_and_undone_again(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    assert journal.void(2, Void(NOW, "Ms Head", "not Bob"))
    undo_void(journal, 2, "it was Bob", "Ms Head", NOW)
    assert journal.event(2).void is None
    assert journal.void(2, Void(NOW, "Mr Deputy", "not Bob after all"))
    again = journal.event(2).void
    assert again is not None and (again.by, again.reason) == ("Mr Deputy", "not Bob after all")
    assert not journal.void(2, Void(NOW, "Mr Deputy", "twice")), "void already"
    undo_void(journal, 2, "Bob, really", "Ms Head", NOW)
    assert journal.event(2).void is None


def test_a_running_workbook_writer_rewrites_a_corrected_month(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    workbook = tmp_path / "attendance.xlsx"
    sync = WorkbookSync(journal, workbook)
    assert sync.flush()
    correct_time(CorrectedJournal(journal.path), 2, datetime(2026, 3, 2, 7, 40), "clock fast",
                 "Ms Head", NOW)  # another process: a command beside the running door
    assert sync.flush()
    rows = {row.event_id: row for row in ExcelWorkbook(workbook).read_rows()}
    assert rows[2].timestamp == datetime(2026, 3, 2, 7, 40)
    assert rows[2].correction == "time corrected from 2026-03-02 08:00:00 by Ms Head: clock fast"
    assert rows[1].correction is None


def test_a_running_door_counts_an_arrival_added_by_hand_beside_it(tmp_path: Path) -> None:
    """Once a day: after Cy's arrival is added by hand (another process, while the door
    runs), the camera gives Cy no second row that day; Ada still gets hers."""
    from attendance_app import local_time
    from attendance_app.records.correcting import add_arrival
    from attendance_app.records.policy import AttendancePolicy
    from attendance_app.records.recorder import AttendanceRecorder
    from tests.support.synthetic_people import person_name, synthetic_store

    store = synthetic_store(tmp_path / "faces.sqlite3", 3)
    journal = CorrectedJournal(tmp_path / "journal.sqlite3")
    running = AttendanceRecorder(journal, WorkbookSync(journal, tmp_path / "attendance.xlsx"),
                                 AttendancePolicy(), "Front door")
    now = local_time.now().replace(tzinfo=None, microsecond=0)
    add_arrival(CorrectedJournal(journal.path), store, person_name(3), now, "camera down",
                "Ms Head", now=now)
    assert running.record(3, person_name(3), 0.3) is None, "already here, by hand"
    assert running.record(1, person_name(1), 0.3) is not None
