"""Age and gender at arrival (analytics.age_gender) through a whole door run: two people of
the shared LFW faces walk past a rendered door camera, and the command line's headless run
writes their rows. On, every row's estimate is in the journal's event_estimates table, the
workbook's two estimate columns and the printed line; off (the default), none is made
and the workbook has no such column."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.faces.age_gender import GENDERS
from exports import ExcelWorkbook
from exports.tables import AGE, GENDER
from tests.support.scenes import render, sequential_scene

# A man of about 71 and a woman of about 33 at their LFW photos (2002-2004; born 1931 and
# 1969): clearly apart in age and gender.
PEOPLE = {"cardoso": "Fernando_Henrique_Cardoso", "lopez": "Jennifer_Lopez"}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "attendance_app", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("on", [True, False], ids=["analytics on", "off by default"])
def test_a_door_run_stores_prints_and_exports_the_estimates_only_when_asked(
        faces_dir: Path, tmp_path: Path, on: bool) -> None:
    photos = {name: faces_dir / "lfw" / "enrol" / person / f"{person}_0001.jpg"
              for name, person in PEOPLE.items()}
    data = ["--data-dir", str(tmp_path / "data")]
    settings = tmp_path / "config.yaml"
    settings.write_text("analytics:\n  age_gender: true\n" if on else "camera:\n  name: Door\n")
    for name, photo in photos.items():
        assert _cli("enrol", name, str(photo), *data).returncode == 0
    video = render(sequential_scene(list(photos.items())), tmp_path / "door.mp4")

    result = _cli("run", "--headless", "--source", str(video), *data, "--config", str(settings))

    assert result.returncode == 0, result.stderr
    workbook = ExcelWorkbook(tmp_path / "data" / "attendance.xlsx")
    rows = {row.name: row for row in workbook.read_rows()}
    assert set(rows) == set(photos)
    with sqlite3.connect(tmp_path / "data" / "journal.sqlite3") as db:
        stored = dict(db.execute("SELECT e.name, a.age FROM event_estimates a"
                                 " JOIN events e ON e.id = a.event_id").fetchall())
    if not on:
        assert stored == {}
        assert all(row.age is None and row.gender is None for row in rows.values())
        assert AGE not in _header(workbook.path) and GENDER not in _header(workbook.path)
        assert "age about" not in result.stdout
        return
    assert set(stored) == set(photos)
    assert {AGE, GENDER} <= set(_header(workbook.path))
    for name, row in rows.items():
        assert row.age == pytest.approx(stored[name])
        gender, percent = row.gender.split()
        assert gender in GENDERS and percent.endswith("%")
    assert rows["cardoso"].age - rows["lopez"].age > 20
    assert rows["lopez"].gender.startswith("female ") and rows["cardoso"].gender.startswith("male ")
    assert result.stdout.count("age about") == 2


def _header(path: Path) -> list[str]:
    """The Attendance sheet's column titles, read with openpyxl itself."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [str(cell.value) for cell in next(book["Attendance"].iter_rows(max_row=1))]
    finally:
        book.close()


def test_a_photo_as_the_source_logs_its_person_with_the_estimate(faces_dir: Path,
                                                                 tmp_path: Path) -> None:
    """A still photo at the door (door_photos.py) estimates from the whole picture."""
    photo = faces_dir / "lfw" / "enrol" / "Jennifer_Lopez" / "Jennifer_Lopez_0001.jpg"
    data = ["--data-dir", str(tmp_path / "data")]
    settings = tmp_path / "config.yaml"
    settings.write_text("analytics:\n  age_gender: true\n")
    assert _cli("enrol", "lopez", str(photo), *data).returncode == 0

    result = _cli("run", "--headless", "--source", str(photo), *data, "--config", str(settings))

    assert result.returncode == 0, result.stderr
    (row,) = ExcelWorkbook(tmp_path / "data" / "attendance.xlsx").read_rows()
    assert row.name == "lopez" and row.gender.startswith("female ") and 18 <= row.age <= 50
    assert "age about" in result.stdout
