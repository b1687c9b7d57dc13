"""`enrol --folder` with its photos encoded in worker processes (issue 22, point 6): it
must decide exactly as the serial run (the same people, encodings, refusals and messages
in the same order), and Ctrl-C must stop it with its summary, the people already stored
kept and no worker left running."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.cli.enrol import POOL_FROM_PHOTOS, enrol_folder
from attendance_app.config.settings import AppConfig
from tests.support.faults_support import app_command
from tests.support.processes import child_pids, is_alive
from tests.support.shared_sets import faces_scale_root

PEOPLE = 16


def _linked(photo: Path, folder: Path) -> None:
    """`photo` in `folder` as a link: the real file is read, never copied."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / photo.name).symlink_to(photo)


def _lfw_people(count: int, folder: Path) -> list[Path]:
    """The first `count` lfw/enrol people of faces-scale, each in a folder of their own."""
    people = sorted((faces_scale_root() / "lfw" / "enrol").iterdir())[:count]
    for person in people:
        for photo in person.iterdir():
            _linked(photo, folder / person.name)
    return people


@pytest.fixture
def mixed_folder(faces_dir: Path, tmp_path: Path) -> Path:
    """Real LFW people (some photos with background faces), plus a photo where two faces
    compete, a photo without a face, a person without a usable photo, and a first
    person's photo again under another name (the same face: refused)."""
    folder = tmp_path / "people"
    people = _lfw_people(PEOPLE, folder)
    first = next(people[0].iterdir())
    _linked(faces_dir / "group" / "two_people.jpg", folder / people[0].name)
    _linked(faces_dir / "noface" / "skimage_coffee.png", folder / people[0].name)
    _linked(faces_dir / "noface" / "skimage_rocket.jpg", folder / "Nobody_Here")
    _linked(first, folder / "Zz_Copy_Of_The_First")
    return folder


def _enrolled(data_dir: Path) -> list[tuple[object, ...]]:
    """Every stored encoding with its person, in the order stored."""
    with closing(sqlite3.connect(data_dir / "faces.sqlite3")) as db:
        return db.execute(
            "SELECT p.id, p.name, e.engine, e.source, e.photo_hash, e.face_image, e.vector "
            "FROM encodings e JOIN people p ON p.id = e.person_id ORDER BY e.id").fetchall()


def _run(folder: Path, data_dir: Path, workers: int,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    workspace = Workspace.resolve(AppConfig(), data_dir, None)
    code = enrol_folder(workspace, folder, underscores_are_spaces=True, workers=workers)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_pooled_enrolment_stores_and_says_what_the_serial_one_does(
        mixed_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos = sum(1 for _ in mixed_folder.glob("*/*"))
    assert photos >= POOL_FROM_PHOTOS, "enough photos for the pool to be used"
    serial = _run(mixed_folder, tmp_path / "serial", 1, capsys)
    pooled = _run(mixed_folder, tmp_path / "pooled", 2, capsys)

    assert pooled == serial
    code, out, err = serial
    assert code == 0
    assert f"Enrolled {PEOPLE} of {PEOPLE + 2} people" in out
    assert "1 x more than one face" in out and "2 x no face" in out, out
    assert "Took the face that clearly dominates in" in out, "LFW photos with background faces"
    assert "Nobody enrolled for 1 person without a usable photo: Nobody Here" in out, out
    assert "Zz Copy Of The First: not enrolled: this face is already enrolled as" in err, err
    stored, again = _enrolled(tmp_path / "serial"), _enrolled(tmp_path / "pooled")
    assert len(stored) == 2 * PEOPLE, "each person's photo encoded by both engines"
    assert [row[:6] for row in again] == [row[:6] for row in stored]
    for row, other in zip(stored, again):
        vector, same = np.frombuffer(row[6]), np.frombuffer(other[6])
        assert np.allclose(vector, same, atol=1e-5), row[1:4]



def _stored_people(data_dir: Path) -> int:
    try:
        with closing(sqlite3.connect(data_dir / "faces.sqlite3")) as db:
            return db.execute("SELECT COUNT(*) FROM people").fetchone()[0]
    except sqlite3.OperationalError:  # not made yet
        return 0


def test_ctrl_c_stops_a_pooled_enrolment_with_its_summary_and_no_worker_left(
        tmp_path: Path) -> None:
    folder, data_dir = tmp_path / "people", tmp_path / "data"
    total = len(_lfw_people(200, folder))
    child = subprocess.Popen(app_command("enrol", "--folder", str(folder), "--names-from-folders",
                                         "--data-dir", str(data_dir)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    deadline = time.monotonic() + 120
    while _stored_people(data_dir) < 2 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # people are being stored: the workers are at work
    helpers = child_pids(child.pid)
    os.killpg(child.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches every process of the group
    out, err = child.communicate(timeout=60)

    assert child.returncode == 130, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("stopped (Ctrl-C)"), err
    stored = _stored_people(data_dir)
    assert 2 <= stored < total
    assert f"Enrolled {stored} of {total} people from {folder}" in out, out
    assert len(helpers) >= 2, "the workers were running"
    deadline = time.monotonic() + 5
    while [pid for pid in helpers if is_alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if is_alive(pid)], "every worker must end"
