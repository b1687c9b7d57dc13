"""`report --day` by groups' hours, set with the real `group` commands (child processes):
lateness against each group's start + grace, worded "1 h 05 min"; absent only on a day
the person's group (or the site's default_days) expects them; the site's grace for
people in no group; the month's workbook follows the same hours, its Late arrivals and
Timesheet with a Group column, the Timesheet group after group."""

from __future__ import annotations

import csv
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import numpy as np
from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, NewEncoding
from tests.support.faults_support import cli

WEDNESDAY, SATURDAY = date(2026, 12, 2), date(2026, 12, 5)
NAMES = ["Ada", "Bob", "Cyd", "Dee"]


def _site(folder: Path) -> Path:
    """Four people enrolled, Ada and Bob in a class (mon-fri 08:00 + 5), Bob also in a
    Saturday club (sat 10:00); Cyd and Dee in no group (site: mon-fri 08:30 + 10)."""
    store = FaceStore(folder / "faces.sqlite3")
    vectors = np.random.default_rng(7).normal(size=(len(NAMES), 128))
    for name, vector in zip(NAMES, vectors, strict=True):
        store.enrol(name, [NewEncoding(vector, "test")])
    config = folder / "config.yaml"
    config.write_text('attendance:\n  start_time: "08:30"\n  default_days: mon-fri\n'
                      "  grace_minutes: 10\n")
    for args in (("add", "Class", "--start", "08:00", "--grace", "5", "--days", "mon-fri"),
                 ("add", "Club", "--start", "10:00", "--days", "sat"),
                 ("assign", "Class", "Ada", "Bob"), ("assign", "Club", "Bob")):
        done = cli("group", *args, "--data-dir", str(folder), "--config", str(config))
        assert done.returncode == 0, done.stderr
    return config


def _arrive(folder: Path, *arrivals: tuple[int, date, clock]) -> None:
    journal = Journal(folder / "journal.sqlite3")
    for person, day, at in arrivals:
        journal.record(AttendanceEvent(datetime.combine(day, at), person, NAMES[person - 1],
                                       "Door", 0.4, "in"))


def test_a_day_is_reported_by_each_groups_hours(tmp_path: Path) -> None:
    config = _site(tmp_path)
    _arrive(tmp_path, (1, WEDNESDAY, clock(9, 5)), (2, WEDNESDAY, clock(8, 5)),
            (3, WEDNESDAY, clock(8, 40)), (4, WEDNESDAY, clock(8, 41)),
            (3, SATURDAY, clock(9, 0)))
    wednesday = cli("report", "--day", WEDNESDAY.isoformat(), "--data-dir", str(tmp_path),
                    "--config", str(config))
    assert wednesday.returncode == 0, wednesday.stderr
    assert wednesday.stdout.splitlines()[1:] == [
        "Wednesday, December 2, 2026: 4 present, 0 absent, 2 late",
        "  Class: 2 present, 0 absent, 1 late",     # the club does not meet on Wednesdays
        "    Present: Ada, Bob",
        "    Late: Ada (1 h 05 min)",
        "  No group: 2 present, 0 absent, 1 late",
        "    Present: Cyd, Dee",
        "    Late: Dee (11 min)"]
    # Saturday: Cyd came (the site is open), but only the club expects anyone: Bob.
    saturday = cli("report", "--day", SATURDAY.isoformat(), "--data-dir", str(tmp_path),
                   "--config", str(config))
    assert saturday.stdout.splitlines()[1:] == [
        "Saturday, December 5, 2026: 1 present, 1 absent, 0 late",
        "  Club: 0 present, 1 absent, 0 late",
        "    Present: nobody",
        "    Absent: Bob"]
    book = load_workbook(tmp_path / "attendance.xlsx", read_only=True)
    late = [row[1:] for row in book["Late arrivals"].iter_rows(min_row=2, values_only=True)
            if row[1] in NAMES]
    absent = [row[1] for row in book["Absent"].iter_rows(min_row=2, values_only=True)
              if row[1] in NAMES]
    assert sorted((row[0], row[3], row[4]) for row in late) == [("Ada", 65, "Class"),
                                                                 ("Dee", 11, "No group")]
    assert absent == ["Bob"]
    header, *lines = book["Late arrivals"].iter_rows(values_only=True)
    assert header[-1] == "Group"
    header, *lines = book["Timesheet"].iter_rows(values_only=True)
    assert header[:3] == ("Name", "Person ID", "Group")  # who, on every printed page
    # group after group (Bob in both of his), people in no group last
    assert [(line[0], line[2]) for line in lines] == [
        ("Ada", "Class"), ("Bob", "Class"), ("Bob", "Club"), ("Cyd", "No group"),
        ("Dee", "No group")]
    csv_dir = tmp_path / "csv"
    assert cli("report", "--day", SATURDAY.isoformat(), "--csv", str(csv_dir), "--data-dir",
               str(tmp_path), "--config", str(config)).returncode == 0
    with (csv_dir / f"attendance-{SATURDAY}-absent.csv").open(encoding="utf-8-sig") as stream:
        assert list(csv.reader(stream)) == [["Date", "Name", "Person ID", "Status", "Group"],
                                            [SATURDAY.isoformat(), "Bob", "2", "absent",
                                             "Class, Club"]]
    full = load_workbook(tmp_path / "attendance.xlsx")
    # each group starts a printed page: breaks after row 3 (header, Ada, Bob) and row 4
    assert [brk.id for brk in full["Timesheet"].row_breaks.brk] == [3, 4]
    # the name, person and group columns are repeated on every printed page, so each
    # page of a group says which group it is of
    assert full["Timesheet"].print_title_cols == "$A:$C"
