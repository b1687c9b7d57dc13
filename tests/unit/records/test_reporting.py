"""The `report` command: a day's report printed, written as CSV and into the workbook;
a month without events said so. The real command line in a child process.
"""

from __future__ import annotations

import csv
import shlex
import subprocess
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import numpy as np
from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.records.reporting import day_counts
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, NewEncoding
from tests.support.faults_support import app_command, cli
from tests.support.translations import language


def _store_with(folder: Path, names: list[str]) -> None:
    store = FaceStore(folder / "faces.sqlite3")
    vectors = np.random.default_rng(7).normal(size=(len(names), 128))
    for name, vector in zip(names, vectors, strict=True):
        store.enrol(name, [NewEncoding(vector, "test")])


def test_report_command_for_a_day_prints_and_writes_csv(tmp_path: Path) -> None:
    _store_with(tmp_path, ["Ada", "Bob", "Cyd"])
    journal = Journal(tmp_path / "journal.sqlite3")
    today = date.today()
    for person, name, when in ((1, "Ada", clock(8, 10)), (3, "Cyd", clock(9, 5))):
        journal.record(AttendanceEvent(datetime.combine(today, when), person, name, "Door", 0.4, "in"))
    config = tmp_path / "config.yaml"
    config.write_text('attendance:\n  start_time: "08:30"\n')

    result = cli("report", "--day", today.isoformat(), "--csv", str(tmp_path / "csv"),
                 "--data-dir", str(tmp_path), "--config", str(config))

    assert result.returncode == 0, result.stderr
    assert "2 present, 1 absent, 1 late" in result.stdout
    assert "Absent: Bob" in result.stdout and "Cyd (35 min)" in result.stdout
    absent = tmp_path / "csv" / f"attendance-{today.isoformat()}-absent.csv"
    with absent.open(encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream)) == [["Date", "Name", "Person ID", "Status"],
                                            [today.isoformat(), "Bob", "2", "absent"]]
    book = load_workbook(tmp_path / "attendance.xlsx")
    assert [r[1] for r in book["Absent"].iter_rows(min_row=2, values_only=True)] == ["Bob"]

    # piped into a reader that has had enough (`| head`, here `| true`, gone at once):
    # the shell's exit code for a broken pipe, and no traceback
    command = shlex.join(app_command("report", "--day", today.isoformat(), "--data-dir",
                                     str(tmp_path), "--config", str(config)))
    piped = subprocess.run(["bash", "-c", f'{command} | true; exit "${{PIPESTATUS[0]}}"'],
                           capture_output=True, text=True, timeout=300, check=False)
    assert (piped.returncode, piped.stderr) == (141, "")


def test_report_of_a_month_without_events_says_so(tmp_path: Path) -> None:
    result = cli("report", "--month", "2020-02", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "No attendance events in February 2020" in result.stdout
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_renamed_person_shows_under_the_new_name_on_every_sheet_and_report(
        tmp_path: Path) -> None:
    """Issue 25: after a rename, the Attendance, Daily summary and Late sheets and `report
    --day` kept the name the rows were logged under while the Timesheet had the new one."""
    _store_with(tmp_path, ["Ada", "Bob", "Cyd"])
    journal = Journal(tmp_path / "journal.sqlite3")
    today = date.today()
    for person, name, when in ((1, "Ada", clock(8, 10)), (2, "Bob", clock(9, 5))):
        journal.record(AttendanceEvent(datetime.combine(today, when), person, name, "Door", 0.4, "in"))
    config = tmp_path / "config.yaml"
    config.write_text('attendance:\n  start_time: "08:30"\n  site_name: "Ada & Co"\n')
    folder = ("--data-dir", str(tmp_path), "--config", str(config))
    assert cli("report", "--day", today.isoformat(), *folder).returncode == 0

    renamed = cli("rename", "Bob", "Robert Newname", *folder)
    result = cli("report", "--day", today.isoformat(), "--csv", str(tmp_path / "csv"), *folder)

    assert renamed.returncode == 0 and result.returncode == 0, renamed.stderr + result.stderr
    assert "Robert Newname (35 min)" in result.stdout and "Bob" not in result.stdout
    book = load_workbook(tmp_path / "attendance.xlsx", read_only=True)
    for title in ("Attendance", "Daily summary", "Late arrivals", "Timesheet"):
        names = {row[1] if title != "Timesheet" else row[0]
                 for row in book[title].iter_rows(min_row=2, values_only=True)}
        assert "Robert Newname" in names and "Bob" not in names, (title, names)
    late = tmp_path / "csv" / f"attendance-{today.isoformat()}-late-arrivals.csv"
    assert "Robert Newname" in late.read_text(encoding="utf-8-sig")
    assert journal.events_in_month(f"{today:%Y-%m}")[-1].name == "Bob"  # the log keeps who
    printed = load_workbook(tmp_path / "attendance.xlsx")["Late arrivals"].oddHeader
    assert printed.left.text == "Ada && Co"  # the setting site_name heads every page


def test_report_day_prints_the_whole_absent_list(tmp_path: Path) -> None:
    """Issue 25: `report --day` cut the absent list of 136 people at "and 88 more"."""
    names = [f"Pupil {number:03d}" for number in range(136)]
    _store_with(tmp_path, names)
    today = date.today()
    Journal(tmp_path / "journal.sqlite3").record(
        AttendanceEvent(datetime.combine(today, clock(8, 0)), 1, names[0], "Door", 0.4, "in"))

    result = cli("report", "--day", today.isoformat(), "--data-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr
    absent = next(line for line in result.stdout.splitlines() if "Absent:" in line)
    assert absent.split(": ", 1)[1].split(", ") == names[1:]


def test_day_counts_follow_each_languages_plural_forms() -> None:
    """Each count of a day is counted in its own words: Spanish says "1 presente" but
    "3 presentes" (one sentence with both counts could not be right for both)."""
    assert day_counts(3, 1, 1, 2) == "3 present, 1 absent, 1 excused, 2 late"
    with language("es", "es_ES"):
        one = day_counts(1, 3, 1, None)
        many = day_counts(3, 1, 2, 0)
    assert one == "1 presente, 3 ausentes, 1 justificado"
    assert many == "3 presentes, 1 ausente, 2 justificados, 0 con retraso"
