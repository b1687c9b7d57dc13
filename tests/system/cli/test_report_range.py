"""`report --from --to`: a range of days across a month's end, printed, written into a
workbook the user names (with its printed layout) and as CSV files named for what they
hold; one-line errors for a backwards or too long range. The real command line in a
child process, on the journal of tests/support/range_school.py.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from tests.support.faults_support import cli
from tests.support.range_school import range_school

RANGE = ("--from", "2026-10-29", "--to", "2026-11-02")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_a_range_across_two_months_is_printed_and_written(tmp_path: Path) -> None:
    config = range_school(tmp_path / "data")
    folder = ("--data-dir", str(tmp_path / "data"), "--config", str(config))
    book_path = tmp_path / "reports" / "autumn.xlsx"

    result = cli("report", *RANGE, "--xlsx", str(book_path), "--csv", str(tmp_path / "csv"),
                 *folder)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == ["29 October 2026 to 2 November 2026: 3 open days",
                         "  Oct 29, 2026: 3 present, 0 absent, 2 late",
                         "  Oct 30, 2026: 2 present, 1 absent, 0 late",
                         "  Nov 2, 2026: 2 present, 1 absent, 1 late"]
    assert "    Late: Ada (1 time, 10 min in all), Bob (1 time, 20 min in all)" in lines
    assert "    Absent: Cyd (1 day)" in lines
    prefix = "attendance-2026-10-29-to-2026-11-02"
    assert _rows(tmp_path / "csv" / f"{prefix}-people.csv") == [
        ["Name", "Person ID", "Days present", "Days absent", "Days excused", "Days late",
         "Minutes late in all", "Group"],
        ["Ada", "1", "3", "0", "0", "1", "10", "3A"], ["Bob", "2", "2", "1", "0", "1", "20", "3A"],
        ["Cyd", "3", "2", "1", "0", "1", "40", "No group"]]
    assert [row[:2] for row in _rows(tmp_path / "csv" / f"{prefix}-absent.csv")[1:]] == [
        ["2026-10-30", "Bob"], ["2026-11-02", "Cyd"]]
    book = load_workbook(book_path)
    assert book.sheetnames[:2] == ["People", "Attendance"]
    attendance = [row[0] for row in book["Attendance"].iter_rows(min_row=2, values_only=True)]
    assert len(attendance) == 7 and min(attendance).day == 29 and max(attendance).day == 2
    timesheet = book["Timesheet"]
    assert [cell.value for cell in timesheet[1]][2:8] == [
        "Group", "Thu 29", "Fri 30", "Sat 31", "Sun 01", "Mon 02"]
    for sheet in book.worksheets:
        assert sheet.oddHeader.left.text == "Example School"
        assert sheet.oddHeader.center.text == (f"{sheet.title} · 29 October 2026 to "
                                               "2 November 2026")
        assert sheet.oddFooter.center.text == "Page &P of &N"
        assert sheet.print_title_rows == "$1:$1"
    assert not (tmp_path / "data" / "attendance.xlsx").exists()  # the month's is untouched


def test_a_range_of_one_group(tmp_path: Path) -> None:
    config = range_school(tmp_path / "data")
    result = cli("report", *RANGE, "--group", "3a", "--xlsx", str(tmp_path / "3a.xlsx"),
                 "--csv", str(tmp_path / "csv"), "--data-dir", str(tmp_path / "data"),
                 "--config", str(config))

    assert result.returncode == 0, result.stderr
    assert "No group" not in result.stdout and "Cyd" not in result.stdout
    people = _rows(tmp_path / "csv" / "attendance-2026-10-29-to-2026-11-02-3a-people.csv")
    assert [row[0] for row in people[1:]] == ["Ada", "Bob"]
    book = load_workbook(tmp_path / "3a.xlsx")
    assert book["Timesheet"].oddHeader.left.text == "Example School · 3A"
    assert {row[1] for row in book["Attendance"].iter_rows(min_row=2, values_only=True)} == {
        "Ada", "Bob"}


def test_bad_ranges_are_refused_in_one_line(tmp_path: Path) -> None:
    config = range_school(tmp_path / "data")
    folder = ("--data-dir", str(tmp_path / "data"), "--config", str(config))
    cases = {
        ("--from", "2026-11-02", "--to", "2026-10-29"):
            "error: the range ends (2026-10-29) before it starts (2026-11-02)",
        ("--from", "2026-01-01", "--to", "2027-01-02"):
            "error: 2026-01-01 to 2027-01-02 is 367 days; a report covers at most 366",
        ("--from", "2026-10-29"): "error: a range needs both --from and --to",
        (*RANGE, "--group", "Choir"): "error: there is no group 'Choir' (groups: 3A, No group)",
        (*RANGE, "--xlsx", str(tmp_path / "data" / "attendance-2026-10.xlsx")):
            "is the app's own workbook",
        ("--day", "2026-10-29", "--xlsx", str(tmp_path / "x.xlsx")):
            "error: --xlsx and --group go with a range",
    }
    for arguments, message in cases.items():
        result = cli("report", *arguments, *folder)
        assert result.returncode == 1 and message in result.stderr, (arguments, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not list(tmp_path.rglob("*.xlsx"))


def test_a_range_says_who_was_excused_and_counts_no_closed_day_as_absent(
        tmp_path: Path) -> None:
    """Before: the range's text and People sheet had no excused, and its text called a
    holiday an open day with 0 absent."""
    config = range_school(tmp_path / "data")
    folder = ("--data-dir", str(tmp_path / "data"), "--config", str(config))
    for setup in (("holiday", "add", "2026-10-30", "--to", "2026-10-31", "--name", "Autumn break"),
                  ("leave", "add", "Cyd", "--from", "2026-11-02", "--to", "2026-11-02",
                   "--reason", "flu")):
        done = cli(*setup, *folder)
        assert done.returncode == 0, done.stderr

    result = cli("report", *RANGE, "--xlsx", str(tmp_path / "autumn.xlsx"),
                 "--csv", str(tmp_path / "csv"), *folder)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:12] == [
        "29 October 2026 to 2 November 2026: 2 open days",
        "  Oct 29, 2026: 3 present, 0 absent, 2 late",
        "  Oct 30, 2026: closed (Autumn break), 2 came anyway",
        "  Oct 31, 2026: closed (Autumn break)",
        "  Nov 2, 2026: 2 present, 0 absent, 1 excused, 1 late",
        "  3A:", "    Absent: nobody",
        "    Late: Ada (1 time, 10 min in all), Bob (1 time, 20 min in all)",
        "  No group:", "    Absent: nobody", "    Excused: Cyd (1 day: flu)",
        "    Late: Cyd (1 time, 40 min in all)"]
    prefix = tmp_path / "csv" / "attendance-2026-10-29-to-2026-11-02"
    assert _rows(Path(f"{prefix}-people.csv")) == [
        ["Name", "Person ID", "Days present", "Days absent", "Days excused", "Days late",
         "Minutes late in all", "Group"],
        ["Ada", "1", "3", "0", "0", "1", "10", "3A"], ["Bob", "2", "2", "0", "0", "1", "20", "3A"],
        ["Cyd", "3", "2", "0", "1", "1", "40", "No group"]]
    assert _rows(Path(f"{prefix}-days.csv"))[2] == ["2026-10-30", "2", "0", "0", "0",
                                                    "Autumn break"]
    assert [row[1:4] for row in _rows(Path(f"{prefix}-absent.csv"))[1:]] == [
        ["Cyd", "3", "excused: flu"]]
    timesheet = {row[0]: row[4] for row in _rows(Path(f"{prefix}-timesheet.csv"))[1:]}
    assert timesheet == {"Ada": "08:25", "Bob": "closed", "Cyd": "08:00"}  # Fri 30
    people = load_workbook(tmp_path / "autumn.xlsx")["People"]
    assert [cell.value for cell in people[1]][3:5] == ["Days absent", "Days excused"]
