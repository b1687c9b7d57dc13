"""Both face engines through the whole app (issue 12): enrol once, name people with either
engine, switch engines without re-enrolling, and upgrade a store enrolled before the
second engine existed. Real processes, real photos and videos of ../shared/faces."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.faces import ENGINE_NAMES, PROFILES
from exports import ExcelWorkbook
from tests.support.scenes import probe_people, render, sequential_scene

WALKERS = ("obama", "biden", "bbt_howard")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "attendance_app", *args], capture_output=True,
                          text=True, timeout=600, check=False)


def _settings(folder: Path, engine: str) -> list[str]:
    path = folder / f"{engine}.yaml"
    path.write_text(f"recognition:\n  engine: {engine}\n", encoding="utf-8")
    return ["--config", str(path)]


def _rows_by_name(workbook: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in ExcelWorkbook(workbook).read_rows():
        counts[row.name] = counts.get(row.name, 0) + 1
    return counts


def _engines_stored(data: Path) -> dict[str, int]:
    with sqlite3.connect(data / "faces.sqlite3") as db:
        return dict(db.execute("SELECT engine, COUNT(*) FROM encodings GROUP BY engine"))


@pytest.fixture(scope="module")
def door_video(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    people = probe_people(faces_dir, WALKERS)
    people.insert(1, ("stranger", faces_dir / "stranger" / "openface_adams.jpg"))
    return render(sequential_scene(people), tmp_path_factory.mktemp("video") / "door.mp4")


def test_every_engine_has_a_profile() -> None:
    assert set(PROFILES) == set(ENGINE_NAMES)


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_one_enrolment_serves_either_engine_at_the_door(
        engine: str, door_video: Path, faces_dir: Path, tmp_path: Path) -> None:
    """Enrolled once (with the other engine in use), each walker is logged once by the
    engine chosen afterwards, and the stranger by nobody."""
    data = ["--data-dir", str(tmp_path / "data")]
    other = next(name for name in ENGINE_NAMES if name != engine)
    for name in WALKERS:
        photo = next((faces_dir / "enrol" / name).iterdir())
        enrolled = _cli("enrol", name, str(photo), *data, *_settings(tmp_path, other))
        assert enrolled.returncode == 0, enrolled.stderr
    assert _engines_stored(tmp_path / "data") == {"dlib": 3, "sface": 3}

    result = _cli("run", "--headless", "--source", str(door_video), *data,
                  *_settings(tmp_path, engine))

    assert result.returncode == 0, result.stderr
    assert _rows_by_name(tmp_path / "data" / "attendance.xlsx") == {name: 1 for name in WALKERS}


def test_a_store_from_before_the_second_engine_is_upgraded_in_place(
        faces_dir: Path, tmp_path: Path) -> None:
    """A store whose faces only dlib encoded (as every store before issue 12): the first
    use of sface encodes them from their stored face pictures, once, and names people."""
    data = ["--data-dir", str(tmp_path / "data")]
    assert _cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"), *data,
                *_settings(tmp_path, "dlib")).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "faces.sqlite3") as db:
        db.execute("DELETE FROM encodings WHERE engine = 'sface'")
    assert _engines_stored(tmp_path / "data") == {"dlib": 1}

    probe = sorted((faces_dir / "probe" / "obama").iterdir())[0]
    named = _cli("identify", str(probe), *data, *_settings(tmp_path, "sface"))

    assert named.returncode == 0, named.stderr
    assert "obama" in named.stdout and "Unknown" not in named.stdout
    assert _engines_stored(tmp_path / "data") == {"dlib": 1, "sface": 1}


def test_the_real_walker_is_logged_once_by_dlib(
        faces_dir: Path, enrol_dir: Path, tmp_path: Path) -> None:
    """The real walkers video, one enrolment crop, dlib in use (sface, the default, is
    tested on it in tests/system/end_to_end/test_end_to_end.py): walker_01 is logged once, nobody else."""
    data = ["--data-dir", str(tmp_path / "data")]
    crop = next((enrol_dir / "walker_01").iterdir())
    assert _cli("enrol", "walker_01", str(crop), *data, *_settings(tmp_path, "dlib")).returncode == 0
    video = faces_dir / "video" / "walkers_royal_opera_house.mp4"

    result = _cli("run", "--headless", "--source", str(video), *data, *_settings(tmp_path, "dlib"))

    assert result.returncode == 0, result.stderr
    assert _rows_by_name(tmp_path / "data" / "attendance.xlsx") == {"walker_01": 1}
