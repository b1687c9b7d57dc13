"""`attendance-app group ...` in child processes on a face store enrolled from real photos:
groups created, listed with members and hours, renamed, removed, people assigned; every
bad input (an unknown group or person, 25:00, days that are not week days, a negative
grace) ends with one line and exit code 1, and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.enrolled_folder import app_in, enrolled_from_photos

PEOPLE = {"Penny": "bbt_penny", "Raj": "bbt_raj"}


@pytest.fixture(scope="module")
def data_dir(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with Penny and Raj enrolled from one real photo each."""
    return enrolled_from_photos(faces_dir, tmp_path_factory.mktemp("groups"), PEOPLE)


def test_groups_are_made_assigned_renamed_and_removed(data_dir: Path) -> None:
    added = app_in(data_dir, "group", "add", "Class 3B", "--start", "08:30", "--grace", "10",
                 "--days", "mon-fri", "--end", "15:30")
    assert added.returncode == 0, added.stderr
    assert "mon-fri 08:30 (+10 min) to 15:30" in added.stdout
    assert app_in(data_dir, "group", "add", "Choir", "--start", "07:45",
                "--days", "wed,sat").returncode == 0
    assigned = app_in(data_dir, "group", "assign", "class 3b", "Penny", "raj")
    assert assigned.returncode == 0, assigned.stderr
    assert "2 people added, 2 members now" in assigned.stdout
    assert app_in(data_dir, "group", "assign", "Choir", "Penny").returncode == 0
    listed = app_in(data_dir, "group", "list").stdout.splitlines()
    assert listed[0].split() == ["Group", "Members", "Hours"]
    assert listed[1].split() == ["Choir", "1", "wed,sat", "07:45", "(+0", "min)"]
    assert listed[2].split() == ["Class", "3B", "2", "mon-fri", "08:30", "(+10", "min)", "to",
                                 "15:30"]
    assert app_in(data_dir, "group", "unassign", "Class 3B", "Raj").stdout.endswith(
        "1 person taken out, 1 member now\n")
    assert app_in(data_dir, "group", "rename", "Choir", "Singers").returncode == 0
    removed = app_in(data_dir, "group", "remove", "Singers")
    assert removed.stdout == "Removed group Singers (1 member; they stay enrolled)\n"
    listed = app_in(data_dir, "group", "list").stdout
    assert "Singers" not in listed and "Choir" not in listed and "Class 3B" in listed
    assert "Penny" in app_in(data_dir, "people").stdout


@pytest.mark.parametrize(("args", "message"), [
    (("add", "X", "--start", "25:00", "--days", "mon-fri"),
     "error: '25:00' is not a time of day; write it as HH:MM, e.g. 08:30"),
    (("add", "X", "--start", "08:00", "--days", "weekdays"),
     "error: 'weekdays' is not a list of week days; write e.g. mon-fri or mon,wed,fri"),
    (("add", "X", "--start", "08:00", "--days", "mon-fri", "--grace", "-5"),
     "error: grace must be 0 to 1440 minutes, not -5"),
    (("add", "X", "--start", "08:00", "--days", "mon-fri", "--end", "07:00"),
     "error: the day must end after it starts (08:00), not at 07:00"),
    (("assign", "Nope", "Penny"),
     "error: there is no group called 'Nope'; `group list` shows them"),
    (("assign", "Staff", "Penny", "Zed"),
     "error: nobody called 'Zed' is enrolled; the people command lists who is"),
    (("rename", "Nope", "Y"), "error: there is no group called 'Nope'; `group list` shows them"),
])
def test_bad_input_ends_with_one_line_and_changes_nothing(
        data_dir: Path, args: tuple[str, ...], message: str) -> None:
    app_in(data_dir, "group", "add", "Staff", "--start", "08:00", "--days", "mon-fri")
    before = app_in(data_dir, "group", "list").stdout
    done = app_in(data_dir, "group", *args)
    assert (done.returncode, done.stderr.strip()) == (1, message)
    assert app_in(data_dir, "group", "list").stdout == before
