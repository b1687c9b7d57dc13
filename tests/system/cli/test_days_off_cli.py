"""`attendance-app holiday ...` and `leave ...` in child processes, on a face store enrolled
from real photos (issue 25, points 3 and 7): leave makes a person excused (the day's
report says so with the reason, the absent CSV file's Status column says "excused"), a
closed day lists nobody as absent, an already written workbook is rewritten at once and
the command says so, an .ics or CSV calendar is imported (twice adds nothing twice), and
every bad input (an unknown person or group, 2026-02-30, a leave ending before it starts,
a file that is not a calendar) ends with one line and exit code 1, changing nothing."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from tests.support.enrolled_folder import app_in, enrolled_from_photos

PEOPLE = {"Penny": "bbt_penny", "Raj": "bbt_raj", "Sheldon": "bbt_sheldon"}
TODAY = date.today()


@pytest.fixture(scope="module")
def data_dir(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Penny, Raj and Sheldon enrolled from one real photo each; Penny came today."""
    data = enrolled_from_photos(faces_dir, tmp_path_factory.mktemp("days_off"), PEOPLE)
    Journal(data / "journal.sqlite3").record(AttendanceEvent(
        datetime.combine(TODAY, time(8, 0)), 1, "Penny", "Door", 0.4, "in"))
    return data


def _day(day: date) -> str:
    """A day as the command line writes it in English (US format: the tests' locale)."""
    return f"{day:%b} {day.day}, {day.year}"

def _absent_csv(data: Path, folder: Path) -> list[list[str]]:
    done = app_in(data, "report", "--day", f"{TODAY}", "--csv", str(folder))
    assert done.returncode == 0, done.stderr
    with (folder / f"attendance-{TODAY}-absent.csv").open(encoding="utf-8-sig") as stream:
        return [row[1:4] for row in csv.reader(stream)][1:]


def test_leave_and_a_closed_day_in_the_reports_and_the_written_workbook(
        data_dir: Path, tmp_path: Path) -> None:
    assert _absent_csv(data_dir, tmp_path / "before") == [["Raj", "2", "absent"],
                                                          ["Sheldon", "3", "absent"]]
    added = app_in(data_dir, "leave", "add", "raj", "--from", f"{TODAY}", "--to",
                 f"{TODAY + timedelta(days=2)}", "--reason", "flu")
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines() == [
        f"Leave 1: Raj {_day(TODAY)} to {_day(TODAY + timedelta(days=2))} (flu)",
        f"Rewrote {data_dir / 'attendance.xlsx'} with it"]
    book = load_workbook(data_dir / "attendance.xlsx", read_only=True)  # before any report
    assert [row[1:4] for row in book["Absent"].iter_rows(min_row=2, values_only=True)] == [
        ("Raj", 2, "excused: flu"), ("Sheldon", 3, "absent")]
    report = app_in(data_dir, "report", "--day", f"{TODAY}")
    heading = f"{TODAY:%A}, {TODAY:%B} {TODAY.day}, {TODAY.year}"  # en_US, as the command writes
    assert f"{heading}: 1 present, 1 absent, 1 excused" in report.stdout
    assert "  Excused: Raj (flu)" in report.stdout.splitlines()
    assert _absent_csv(data_dir, tmp_path / "leave") == [["Raj", "2", "excused: flu"],
                                                         ["Sheldon", "3", "absent"]]
    listed = app_in(data_dir, "leave", "list", "--person", "Raj").stdout.splitlines()
    assert listed[1].split()[:3] == ["1", "Raj", f"{TODAY:%b}"]

    closed = app_in(data_dir, "holiday", "add", f"{TODAY}", "--name", "Snow day")
    assert closed.stdout.splitlines() == [f"Closed the site on {_day(TODAY)}: Snow day",
                                          f"Rewrote {data_dir / 'attendance.xlsx'} with it"]
    assert _absent_csv(data_dir, tmp_path / "closed") == []
    day = app_in(data_dir, "report", "--day", f"{TODAY}").stdout
    assert (f"{heading}: closed (Snow day), nobody is expected; came anyway: "
            "Penny") in day
    assert app_in(data_dir, "holiday", "remove", f"{TODAY}").stdout.startswith(
        f"Opened again {_day(TODAY)} (Snow day)")
    assert app_in(data_dir, "leave", "remove", "1").returncode == 0
    assert _absent_csv(data_dir, tmp_path / "after") == [["Raj", "2", "absent"],
                                                         ["Sheldon", "3", "absent"]]


def test_calendars_are_imported_once(data_dir: Path, tmp_path: Path) -> None:
    ics = tmp_path / "school.ics"
    ics.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20301221\r\n"
                   "DTEND;VALUE=DATE:20310102\r\nSUMMARY:Christmas break\r\nEND:VEVENT\r\n"
                   "END:VCALENDAR\r\n")
    sheet = tmp_path / "holidays.csv"
    sheet.write_text("date,to,name\n2030-10-03,,Unity Day\n2030-10-26,2030-10-30,Autumn\n")
    first = app_in(data_dir, "holiday", "import", str(ics))
    assert first.stdout.splitlines() == ["Imported 1 closure from school.ics",
                                         "  Dec 21, 2030 to Jan 1, 2031: Christmas break"]
    again = app_in(data_dir, "holiday", "import", str(ics))
    assert again.stdout.splitlines() == ["Imported 0 closures from school.ics",
                                         "  1 already closed, skipped"]
    assert app_in(data_dir, "group", "add", "Class", "--start", "08:00",
                "--days", "mon-fri").returncode == 0
    assert app_in(data_dir, "holiday", "import", str(sheet), "--group", "class").returncode == 0
    listed = app_in(data_dir, "holiday", "list", "--year", "2030").stdout.splitlines()
    assert [" ".join(line.split()) for line in listed] == [
        "Oct 3, 2030 Class Unity Day", "Oct 26, 2030 to Oct 30, 2030 Class Autumn",
        "Dec 21, 2030 to Jan 1, 2031 site Christmas break"]


@pytest.mark.parametrize(("args", "words"), [
    (("leave", "add", "Howard", "--from", "2026-12-01", "--to", "2026-12-02", "--reason", "x"),
     "nobody called 'Howard' is enrolled"),
    (("leave", "add", "Penny", "--from", "2026-12-03", "--to", "2026-12-02", "--reason", "x"),
     "would end (2026-12-02) before it starts (2026-12-03)"),
    (("leave", "add", "Penny", "--from", "2026-02-30", "--to", "2026-03-02", "--reason", "x"),
     "'2026-02-30' is not a date"),
    (("holiday", "add", "2026-12-24", "--name", "Eve", "--group", "Choir"),
     "there is no group called 'Choir'"),
    (("holiday", "add", "2026-12-24", "--to", "2026-13-01", "--name", "Eve"),
     "'2026-13-01' is not a date"),
    (("holiday", "remove", "2026-12-24"), "2026-12-24 is not a closed day of the site"),
    (("leave", "remove", "42"), "there is no leave number 42"),
    (("holiday", "import", "missing.ics"), "cannot be read"),
])
def test_bad_input_is_refused_in_one_line(data_dir: Path, args: tuple[str, ...],
                                          words: str) -> None:
    before = app_in(data_dir, "leave", "list").stdout
    done = app_in(data_dir, *args)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and words in done.stderr, done.stderr
    assert app_in(data_dir, "leave", "list").stdout == before


def test_a_photo_is_not_a_calendar(data_dir: Path, faces_dir: Path) -> None:
    photo = sorted((faces_dir / "enrol" / "bbt_penny").iterdir())[0]
    done = app_in(data_dir, "holiday", "import", str(photo))
    assert done.returncode == 1
    assert done.stderr == f"error: {photo} is not a calendar: it is not text (an .ics or CSV " \
                          "file is)\n"
