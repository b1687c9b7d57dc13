"""`attendance-app journal rebuild`: a lost journal's rows come back from the workbooks.

Workbooks are made by the app itself from a real journal (two months, a voided row, an
expression, a person no longer enrolled); the journal is then deleted for real, and the
command rebuilds it. After that, `export` must write workbooks with the same rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from attendance_app.app.instance_lock import DataFolderLock
from attendance_app.cli.main import main
from attendance_app.records.journal import Journal
from attendance_app.records.journal_rebuild import expression_from_words, void_from_words
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.types import AgeGender, AttendanceEvent, Expression, Void
from enrolment import FaceStore, NewEncoding
from exports import ExcelWorkbook
from exports.tables import AGE

OCTOBER = datetime(2026, 10, 5, 8, 0)
NOVEMBER = datetime(2026, 11, 2, 8, 0)


def _enrol(folder: Path, names: list[str]) -> dict[str, int]:
    store = FaceStore(folder / "faces.sqlite3")
    vectors = np.random.default_rng(3).normal(size=(len(names), 128))
    return {name: store.enrol(name, [NewEncoding(vector, "test")]).person_id
            for name, vector in zip(names, vectors, strict=True)}


def _rows(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every workbook of the set by file name: each row as people read it, Person ID
    aside (that is what a rebuild may change, for people no longer enrolled)."""
    return {path.name: [(r.event_id, r.timestamp, r.name, r.camera, r.distance, r.kind,
                         r.void, r.expression, r.age, r.gender)
                        for r in ExcelWorkbook(path).read_rows()]
            for path in sorted(folder.glob("attendance*.xlsx"))}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder whose journal wrote two months of workbooks, then was deleted."""
    ids = _enrol(tmp_path, ["Ada Lovelace", "Bob Stone"])
    journal = Journal(tmp_path / "journal.sqlite3")
    people = [(ids["Ada Lovelace"], "Ada Lovelace"), (ids["Bob Stone"], "Bob Stone"),
              (77, "Zoe Gone")]  # Zoe was forgotten since: her id means nothing now
    for day, start in enumerate((OCTOBER, OCTOBER + timedelta(days=1), NOVEMBER)):
        for number, (person_id, name) in enumerate(people):
            expression = Expression("happy", 0.87) if number == 0 and day == 2 else None
            estimate = AgeGender(34.6, "female", 0.97) if number == 0 and day == 2 else None
            journal.record(AttendanceEvent(start + timedelta(minutes=number), person_id, name,
                                           "Front door", 0.3 + number / 100, "in",
                                           expression=expression, age_gender=estimate))
    journal.void(2, Void(datetime(2026, 10, 6, 9, 30), "office", "not Bob: a visitor"))
    assert WorkbookSync(journal, tmp_path / "attendance.xlsx").export() == 9
    return tmp_path


def _titles(path: Path) -> list[object]:
    """The Attendance sheet's header."""
    book = load_workbook(path, read_only=True)
    try:
        return [cell.value for cell in next(book["Attendance"].iter_rows(max_row=1))]
    finally:
        book.close()


def test_rebuild_brings_back_every_row_and_export_writes_the_same_workbooks(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _rows(data)
    assert set(before) == {"attendance.xlsx", "attendance-2026-10.xlsx"}
    assert {(row[2], row[8], row[9]) for row in before["attendance.xlsx"]
            if row[8] is not None} == {("Ada Lovelace", 34.6, "female 97%")}
    assert AGE not in _titles(data / "attendance-2026-10.xlsx"), "a month without estimates"
    assert AGE in _titles(data / "attendance.xlsx")
    (data / "journal.sqlite3").unlink()

    assert main(["journal", "rebuild", "--data-dir", str(data)]) == 0

    printed = capsys.readouterr().out
    assert "9 attendance rows (1 void)" in printed and "Zoe Gone (-1)" in printed
    events = Journal(data / "journal.sqlite3").events()
    assert [e.event_id for e in events] == list(range(1, 10)), "Event IDs kept"
    assert events[1].void == Void(datetime(2026, 10, 6, 9, 30), "office", "not Bob: a visitor")
    assert events[6].expression == Expression("happy", 0.87)
    assert events[6].age_gender == AgeGender(34.6, "female", 0.97)
    assert all(e.age_gender is None for e in events if e.event_id != 7)
    assert {e.name: e.person_id for e in events}["Zoe Gone"] == -1
    assert _rows(data) == before
    assert main(["export", "--data-dir", str(data)]) == 0
    assert _rows(data) == before, "export after a rebuild writes the same rows"
    assert not list(data.glob("*.replaced-*")), "nothing had to be kept aside"


def test_rows_of_a_lost_journal_and_of_the_new_one_are_joined(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's case: the journal was deleted and the door logged on, so the old
    workbook was kept aside and both journals' rows began at id 1."""
    (data / "journal.sqlite3").unlink()
    journal = Journal(data / "journal.sqlite3")
    journal.record(AttendanceEvent(NOVEMBER + timedelta(days=1), 1, "Ada Lovelace",
                                   "Front door", 0.31, "in"))
    assert WorkbookSync(journal, data / "attendance.xlsx").flush()
    assert len(list(data.glob("attendance.replaced-*.xlsx"))) == 1

    assert main(["journal", "rebuild", "--data-dir", str(data)]) == 0

    assert "numbered again in time order" in capsys.readouterr().out
    kept = list(data.glob("journal.replaced-*.sqlite3"))
    assert len(kept) == 1 and len(Journal(kept[0]).events()) == 1, "the journal it replaced"
    events = Journal(data / "journal.sqlite3").events()
    assert len(events) == 10 and [e.timestamp for e in events] == sorted(
        e.timestamp for e in events)
    assert sum(e.void is not None for e in events) == 1
    rows = _rows(data)
    assert len(rows["attendance.xlsx"]) == 4 and len(rows["attendance-2026-10.xlsx"]) == 6
    assert main(["export", "--data-dir", str(data)]) == 0
    assert _rows(data) == rows
    assert main(["journal", "rebuild", "--data-dir", str(data)]) == 0
    assert len(Journal(data / "journal.sqlite3").events()) == 10, "no row twice"


def test_nothing_to_rebuild_from_is_one_line_and_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "rebuild", "--data-dir", str(tmp_path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: no attendance rows to rebuild") and "\n" not in error
    assert not list(tmp_path.glob("*.sqlite3")) or Journal(
        tmp_path / "journal.sqlite3").events() == []


def test_void_and_expression_words_read_back() -> None:
    when = datetime(2026, 11, 2, 8, 0)
    mark = Void(datetime(2026, 11, 3, 10, 5), "ms smith", "not Ada (a visitor), sorry")
    assert void_from_words(mark.describe(), when) == mark
    assert void_from_words("typed by hand", when).reason == "typed by hand"
    assert expression_from_words("surprise 5%") == Expression("surprise", 0.05)
    assert expression_from_words("??") is None


def test_refused_while_the_app_runs_on_the_folder_and_with_a_central_database(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = DataFolderLock(data / "journal.sqlite3")
    lock.acquire()  # as a running door holds it
    try:
        assert main(["journal", "rebuild", "--data-dir", str(data)]) == 1
    finally:
        lock.release()
    assert "another attendance-app is using the data folder" in capsys.readouterr().err
    assert main(["journal", "rebuild", "--data-dir", str(data),
                 "--database", "postgresql://door@127.0.0.1:1/attendance"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: with a central database") and "\n" not in error
    assert len(Journal(data / "journal.sqlite3").events()) == 9, "nothing changed"


def test_report_of_a_month_keeps_its_file_when_the_journal_lacks_its_rows(
        data: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Not only the main file: a month file made from a lost journal is kept too."""
    october = data / "attendance-2026-10.xlsx"
    before = october.read_bytes()
    (data / "journal.sqlite3").unlink()
    other = Journal(data / "journal.sqlite3")  # another folder's, with rows of October
    other.record(AttendanceEvent(OCTOBER + timedelta(days=3), 5, "Eve", "Back door", 0.4, "in"))
    other.record(AttendanceEvent(NOVEMBER, 5, "Eve", "Back door", 0.4, "in"))

    assert main(["report", "--month", "2026-10", "--data-dir", str(data)]) == 0

    kept = list(data.glob("attendance-2026-10.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert [row.name for row in ExcelWorkbook(october).read_rows()] == ["Eve"]
    assert any("journal rebuild" in record.getMessage() for record in caplog.records)
