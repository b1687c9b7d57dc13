"""A door never sends rows to another site and never wipes its copy because the server
looks empty (issue 20, point 3), on the real PostgreSQL server of the suite.

Before: a door re-pointed at site B sent site A's queued rows to B; a re-created or
emptied database wiped every door's copy of the roster (21 people -> 0, no word), and the
rows sent before were never sent again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase, DatabaseError, Reachability
from attendance_app.central.link import CentralLink
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.central.site import SiteMismatch
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from enrolment import NewEncoding
from tests.support.faults_support import cli, wait_for
from tests.support.postgres_server import PostgresServer

NAMES = ("Ada", "Bob", "Cyd")


class Door:
    """A door's journal and copy of the roster in `folder`, pointed at `database`: the
    files and objects the app makes (attendance_app.app.workspace), built directly."""

    def __init__(self, folder: Path, database: CentralDatabase) -> None:
        self.folder = folder
        self.journal = Journal(folder / "journal.sqlite3")
        self.copy = SharedFaceStore(folder / "central-roster.sqlite3", CentralRoster(database),
                                    site=self.journal.site_id)
        self.database = database

    def join(self) -> Door:
        self.copy.pull()
        self.journal.join_central(self.copy.site_id)
        return self

    def log(self, count: int) -> None:
        """`count` arrivals of the copy's people, a minute apart."""
        people = self.copy.people()
        start = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        for number in range(count):
            person = people[number % len(people)]
            self.journal.record(AttendanceEvent(start + timedelta(minutes=len(self.rows())),
                                                person.person_id, person.name, "Main", 0.3,
                                                "in"))

    def rows(self) -> list[AttendanceEvent]:
        return self.journal.events()

    def push_all(self) -> None:
        pusher = JournalPusher(self.journal, self.database, check_copy=self.copy.check_site)
        while pusher.push_once():
            pass

    def command(self, *args: str) -> tuple[int, str, str]:
        result = cli(*args, "--data-dir", str(self.folder), "--database", self.database.url)
        return result.returncode, result.stdout, result.stderr


def _site(server: PostgresServer, name: str, people: tuple[str, ...] = NAMES) -> CentralDatabase:
    """A new database with the attendance tables and `people` enrolled (random faces)."""
    database = CentralDatabase(server.create_database(name))
    schema.initialise(database)
    _enrol(database, people)
    return database


def _enrol(database: CentralDatabase, people: tuple[str, ...]) -> None:
    rng = np.random.default_rng(len(people))
    roster = CentralRoster(database)
    for name in people:
        roster.enrol(name, [NewEncoding(rng.normal(size=128), f"{name}.jpg")], {"dlib": 0.01})


def _events(database: CentralDatabase) -> tuple[int, int]:
    """(rows, distinct ids) in the central log."""
    with database.transaction() as db:
        return db.execute("SELECT COUNT(*), COUNT(DISTINCT uid) FROM events").fetchone()


def _names(store: SharedFaceStore) -> list[str]:
    return sorted(person.name for person in store.people())


def test_rows_logged_while_pointed_at_another_site_reach_only_their_own_site_once(
        tmp_path: Path, postgres_server: PostgresServer,
        caplog: pytest.LogCaptureFixture) -> None:
    site_a = _site(postgres_server, "site_a_rows")
    site_b = _site(postgres_server, "site_b_rows", ("Zed",))
    door = Door(tmp_path, site_a).join()
    door.log(2)
    door.push_all()
    assert _events(site_a) == (2, 2)

    moved = Door(tmp_path, site_b)  # the same files, database.url now names site B
    with pytest.raises(SiteMismatch, match="not this door's site"):
        moved.copy.pull()
    assert _names(moved.copy) == list(NAMES), "the copy is kept, people are still logged"
    moved.log(5)
    with pytest.raises(SiteMismatch):
        moved.copy.enrol("Eve", [NewEncoding(np.ones(128), "eve.jpg")])
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        link = CentralLink(site_b, moved.copy, moved.journal, max_wait=0.2,
                           reachability=Reachability(site_b)).start()
        try:
            link.notify()
            wait_for(lambda: link.reachability.failure is not None, 30, "the mismatch")
        finally:
            link.close(timeout=5)
    warnings = [record.getMessage() for record in caplog.records
                if record.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "not this door's site" in warnings[0] and "database adopt" in warnings[0]
    assert "join-new-site" in warnings[0] and "\n" not in warnings[0]
    with pytest.raises(SiteMismatch):
        moved.push_all()
    assert _events(site_b) == (0, 0), "no row of site A reached site B"
    assert moved.journal.unsent_count() == 5
    with site_b.transaction() as db:
        assert [row[0] for row in db.execute("SELECT name FROM people")] == ["Zed"]

    code, out, _ = moved.command("database", "status")
    assert code == 0 and f"Site id: {moved.copy.roster.site().site_id}" in out
    assert "This door: the central database" in out and "not this door's site" in out
    code, _, err = moved.command("export")
    assert code == 1 and "not this door's site" in err and err.strip().count("\n") == 0
    assert not (tmp_path / "attendance.xlsx").exists(), "site B's log is no workbook of A's"

    rebuilt = SharedFaceStore(tmp_path / "rebuilt-copy.sqlite3", CentralRoster(site_b),
                              site=moved.journal.site_id)
    with pytest.raises(SiteMismatch):
        rebuilt.pull()
    assert rebuilt.people() == [], "a new copy takes no people of a site its rows are not for"

    back = Door(tmp_path, site_a)
    back.copy.pull()
    back.push_all()
    assert _events(site_a) == (7, 7), "pointed back at site A, the 5 rows arrive once"
    back.push_all()
    assert _events(site_a) == (7, 7)


def test_a_recreated_database_is_refused_until_adopted_and_then_gets_every_row_again(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    site = _site(postgres_server, "site_recreated")
    door = Door(tmp_path, site).join()
    door.log(4)
    door.push_all()
    door.log(1)  # waits: the server goes away before it is sent
    _recreate(site)
    with pytest.raises(SiteMismatch, match="not this door's site"):
        door.copy.pull()
    assert _names(door.copy) == list(NAMES)
    with pytest.raises(SiteMismatch):
        door.push_all()
    assert _events(site) == (0, 0)

    _enrol(site, ("Nia",))  # the new database numbers people anew: Nia has Ada's old id
    code, out, err = door.command("database", "adopt")
    assert code == 0, err
    assert "sent 3 people and 5 rows" in out
    assert _events(site) == (5, 5), "the rows sent before the reset are sent again"
    _assert_rows_name_their_people(site)
    adopted = Door(tmp_path, site)
    assert adopted.journal.site_id == adopted.copy.site_id
    adopted.copy.pull()
    adopted.log(1)
    adopted.push_all()
    assert _events(site) == (6, 6)
    assert door.command("database", "adopt")[0] == 0, "adopting twice doubles nothing"
    assert _events(site) == (6, 6)
    _recreate(site)  # again: the first 5 rows name people by the first site's ids,
    _enrol(site, ("Nia",))  # which the copy now gives to others (Nia has Ada's)
    assert door.command("database", "adopt")[0] == 0
    assert _events(site) == (6, 6)
    _assert_rows_name_their_people(site)


def _recreate(site: CentralDatabase) -> None:
    """Drop the database's tables and make them anew, as an admin would."""
    with site.transaction() as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
    schema.initialise(site)


def _assert_rows_name_their_people(site: CentralDatabase) -> None:
    """Each row in the central log names its person by that database's id."""
    with site.transaction() as db:
        on_server = dict(db.execute("SELECT name, id FROM people").fetchall())
        logged = db.execute("SELECT DISTINCT name, person_id FROM events").fetchall()
    assert set(NAMES) <= set(on_server)
    assert all(on_server[name] == person_id for name, person_id in logged), logged


def test_an_emptied_database_of_the_same_site_never_empties_the_copy(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    site = _site(postgres_server, "site_emptied")
    door = Door(tmp_path, site).join()
    door.log(2)
    door.push_all()
    with site.transaction() as db:  # people deleted by hand, outside the app
        db.execute("DELETE FROM encodings")
        db.execute("DELETE FROM people")
    with pytest.raises(SiteMismatch, match="holds less than this door's copy"):
        door.copy.pull()
    door.log(1)
    with pytest.raises(SiteMismatch):
        door.push_all()
    assert _names(door.copy) == list(NAMES)

    with site.transaction() as db:  # or restored from a backup older than the copy
        db.execute("SELECT setval('roster_revision', 1)")
    code, out, err = door.command("people")
    assert code == 0 and [line.split()[0] for line in out.splitlines()[1:]] == list(NAMES)
    assert "holds less than this door's copy" in err and err.strip().count("\n") == 0

    code, out, err = door.command("database", "adopt")
    assert code == 0, err
    assert _events(site) == (3, 3)


def test_a_door_moved_to_another_site_keeps_the_old_sites_rows_local(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    site_a = _site(postgres_server, "site_a_moved")
    site_b = _site(postgres_server, "site_b_moved", ("Zed", "Yan"))
    door = Door(tmp_path, site_a).join()
    door.log(2)  # never sent: the door is moved before it reaches site A again
    moved = Door(tmp_path, site_b)
    code, out, err = moved.command("database", "join-new-site")
    assert code == 0, err
    assert "2 rows logged for its old site stay in this door's journal only" in out
    moved = Door(tmp_path, site_b)
    assert _names(moved.copy) == ["Yan", "Zed"]
    moved.log(1)
    moved.push_all()
    with site_b.transaction() as db:
        assert [row[0] for row in db.execute("SELECT name FROM events")] == ["Yan"]


def test_a_version_1_database_is_migrated_and_its_doors_still_match(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    site = CentralDatabase(postgres_server.create_database("site_version_1"))
    remembered = uuid.uuid4().hex
    with site.transaction() as db:  # as version 1 made it, with a door that knew its id
        db.execute(schema._VERSION_1)
        db.execute("INSERT INTO attendance_meta VALUES ('schema_version', '1'),"
                   " ('roster_id', %s)", (remembered,))
    with pytest.raises(DatabaseError, match="bring it up to date with: attendance-app "
                                            "database init"):
        Door(tmp_path / "early", site).copy.pull()
    assert schema.initialise(site) == (1, schema.SCHEMA_VERSION)
    assert schema.initialise(site) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    _enrol(site, NAMES)
    door = Door(tmp_path, site).join()
    assert door.copy.site_id == door.journal.site_id == remembered
    door.log(1)
    door.push_all()
    assert _events(site) == (1, 1)


def test_a_running_door_pointed_at_another_site_logs_from_its_copy_and_sends_nothing(
        tmp_path: Path, postgres_server: PostgresServer, faces_dir: Path) -> None:
    """The door keeps the site's workbook: it writes none of site B's rows either."""
    _run_at_another_site(tmp_path, postgres_server, faces_dir)


def _run_at_another_site(
        tmp_path: Path, postgres_server: PostgresServer, faces_dir: Path) -> None:
    site_a = _site(postgres_server, "site_a_run", ())
    site_b = _site(postgres_server, "site_b_run", ("Zed",))
    door = Door(tmp_path, site_a)
    assert door.command("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg")
                        )[0] == 0
    moved = Door(tmp_path, site_b)
    keeping = tmp_path / "keeps.yaml"
    keeping.write_text("database:\n  keeps_workbook: true\n")
    code, out, err = moved.command("run", "--headless", "--config", str(keeping), "--source",
                                   str(faces_dir / "enrol" / "obama" / "obama.jpg"))
    assert code == 0, err
    assert "1 attendance event" in out, "the door logs people from its copy"
    mismatch = [line for line in err.splitlines() if "not this door's site" in line]
    assert len(mismatch) == 1, err
    assert "database adopt" in mismatch[0] and "door-secret" not in err
    assert _events(site_b) == (0, 0)
    assert not (tmp_path / "attendance.xlsx").exists(), "site B's log is no workbook of A's"
    back = Door(tmp_path, site_a)
    back.push_all()
    with site_a.transaction() as db:
        assert db.execute("SELECT name FROM events").fetchall() == [("obama",)]
