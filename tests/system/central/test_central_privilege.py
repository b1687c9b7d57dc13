"""Least privilege on the central server (issue 20, point 5): a door's own login, made by
`database add-door-user`, adds rows and roster changes and reads what a door reads, and is
refused every statement that would delete or rewrite the log or change the tables.

Everything runs on the real server of the suite (tests/support/postgres_server.py), the door as a
real login with a real password over TCP, as at a site.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

import psycopg
import psycopg.errors
import pytest

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.link import CentralLink
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent, Void
from tests.support.faults_support import cli, wait_for
from tests.support.postgres_server import PostgresServer

DOOR_PASSWORD = "gate-Secret-42"
ROSTER_DELAY_SECONDS = 10


def add_door_user(owner_url: str, folder: Path, name: str,
                  server: PostgresServer) -> str:
    """Make the door login `name` with the owner's URL, as the admin would; its URL."""
    made = cli("database", "add-door-user", name, "--data-dir", str(folder), "--database",
               owner_url, env={**os.environ, "ATTENDANCE_DOOR_PASSWORD": DOOR_PASSWORD})
    assert made.returncode == 0, made.stderr
    assert f"Created the door login {name}" in made.stdout
    assert DOOR_PASSWORD not in made.stdout + made.stderr
    database = owner_url.rsplit("/", 1)[1]
    return f"postgresql://{name}:{DOOR_PASSWORD}@127.0.0.1:{server.port}/{database}"


@pytest.fixture
def owner(database_url: str) -> CentralDatabase:
    """A database set up by `database init` with the owner's login."""
    database = CentralDatabase(database_url)
    schema.initialise(database)
    return database


FORBIDDEN = [
    "DELETE FROM events",
    "UPDATE events SET name = 'someone else'",
    "TRUNCATE events",
    "DROP TABLE events",
    "ALTER TABLE events ADD COLUMN forged text",
    "DELETE FROM voids",
    "UPDATE voids SET reason = 'forged'",
    "DELETE FROM people",
    "UPDATE people SET revision = 999999999",
    "INSERT INTO people (name, name_key, created_at, revision) VALUES ('x', 'x', 'x', 9999)",
    "SELECT nextval('roster_revision')",
    "DELETE FROM encodings",
    "UPDATE encodings SET vector = ''",
    "DELETE FROM people_keys",
    "UPDATE people_keys SET key = ''",
    "CLUSTER people_keys USING people_keys_pkey",
    "INSERT INTO forgotten VALUES (1, 1)",
    "UPDATE attendance_meta SET value = '1'",
    "DROP FUNCTION attendance_forget(bigint)",
    "CREATE TABLE smuggled (x int)",
    "DELETE FROM groups",
    "DELETE FROM group_members",
    "UPDATE groups SET revision = 999999999",
    "INSERT INTO groups_removed VALUES (1, 1)",
    "TRUNCATE group_members",
    "DELETE FROM corrections",
    "UPDATE corrections SET reason = 'forged'",
    "DELETE FROM closed_days",
    "UPDATE closed_days SET revision = 999999999",
    "UPDATE closed_days SET name = 'forged'",
    "INSERT INTO closed_days (first_day, last_day, name, created_at, revision)"
    " VALUES ('2030-01-01', '2030-01-01', 'x', 'x', 9999)",
    "DELETE FROM leave",
    "UPDATE leave SET revision = 999999999",
    "UPDATE leave SET last_day = '2099-12-31'",
    "TRUNCATE leave",
    "INSERT INTO calendar_removed VALUES ('leave', 1, 1)",
    "DELETE FROM calendar_removed",
]


def test_a_doors_login_cannot_delete_or_rewrite_the_log_or_change_the_tables(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer) -> None:
    door_url = add_door_user(owner.url, tmp_path, "door_gate", postgres_server)
    journal = Journal(tmp_path / "gate" / "journal.sqlite3")
    journal.join_central()
    row = journal.record(AttendanceEvent(datetime.now().replace(microsecond=0), 1, "Ada",
                                         "Side gate", 0.3, "in"))
    journal.void(row.event_id or 0, Void(datetime.now().replace(microsecond=0), "ana", "test"))
    pusher = JournalPusher(journal, CentralDatabase(door_url))
    while pusher.push_once():
        pass
    for statement in FORBIDDEN:
        with psycopg.connect(door_url) as db:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(statement)
    with owner.transaction() as db:
        assert db.execute("SELECT name FROM events").fetchall() == [("Ada",)]
        assert db.execute("SELECT reason FROM voids").fetchall() == [("test",)]
        assert db.execute("SELECT to_regclass('smuggled')").fetchone() == (None,)
    # A door of another site (another database on the same server) cannot even connect.
    other = postgres_server.create_database(f"other_{tmp_path.name[-20:]}")
    schema.initialise(CentralDatabase(other))
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        psycopg.connect(door_url.rsplit("/", 1)[0] + "/" + other.rsplit("/", 1)[1]).close()


def test_a_door_works_fully_with_its_own_login(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer,
        faces_dir: Path) -> None:
    """Enrol, log arrivals, void, hear roster changes, rename, forget, status and init:
    everything a door does, as the door's login."""
    door_url = add_door_user(owner.url, tmp_path, "door_main", postgres_server)
    main = ["--data-dir", str(tmp_path / "main"), "--database", door_url]
    for command in (("database", "status"), ("database", "init")):
        result = cli(*command, *main)
        assert result.returncode == 0, result.stderr
        assert DOOR_PASSWORD not in result.stdout + result.stderr
    for name in ("obama", "biden"):
        enrolled = cli("enrol", name, str(next((faces_dir / "enrol" / name).iterdir())), *main)
        assert enrolled.returncode == 0, enrolled.stderr
    door = CentralDatabase(door_url)
    listening = SharedFaceStore(tmp_path / "gate" / "central-roster.sqlite3",
                                CentralRoster(door))
    link = CentralLink(door, listening, Journal(tmp_path / "gate" / "journal.sqlite3"))
    link.start()
    try:
        wait_for(lambda: sorted(p.name for p in listening.people()) == ["biden", "obama"],
                 ROSTER_DELAY_SECONDS, "the gate to hear both enrolments")
        logged = cli("run", "--headless", "--source",
                     str(faces_dir / "group" / "obama_and_biden.jpg"), *main)
        assert logged.returncode == 0, logged.stderr
        assert "2 attendance events" in logged.stdout
        journal = Journal(tmp_path / "main" / "journal.sqlite3")
        first = journal.events()[0]
        journal.void(first.event_id or 0, Void(datetime.now().replace(microsecond=0), "ana",
                                               "not them: a visitor"))
        pusher = JournalPusher(journal, door)
        while pusher.push_once():
            pass
        copy = SharedFaceStore(tmp_path / "main" / "central-roster.sqlite3", CentralRoster(door))
        copy.rename("obama", "Barack Obama")
        wait_for(lambda: sorted(p.name for p in listening.people()) == ["Barack Obama", "biden"],
                 ROSTER_DELAY_SECONDS, "the gate to hear the rename")
        copy.forget("Barack Obama")
        wait_for(lambda: [p.name for p in listening.people()] == ["biden"],
                 ROSTER_DELAY_SECONDS, "the gate to hear the forget")
    finally:
        link.close()
    with owner.transaction() as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (2,)
        assert db.execute("SELECT reason FROM voids").fetchall() == [("not them: a visitor",)]
        assert db.execute("SELECT name FROM people").fetchall() == [("biden",)]
        assert db.execute("SELECT COUNT(*) FROM people_keys"
                          " WHERE person_id <> 0").fetchone() == (1,)
    status = cli("database", "status", *main)
    assert "People: 1" in status.stdout and "Events: 2" in status.stdout


def test_init_as_a_door_on_an_old_database_says_to_use_the_owners_login(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer) -> None:
    door_url = add_door_user(owner.url, tmp_path, "door_side", postgres_server)
    with owner.transaction() as db:
        db.execute("UPDATE attendance_meta SET value = '2' WHERE key = 'schema_version'")
    result = cli("database", "init", "--data-dir", str(tmp_path), "--database", door_url)
    assert result.returncode == 1
    assert "owns the attendance tables" in result.stderr
    assert result.stderr.strip().count("\n") == 0 and DOOR_PASSWORD not in result.stderr


def test_add_door_user_again_gives_a_new_password_and_refuses_what_it_must_not(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer) -> None:
    door_url = add_door_user(owner.url, tmp_path, "door_back", postgres_server)
    args = ["--data-dir", str(tmp_path), "--database", owner.url]
    again = cli("database", "add-door-user", "door_back", *args,
                env={**os.environ, "ATTENDANCE_DOOR_PASSWORD": "an0ther-Secret"})
    assert again.returncode == 0 and "Gave a new password to door_back" in again.stdout
    assert "an0ther-Secret" not in again.stdout + again.stderr
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(door_url).close()
    psycopg.connect(door_url.replace(DOOR_PASSWORD, "an0ther-Secret")).close()
    quiet = {k: v for k, v in os.environ.items() if k != "ATTENDANCE_DOOR_PASSWORD"}
    for name, env, words in (
            (PostgresServer.USER, {**quiet, "ATTENDANCE_DOOR_PASSWORD": "x"}, "not a door's"),
            ("door; DROP TABLE events", {**quiet, "ATTENDANCE_DOOR_PASSWORD": "x"},
             "cannot be a door's login name"),
            ("door_nopass", quiet, "set ATTENDANCE_DOOR_PASSWORD")):
        refused = cli("database", "add-door-user", name, *args, env=env,
                      stdin=subprocess.DEVNULL)
        assert refused.returncode == 1, refused.stdout
        assert words in refused.stderr and refused.stderr.strip().count("\n") == 0


def test_init_by_an_owner_who_may_not_create_roles_names_the_line_to_run(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    with postgres_server.superuser() as admin:
        admin.execute("CREATE ROLE plain_owner LOGIN PASSWORD 'owner-Secret-1'")
        admin.execute("CREATE DATABASE plain_site OWNER plain_owner")
    url = f"postgresql://plain_owner:owner-Secret-1@127.0.0.1:{postgres_server.port}/plain_site"
    refused = cli("database", "init", "--data-dir", str(tmp_path), "--database", url)
    assert refused.returncode == 1
    assert 'CREATE ROLE "plain_site_door" NOLOGIN' in refused.stderr
    assert refused.stderr.strip().count("\n") == 0 and "owner-Secret-1" not in refused.stderr
    with postgres_server.superuser("plain_site") as admin:
        admin.execute('CREATE ROLE "plain_site_door" NOLOGIN')
        assert admin.execute("SELECT to_regclass('people')").fetchone() == (None,), \
            "the refused init left nothing behind"
    done = cli("database", "init", "--data-dir", str(tmp_path), "--database", url)
    assert done.returncode == 0, done.stderr
