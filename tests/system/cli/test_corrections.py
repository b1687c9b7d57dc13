"""Issue 25, point 4: corrections with an audit trail, through the real command line.

A missed arrival added by hand, a void undone, a time corrected: each run as a user runs
it (a child process on a real data folder), each appended to the journal's audit trail
(never an edit of the row the camera logged), each shown in the rewritten workbook and
counted by `report`; and each bad input refused in one line.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.records.voiding import current_user
from attendance_app.types import AttendanceEvent
from tests.support.faults_support import cli
from tests.support.synthetic_people import synthetic_store

ADA, BOB, CY = "Person 00001", "Person 00002", "Person 00003"
"""The three people of the synthetic face store, ids 1 to 3."""


@pytest.fixture()
def data(tmp_path: Path) -> list[str]:
    """A data folder with three people enrolled and two camera rows on 2 March 2026:
    Ada (event 1) at 09:00, Bob (event 2) at 08:30."""
    synthetic_store(tmp_path / "faces.sqlite3", 3)
    journal = Journal(tmp_path / "journal.sqlite3")
    for person_id, name, hour, minute in ((1, ADA, 9, 0), (2, BOB, 8, 30)):
        journal.record(AttendanceEvent(datetime(2026, 3, 2, hour, minute), person_id, name,
                                       "Front door", 0.4, "in"))
    return ["--data-dir", str(tmp_path)]


def _raw_rows(folder: Path) -> list[tuple]:
    """The journal's events table as the camera (or the hand) wrote it."""
    with closing(sqlite3.connect(folder / "journal.sqlite3")) as db:
        return db.execute("SELECT id, timestamp, name, camera FROM events ORDER BY id").fetchall()


def _audit(folder: Path) -> list[tuple]:
    """The audit trail's lines (none before a command opened the journal through it)."""
    with closing(sqlite3.connect(folder / "journal.sqlite3")) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'corrections'").fetchone():
            return []
        return db.execute("SELECT made_by, action, event_id, new_time, reason FROM corrections"
                          " ORDER BY id").fetchall()


def _sheet(workbook: Path, title: str) -> dict[int, dict[str, object]]:
    """A sheet's rows by Event ID, each as {column title: value}."""
    sheet = load_workbook(workbook)[title]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    rows = [dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)]
    return {row["Event ID"]: row for row in rows if isinstance(row["Event ID"], int)}


def _attendance(workbook: Path) -> dict[int, dict[str, object]]:
    return _sheet(workbook, "Attendance")


def _rewrote(stdout: str) -> Path:
    (line,) = [line for line in stdout.splitlines() if line.startswith("Rewrote ")]
    return Path(line.removeprefix("Rewrote "))


def test_a_missed_arrival_added_by_hand_is_appended_marked_and_counted(
        data: list[str], tmp_path: Path) -> None:
    before = _raw_rows(tmp_path)
    added = cli("arrival", "add", CY, "--at", "2026-03-02 08:55", "--reason", "camera down",
                "--by", "Ms Head", *data)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(
        f"Added event 3 ({CY}, Mar 2, 2026 8:55:00\u202fAM) by hand: Ms Head")
    assert _raw_rows(tmp_path)[:2] == before, "the camera's rows are left as they were"
    assert _audit(tmp_path) == [("Ms Head", "add arrival", 3, None, "camera down")]
    workbook = _rewrote(added.stdout)
    rows = _attendance(workbook)
    assert rows[3]["Camera"] == "by hand: Ms Head"
    assert rows[3]["Corrected by hand"] == "added by hand by Ms Head: camera down"
    assert rows[1]["Corrected by hand"] is None and rows[1]["Camera"] == "Front door"
    line = _sheet(workbook, "Audit")[3]
    assert isinstance(line.pop("Made at"), datetime)
    assert line == {"By": "Ms Head", "Correction": "add arrival", "Event ID": 3, "Name": CY,
                    "Details": "arrival at 2026-03-02 08:55", "Reason": "camera down"}
    audit = load_workbook(workbook)["Audit"]
    assert audit.print_title_rows == "$1:$1" and "Audit" in audit.oddHeader.center.text
    assert audit.oddFooter.center.text == "Page &P of &N"

    report = cli("report", "--day", "2026-03-02", "--csv", str(tmp_path / "csv"), *data)
    assert report.returncode == 0, report.stderr
    assert "3 present, 0 absent" in report.stdout
    assert "By hand: 1 arrival of these" in report.stdout


def test_a_void_undone_counts_again_and_a_corrected_time_keeps_the_original(
        data: list[str], tmp_path: Path) -> None:
    assert cli("void", "1", "--reason", "not Ada", *data).returncode == 0
    undone = cli("void", "undo", "1", "--reason", "it was Ada after all", "--by", "Ms Head",
                 *data)
    assert undone.returncode == 0 and not undone.stderr, undone.stderr
    assert "It counts again" in undone.stdout
    assert _attendance(_rewrote(undone.stdout))[1] is not None
    report = cli("report", "--day", "2026-03-02", *data)
    assert "2 present" in report.stdout

    corrected = cli("arrival", "correct", "2", "--at", "2026-03-02 07:55", "--reason",
                    "clock was fast", *data)
    assert corrected.returncode == 0 and not corrected.stderr, corrected.stderr
    assert _raw_rows(tmp_path)[1][1] == "2026-03-02T08:30:00", "the logged time stays"
    (bob,) = [event for event in Journal(tmp_path / "journal.sqlite3").events()
              if event.event_id == 2]
    assert bob.timestamp == datetime(2026, 3, 2, 8, 30), "the journal's own reader: as logged"
    workbook = _rewrote(corrected.stdout)
    moved = _attendance(workbook)[2]
    assert moved["Date and time"] == datetime(2026, 3, 2, 7, 55)
    assert moved["Corrected by hand"] == (f"time corrected from 2026-03-02 08:30:00 by "
                                          f"{current_user()}: clock was fast"), "no --by"
    assert _attendance(workbook)[1]["Corrected by hand"] == ("void (not Ada) undone by Ms Head: "
                                                             "it was Ada after all")
    audit = load_workbook(workbook)["Audit"]
    assert [row[2:6] for row in audit.iter_rows(min_row=2, values_only=True)] == [
        ("undo void", 1, ADA, "the row of 2026-03-02 09:00"),
        ("correct time", 2, BOB, "from 2026-03-02 08:30 to 2026-03-02 07:55")]
    assert [row[1:3] for row in _audit(tmp_path)] == [("undo void", 1), ("correct time", 2)]

    revoided = cli("void", "1", "--reason", "not Ada, really", *data)
    assert revoided.returncode == 0, revoided.stderr
    assert "1 present" in cli("report", "--day", "2026-03-02", *data).stdout


def test_a_time_moved_to_another_month_rewrites_both_months(data: list[str]) -> None:
    moved = cli("arrival", "correct", "1", "--at", "2026-02-27 09:00", "--reason", "wrong day",
                *data)
    assert moved.returncode == 0 and not moved.stderr, moved.stderr
    assert len([line for line in moved.stdout.splitlines() if line.startswith("Rewrote ")]) == 2
    assert "1 present" in cli("report", "--day", "2026-02-27", *data).stdout


@pytest.mark.parametrize(("args", "says"), [
    (("arrival", "add", "Nobody", "--at", "2026-03-02 09:00", "--reason", "x"),
     'no one called "Nobody" is enrolled'),
    (("arrival", "add", CY, "--at", "2099-03-02 09:00", "--reason", "x"), "is in the future"),
    (("arrival", "add", CY, "--at", "2026-03-02 25:00", "--reason", "x"),
     '"2026-03-02 25:00" is not a time'),
    (("arrival", "add", ADA, "--at", "2026-03-02 10:00", "--reason", "x"),
     f"{ADA} already has an arrival on Mar 2, 2026: event 1"),
    (("arrival", "add", CY, "--at", "2026-03-02 10:00", "--reason", " "), "say why"),
    (("arrival", "correct", "99", "--at", "2026-03-02 09:00", "--reason", "x"),
     "no attendance row has event id 99"),
    (("void", "undo", "2", "--reason", "x"), "is not void; nothing to undo"),
    (("void", "undo", "99", "--reason", "x"), "no attendance row has event id 99"),
    (("void", "undo", "two", "--reason", "x"), "give a row's number"),
])
def test_bad_corrections_are_refused_in_one_line(data: list[str], tmp_path: Path,
                                                  args: tuple[str, ...], says: str) -> None:
    refused = cli(*args, *data)
    assert refused.returncode == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith("error: ") and says in line, line
    assert len(_raw_rows(tmp_path)) == 2 and _audit(tmp_path) == []


def test_a_second_arrival_that_day_is_added_with_force(data: list[str], tmp_path: Path) -> None:
    forced = cli("arrival", "add", ADA, "--at", "2026-03-02 13:00", "--reason",
                 "back after lunch", "--force", *data)
    assert forced.returncode == 0, forced.stderr
    assert len(_raw_rows(tmp_path)) == 3
