"""The month workbooks, exports of the journal: the latest month in the main file and earlier
months in their own, the old single-file layout split, nothing rewritten without news, no
row ever twice, and a workbook with rows the journal lacks kept beside.

Every test works on real files: a real SQLite journal and real .xlsx files read back.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import pytest

from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.types import Void
from exports import ExcelWorkbook
from tests.support.faults_support import cli
from tests.support.journals import arrival, journal_ids, workbook_ids


def test_latest_month_is_the_main_file_and_earlier_months_get_their_own(
        journal: Journal, tmp_path: Path) -> None:
    for when in (datetime(2026, 10, 30, 8, 0), datetime(2026, 10, 30, 8, 5)):
        journal.record(arrival(when, 1 + when.minute))
    sync = WorkbookSync(journal, tmp_path / "attendance.xlsx")
    assert sync.flush()
    assert workbook_ids(tmp_path / "attendance.xlsx") == [1, 2]

    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))  # the first event of a new month
    assert sync.flush()

    assert workbook_ids(tmp_path / "attendance.xlsx") == [3]
    assert workbook_ids(tmp_path / "attendance-2026-10.xlsx") == [1, 2]
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "attendance-2026-10.xlsx", "attendance.xlsx"]


def test_a_workbook_of_the_old_single_file_layout_is_split_into_months(
        journal: Journal, tmp_path: Path) -> None:
    """Upgrading: the one workbook held every month; the first start files each month."""
    for day in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 2)):
        journal.record(arrival(datetime.combine(day, clock(8)), 1))
    main = tmp_path / "attendance.xlsx"
    ExcelWorkbook(main).write([row for row in _all_rows(journal)])

    assert WorkbookSync(journal, main).flush()

    assert workbook_ids(main) == [3]
    assert workbook_ids(tmp_path / "attendance-2026-09.xlsx") == [1]
    assert workbook_ids(tmp_path / "attendance-2026-10.xlsx") == [2]


def _all_rows(journal: Journal) -> list:
    from attendance_app.records.workbook_sync import to_row
    return [to_row(event) for event in journal.events()]


def test_nothing_new_leaves_the_workbook_file_untouched(journal: Journal, tmp_path: Path) -> None:
    """An up-to-date workbook stays open in a viewer undisturbed, also across restarts."""
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    before = main.stat().st_ino, main.read_bytes()

    again = WorkbookSync(journal, main)  # a restart
    assert again.flush() and again.flush()

    assert (main.stat().st_ino, main.read_bytes()) == before


def test_rows_from_a_run_and_an_export_are_never_duplicated(journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    app = WorkbookSync(journal, main)
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    assert app.flush()

    result = cli("export", "--data-dir", str(tmp_path))  # a second writer, another process
    assert result.returncode == 0, result.stderr
    journal.record(arrival(datetime(2026, 11, 2, 8, 5), 2))
    assert app.flush()
    assert cli("export", "--data-dir", str(tmp_path)).returncode == 0

    assert workbook_ids(main) == journal_ids(journal, "2026-11") == [1, 2]


def test_a_workbook_with_rows_the_journal_lacks_is_kept_beside_and_rebuilt(
        journal: Journal, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The journal was deleted and started again: the old workbook's rows are not lost."""
    main = tmp_path / "attendance.xlsx"
    old = Journal(tmp_path / "old.sqlite3")
    for minute in (0, 5):
        old.record(arrival(datetime(2026, 11, 2, 8, minute), 7))
    assert WorkbookSync(old, main).flush()
    old_bytes = main.read_bytes()
    journal.record(arrival(datetime(2026, 11, 3, 9, 0), 1))  # id 1 again, another event

    assert WorkbookSync(journal, main).flush()

    kept = list(tmp_path.glob("attendance.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == old_bytes
    assert workbook_ids(main) == [1] and ExcelWorkbook(main).read_rows()[0].person_id == 1
    assert any("not in the journal" in r.getMessage() for r in caplog.records)


def test_a_workbook_the_app_saved_is_replaced_by_the_next_process_without_reading_it(
        journal: Journal, tmp_path: Path) -> None:
    """Reading a month back costs nearly what writing it does (17 s at 5,000 people,
    docs/measurements/records_scale.md): a `report` or a `void` after the door's save
    trusts the file the journal says the app saved. Shown by a file spoilt in place with
    its inode, size and time kept: read, it would be moved aside as damaged."""
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    saved = main.stat()
    with main.open("r+b") as file:
        file.write(b"\0" * saved.st_size)
    os.utime(main, ns=(saved.st_atime_ns, saved.st_mtime_ns))
    journal.void(1, Void(datetime(2026, 11, 2, 9, 0), "secretary", "not her"))  # news to write

    WorkbookSync(journal, main).write_month("2026-11")  # another process, the same journal

    assert workbook_ids(main) == [1] and ExcelWorkbook(main).read_rows()[0].void is not None
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["attendance.xlsx"]


def test_a_saved_workbook_changed_since_is_still_read_before_it_is_replaced(
        journal: Journal, tmp_path: Path) -> None:
    """Someone added a row in Excel after the app's save: the next process reads the file,
    finds the row the journal lacks and keeps the file beside."""
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    rows = ExcelWorkbook(main).read_rows()
    ExcelWorkbook(main).write([*rows, replace(rows[0], event_id=99, person_id=7)])

    WorkbookSync(journal, main).write_month("2026-11")

    kept = list(tmp_path.glob("attendance.replaced-*.xlsx"))
    assert len(kept) == 1 and workbook_ids(kept[0]) == [1, 99]
    assert workbook_ids(main) == [1]


def test_a_calendar_change_rewrites_the_written_months_it_touches_and_no_other(
        journal: Journal, tmp_path: Path) -> None:
    """A leave given by another process (`leave add` beside a running door, or another
    door's pulled into a roster copy) reaches the written months at the next flush; a
    month never written stays unwritten."""
    from openpyxl import load_workbook

    from attendance_app.config.settings import AttendanceConfig
    from attendance_app.records.schedule import schedule_of
    from enrolment import DaysOffBook, FaceStore, GroupBook, NewEncoding
    from exports import RosterEntry
    from tests.support.encodings import random_face

    store = FaceStore(tmp_path / "faces.sqlite3")
    for person in (1, 2):
        store.enrol(f"Person {person}", [NewEncoding(random_face(person), f"{person}.jpg")])
    sync = WorkbookSync(journal, tmp_path / "attendance.xlsx",
                        lambda: [RosterEntry(p, f"Person {p}", date(2026, 1, 5)) for p in (1, 2)],
                        lambda: schedule_of(GroupBook(store), AttendanceConfig()),
                        calendar=DaysOffBook(store).changed_since)
    for day in (date(2026, 10, 30), date(2026, 11, 2)):  # October moves to its own file
        journal.record(arrival(datetime.combine(day, clock(8)), 1))
        assert sync.flush()
    october = tmp_path / "attendance-2026-10.xlsx"

    def absent(path: Path) -> list[object]:
        sheet = load_workbook(path, read_only=True)["Absent"]
        return [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]

    assert absent(october) == ["absent"]
    DaysOffBook(store).add_leave("Person 2", date(2026, 8, 3), date(2026, 10, 30), "ill")
    assert sync.flush()
    assert absent(october) == ["excused: ill"]
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "attendance-2026-10.xlsx", "attendance.xlsx"]


def _spoil_in_place(path: Path) -> None:
    """Overwrite the file with zeros, keeping its inode, size and time: read, it would be
    moved aside as damaged."""
    saved = path.stat()
    with path.open("r+b") as file:
        file.write(b"\0" * saved.st_size)
    os.utime(path, ns=(saved.st_atime_ns, saved.st_mtime_ns))


def test_a_doors_start_compares_the_saved_main_file_without_reading_it(
        journal: Journal, tmp_path: Path) -> None:
    """A door's start compares the main file with the journal (16.7 s to read at 5,000
    people): the journal remembers what the app's last save of it held, so a file as
    saved is neither read nor, equal to the journal, written again."""
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    _spoil_in_place(main)
    spoilt = main.read_bytes()

    assert WorkbookSync(journal, main).flush()  # the next start

    assert main.read_bytes() == spoilt
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["attendance.xlsx"]


def test_a_doors_start_writes_what_the_journal_got_since_the_save_without_reading_it(
        journal: Journal, tmp_path: Path) -> None:
    """Rows recorded after the last save (the workbook was open in Excel, the door was
    killed), and a month that began meanwhile: the start writes both months, reading
    neither file."""
    journal.record(arrival(datetime(2026, 10, 30, 8, 0), 1))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    _spoil_in_place(main)
    journal.record(arrival(datetime(2026, 10, 30, 8, 5), 2))
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))

    assert WorkbookSync(journal, main).flush()

    assert workbook_ids(main) == [3]
    assert workbook_ids(tmp_path / "attendance-2026-10.xlsx") == [1, 2]
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "attendance-2026-10.xlsx", "attendance.xlsx"]


def test_a_void_since_the_save_is_written_at_the_start(journal: Journal, tmp_path: Path) -> None:
    """What the save held includes the voids: a row voided since (by `void`, its save
    failed) makes the start write the month again."""
    journal.record(arrival(datetime(2026, 11, 2, 8, 0), 1))
    journal.record(arrival(datetime(2026, 11, 2, 8, 5), 2))
    main = tmp_path / "attendance.xlsx"
    assert WorkbookSync(journal, main).flush()
    assert journal.void(2, Void(datetime(2026, 11, 2, 9, 0), "Ada", "not them"))

    assert WorkbookSync(journal, main).flush()

    assert [row.void is not None for row in ExcelWorkbook(main).read_rows()] == [False, True]
