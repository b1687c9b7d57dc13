"""Damaged and foreign SQLite files (issue 20, point 6): caches never take the door down.

Each fault is injected for real into a file the app made (tests/support/sqlite_faults.py): random
bytes over a b-tree page in the middle of it, the file cut short, another program's SQLite
database in its place (with or without an application id of its own), or a text file. The
unknown visitors' store, the door's copy of the central roster and the journal are then
moved aside (kept byte for byte as NAME.damaged-DATE-TIME.sqlite3) and started afresh with
one warning line, at start or (the caches) when found damaged in use, and the door keeps
running: `run --headless` on a real video or photo, a command, a running door's copy pulled
again from a real PostgreSQL server. The face store (the roster, kept nowhere else) is
refused in one line and left as it was.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase, Reachability
from attendance_app.central.link import CentralLink
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.records.journal import Journal, JournalError
from attendance_app.types import AttendanceEvent
from attendance_app.unknowns.store import NewSighting, UnknownsError, UnknownStore
from enrolment import FaceStore
from enrolment.sqlite_files import FACE_STORE, JOURNAL, storage_problem
from enrolment.values import StoreError
from tests.support.faults_support import (
    BusyDoor,
    Camera,
    app_command,
    busy_door,
    cli,
    free_port,
    wait_for,
    write_protected,
)
from tests.support.scenes import probe_photo, render, sequential_scene
from tests.support.sqlite_faults import (
    FAULTS,
    KEEP_UNKNOWNS,
    corrupt_middle_page,
    text_file,
    truncate,
    unknowns_with_faces,
)

__all__ = ["busy_door"]  # a fixture used below


# --- files made by the app ------------------------------------------------------------

def _journal_with_rows(path: Path, count: int = 120) -> None:
    journal = Journal(path)
    start = datetime(2026, 11, 2, 8, 0)
    for number in range(count):
        journal.record(AttendanceEvent(start + timedelta(minutes=number), number % 7 + 1,
                                       f"Person {number % 7 + 1}", "Front door", 0.3, "in"))


def _aside(path: Path) -> list[Path]:
    """The files moved aside from `path` (NAME.damaged-*.sqlite3)."""
    return sorted(path.parent.glob(f"{path.stem}.damaged-*{path.suffix}"))


def _moved_aside_line(messages: list[str], path: Path) -> str:
    """The one warning that says `path` was moved aside, and where to."""
    lines = [line for line in messages if "moved aside to" in line]
    assert len(lines) == 1, messages
    assert f"{path} is damaged or not a file of this app (" in lines[0]
    assert "\n" not in lines[0]
    return lines[0]


@pytest.mark.parametrize("fault", FAULTS)
def test_a_damaged_unknowns_store_is_moved_aside_and_started_empty(
        fault: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "unknowns.sqlite3"
    unknowns_with_faces(path)
    FAULTS[fault](path)
    damaged = path.read_bytes()
    with caplog.at_level(logging.WARNING):
        store = UnknownStore(path)
    line = _moved_aside_line(caplog.messages, path)
    [aside] = _aside(path)
    assert str(aside) in line and "delete it when it is not needed" in line
    assert aside.read_bytes() == damaged, "kept byte for byte, never deleted"
    assert aside.stat().st_mode & 0o077 == 0, "it holds faces: owner only"
    assert store.count() == 0
    store.add(NewSighting(datetime(2026, 11, 3, 9, 0), "door", b"jpeg", 80, "sface",
                          np.zeros((1, 128))))
    assert UnknownStore(path).count() == 1 and len(_aside(path)) == 1


@pytest.mark.parametrize("fault", FAULTS)
def test_a_damaged_journal_is_moved_aside_and_a_fresh_one_started(
        fault: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path)
    FAULTS[fault](path)
    damaged = path.read_bytes()
    inode = path.stat().st_ino
    with caplog.at_level(logging.WARNING):
        journal = Journal(path)
    line = _moved_aside_line(caplog.messages, path)
    assert "a fresh journal is started" in line
    [aside] = _aside(path)
    assert aside.read_bytes() == damaged
    assert path.stat().st_ino == inode, "emptied in place: the door's lock stays on it"
    assert journal.events() == []
    journal.record(AttendanceEvent(datetime(2026, 11, 3, 9, 0), 1, "Ada", "door", 0.3, "in"))
    assert [event.name for event in Journal(path).events()] == ["Ada"]


@pytest.mark.parametrize("fault", FAULTS)
def test_a_damaged_face_store_is_refused_in_one_line_and_left_as_it_was(
        fault: str, tmp_path: Path) -> None:
    path = tmp_path / "faces.sqlite3"
    store = FaceStore(path)
    with closing(sqlite3.connect(path)) as db, db:  # enough people for a page in the middle
        db.executemany("INSERT INTO people (name, created_at, name_key) VALUES (?, ?, ?)",
                       [(f"Person {n}", "2026-11-02T08:00:00", f"person {n}")
                        for n in range(2000)])
    assert len(store.people()) == 2000
    FAULTS[fault](path)
    damaged = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        FaceStore(path)
    message = str(refused.value)
    assert message.startswith(f"{path} is damaged or not a file of this app (")
    assert message.endswith("): move it aside or restore a backup") and "\n" not in message
    assert path.read_bytes() == damaged and _aside(path) == []


def test_the_journal_given_as_the_face_store_is_refused_not_read_as_nobody_enrolled(
        tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite3"
    _journal_with_rows(journal, 3)
    result = cli("people", "--data-dir", str(tmp_path / "door"))
    assert result.returncode == 0  # an empty door: nobody enrolled, truly
    (tmp_path / "door" / "faces.sqlite3").write_bytes(journal.read_bytes())
    result = cli("people", "--data-dir", str(tmp_path / "door"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'door' / 'faces.sqlite3'} is damaged or not a file of this app"
        " (it is this app's attendance journal, not its face store): move it aside or restore"
        " a backup"]


def test_a_face_store_given_as_the_journal_is_moved_aside_not_written_into(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    FaceStore(tmp_path / "faces.sqlite3")
    faces = (tmp_path / "faces.sqlite3").read_bytes()
    (tmp_path / "journal.sqlite3").write_bytes(faces)
    with caplog.at_level(logging.WARNING):
        Journal(tmp_path / "journal.sqlite3")
    line = _moved_aside_line(caplog.messages, tmp_path / "journal.sqlite3")
    assert "(it is this app's face store, not its attendance journal)" in line
    assert _aside(tmp_path / "journal.sqlite3")[0].read_bytes() == faces


def test_files_of_earlier_versions_are_accepted_and_stamped(tmp_path: Path) -> None:
    """Files made before application ids (id 0) keep working when their tables are ours."""
    for path, kind in ((tmp_path / "faces.sqlite3", FACE_STORE),
                       (tmp_path / "journal.sqlite3", JOURNAL)):
        opened = FaceStore if kind is FACE_STORE else Journal
        opened(path)
        with closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA application_id").fetchone()[0] == kind.application_id
            db.execute("PRAGMA application_id = 0")
    _journal_with_rows(tmp_path / "journal.sqlite3", 3)  # written to while it has id 0
    with closing(sqlite3.connect(tmp_path / "journal.sqlite3")) as db:
        db.execute("PRAGMA application_id = 0")
    assert len(Journal(tmp_path / "journal.sqlite3").events()) == 3
    FaceStore(tmp_path / "faces.sqlite3")
    for path, kind in ((tmp_path / "faces.sqlite3", FACE_STORE),
                       (tmp_path / "journal.sqlite3", JOURNAL)):
        with closing(sqlite3.connect(path)) as db:
            assert db.execute("PRAGMA application_id").fetchone()[0] == kind.application_id
        assert _aside(path) == []


def test_a_store_of_an_earlier_version_in_a_read_only_folder_is_read_and_stamped_later(
        tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = FaceStore(folder / "faces.sqlite3")
    with closing(sqlite3.connect(folder / "faces.sqlite3")) as db, db:
        db.execute("PRAGMA application_id = 0")
    with write_protected(folder):
        assert store.people() == [] and FaceStore(folder / "faces.sqlite3").people() == []
    FaceStore(folder / "faces.sqlite3")
    with closing(sqlite3.connect(folder / "faces.sqlite3")) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == FACE_STORE.application_id


def test_damage_found_while_running_is_named_as_damage_not_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path)
    journal = Journal(path)
    corrupt_middle_page(path)  # after it was opened: found by the next read
    with pytest.raises(JournalError) as failed:
        journal.events()
    message = str(failed.value)
    assert message.startswith(f"{path} is damaged or not a file of this app (")
    assert "free disk space" not in message and "move it aside or restore a backup" in message


def test_an_unknowns_store_found_damaged_in_use_is_moved_aside_and_the_next_face_kept(
        tmp_path: Path) -> None:
    path = tmp_path / "unknowns.sqlite3"
    unknowns_with_faces(path)
    store = UnknownStore(path)
    corrupt_middle_page(path)  # while the camera runs
    damaged = path.read_bytes()
    face = NewSighting(datetime(2026, 11, 3, 9, 0), "door", b"jpeg", 80, "sface",
                       np.zeros((1, 128)))
    with pytest.raises(UnknownsError) as failed:
        store.sightings("sface")
    message = str(failed.value)
    assert message.startswith(f"{path} is damaged or not a file of this app (")
    assert "moved aside to" in message and "\n" not in message
    assert _aside(path)[0].read_bytes() == damaged
    store.add(face)
    assert store.count() == 1


@pytest.mark.parametrize("error", [
    sqlite3.DatabaseError("database disk image is malformed"),
    sqlite3.DatabaseError("file is not a database"),
    sqlite3.DatabaseError("file is encrypted or is not a database"),
])
def test_every_word_sqlite_has_for_damage_gets_the_damaged_message(
        error: Exception, tmp_path: Path) -> None:
    message = storage_problem(tmp_path / "x.sqlite3", error)
    assert "is damaged or not a file of this app" in message
    assert "free disk space" not in message


# --- the door keeps running -------------------------------------------------------------

def test_a_run_with_a_damaged_unknowns_store_logs_on_with_one_warning(
        busy_door: BusyDoor, faces_dir: Path, tmp_path: Path) -> None:
    data = busy_door.data_dir(tmp_path / "data")
    config = tmp_path / "config.yaml"
    config.write_text(busy_door.config.read_text() + KEEP_UNKNOWNS)
    unknowns_with_faces(data / "unknowns.sqlite3")
    corrupt_middle_page(data / "unknowns.sqlite3")
    damaged = (data / "unknowns.sqlite3").read_bytes()
    video = render(sequential_scene([("obama", probe_photo(faces_dir, "obama"))],
                                    size=(480, 270), seconds_each=2.5), tmp_path / "door.mp4")
    result = cli("run", "--headless", "--source", str(video), "--data-dir", str(data),
                 "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count(" IN ") == 1 and "obama" in result.stdout
    line = _moved_aside_line(result.stderr.splitlines(), data / "unknowns.sqlite3")
    assert line.startswith("WARNING: ")
    [aside] = _aside(data / "unknowns.sqlite3")
    assert aside.read_bytes() == damaged
    assert UnknownStore(data / "unknowns.sqlite3").count() >= 0  # a sound store again
    listed = cli("unknowns", "--data-dir", str(data), "--config", str(config))
    assert listed.returncode == 0 and "moved aside" not in listed.stderr


def test_the_unknowns_command_on_a_damaged_store_warns_once_and_lists_nobody(
        tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(KEEP_UNKNOWNS)
    unknowns_with_faces(tmp_path / "unknowns.sqlite3")
    truncate(tmp_path / "unknowns.sqlite3")
    result = cli("unknowns", "--data-dir", str(tmp_path), "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    line = _moved_aside_line(result.stderr.splitlines(), tmp_path / "unknowns.sqlite3")
    assert line.startswith("WARNING: ") and len(_aside(tmp_path / "unknowns.sqlite3")) == 1


def test_a_run_with_a_damaged_journal_logs_into_a_fresh_one(
        busy_door: BusyDoor, faces_dir: Path, tmp_path: Path) -> None:
    data = busy_door.data_dir(tmp_path / "data")
    _journal_with_rows(data / "journal.sqlite3")
    text_file(data / "journal.sqlite3")
    result = cli("run", "--headless", "--source", str(probe_photo(faces_dir, "biden")),
                 "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    line = _moved_aside_line(result.stderr.splitlines(), data / "journal.sqlite3")
    assert line.startswith("WARNING: ") and "a fresh journal is started" in line
    assert [event.name for event in Journal(data / "journal.sqlite3").events()] == ["biden"]
    assert _aside(data / "journal.sqlite3")[0].read_text().startswith("name,time")


def test_a_run_on_a_damaged_journal_keeps_the_data_folder_to_itself(tmp_path: Path) -> None:
    """The damaged journal is emptied in place, not renamed: the lock a run holds on it
    (taken before the journal is opened) stays on journal.sqlite3, so a second run is
    still refused."""
    data = tmp_path / "data"
    data.mkdir()
    text_file(data / "journal.sqlite3")
    camera = Camera(free_port())
    camera.plug_in()
    first = subprocess.Popen(app_command("run", "--headless", "--source", camera.url,
                                         "--data-dir", str(data)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: len(_aside(data / "journal.sqlite3")) == 1 or first.poll() is not None,
                 60, "the first run to move the journal aside")
        second = cli("run", "--headless", "--source", camera.url, "--data-dir", str(data))
        assert first.poll() is None, "the first run must still be running"
    finally:
        first.send_signal(signal.SIGTERM)
        _, errors = first.communicate(timeout=60)
        camera.unplug()
    assert second.returncode == 1
    assert second.stderr.strip().splitlines()[-1].startswith(
        "error: another attendance-app is using the data folder"), second.stderr
    _moved_aside_line(errors.splitlines(), data / "journal.sqlite3")
    assert len(_aside(data / "journal.sqlite3")) == 1, "the second run touched nothing"


def test_a_damaged_roster_copy_is_moved_aside_and_pulled_again_from_the_server(
        tmp_path: Path, database_url: str, faces_dir: Path) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    data = ["--data-dir", str(tmp_path / "door"), "--database", database_url]
    for name in ("obama", "biden"):
        assert cli("enrol", name, str(next((faces_dir / "enrol" / name).iterdir())),
                   *data).returncode == 0
    copy = tmp_path / "door" / "central-roster.sqlite3"
    assert {p.name for p in SharedFaceStore(copy, CentralRoster(central)).people()} == \
        {"obama", "biden"}
    corrupt_middle_page(copy)
    damaged = copy.read_bytes()
    group = str(faces_dir / "group" / "obama_and_biden.jpg")
    result = cli("run", "--headless", "--source", group, *data)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count(" IN ") == 2, "recognised from the copy made again"
    line = _moved_aside_line(result.stderr.splitlines(), copy)
    assert line.startswith("WARNING: ") and "made again from the central database" in line
    [aside] = _aside(copy)
    assert aside.read_bytes() == damaged
    rebuilt = SharedFaceStore(copy, CentralRoster(central))
    assert {p.name for p in rebuilt.people()} == {"obama", "biden"}
    assert rebuilt.revision > 0
    journal = Journal(tmp_path / "door" / "journal.sqlite3")
    link = CentralLink(central, rebuilt, journal, max_wait=0.5,
                       reachability=Reachability(central)).start()
    try:
        corrupt_middle_page(copy, "people")  # now while the door runs
        with pytest.raises(StoreError, match="moved aside to .*made again from the central"):
            rebuilt.people()
        assert len(_aside(copy)) == 2
        wait_for(lambda: {p.name for p in rebuilt.people()} == {"obama", "biden"}, 30,
                 "the running door's listener to pull the copy again")
    finally:
        link.close()
