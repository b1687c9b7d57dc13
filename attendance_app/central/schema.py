"""The central database's tables, made by `attendance-app database init`, and its version.

The schema carries a version number (attendance_meta.schema_version): `init` creates it on
an empty database, does nothing on a current one, and brings an older one up to date with
the steps in MIGRATIONS, so a later release can change the tables without anyone
recreating them. A door refuses a database that was never initialised, or was made by a
newer release, with one line saying what to run.

Roster writes, and event and void writes, each take a transaction-wide advisory lock
(ROSTER_LOCK, EVENTS_LOCK) before they draw a number from a sequence (people.revision,
events.seq, marks.seq), so numbers become visible in the order they were drawn: a door
that reads "everything after number N" never misses a row committed late with a smaller
number. Pushes therefore go one at a time; each is sent pipelined (one network round
trip for the site check, one more under the lock), and benchmarks/doors.py measures what that allows: on one machine, about a
thousand rows a second, far above a site's 9 am rush.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from attendance_app.central.database import CentralDatabase, DatabaseError

SCHEMA_VERSION = 2
ROSTER_LOCK = 7_301_001
EVENTS_LOCK = 7_301_002
ROSTER_CHANNEL = "attendance_roster"
EVENTS_CHANNEL = "attendance_events"

_VERSION_1 = """
CREATE TABLE attendance_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE roster_revision;
CREATE TABLE people (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    name_key text NOT NULL UNIQUE,
    created_at text NOT NULL,
    revision bigint NOT NULL
);
CREATE INDEX people_by_revision ON people (revision);
CREATE TABLE encodings (
    id bigserial PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    vector bytea NOT NULL,
    face_image bytea,
    source text NOT NULL,
    created_at text NOT NULL,
    photo_hash text,
    engine text NOT NULL,
    shot bigint
);
CREATE INDEX encodings_by_person ON encodings (person_id);
CREATE TABLE forgotten (person_id bigint PRIMARY KEY, revision bigint NOT NULL);
CREATE INDEX forgotten_by_revision ON forgotten (revision);
CREATE TABLE events (
    uid text PRIMARY KEY,
    seq bigserial UNIQUE,
    door text NOT NULL,
    timestamp timestamp NOT NULL,
    person_id bigint NOT NULL,
    name text NOT NULL,
    camera text NOT NULL,
    distance double precision NOT NULL,
    kind text NOT NULL,
    expression text,
    expression_probability double precision,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_time ON events (timestamp);
CREATE INDEX events_by_person ON events (person_id, timestamp);
CREATE TABLE voids (
    event_uid text PRIMARY KEY REFERENCES events (uid),
    voided_at timestamp NOT NULL,
    voided_by text NOT NULL,
    reason text NOT NULL
);
CREATE TABLE marks (seq bigserial PRIMARY KEY, event_uid text NOT NULL REFERENCES events (uid));
"""
# people.revision / forgotten.revision: the roster_revision number of the person's last
# change; a door asks for the people changed after the newest number it has seen.
# forgotten: who was erased (their id only, nothing biometric), so that every door's copy
# erases them too. events.uid: made at the door (uuid4), the key that makes pushing twice
# harmless; events.seq: the order rows reached the server, what readers page by.
# marks: rows whose month must be written again: voided, or arrived after a later row of
# the same person and day (an offline door), which may make another row the repeat.



def _name_the_site(db: psycopg.Connection) -> None:
    """Version 2: the database's identity, made once at init, is the site id every door
    remembers (central.site). Version 1 made the same uuid as roster_id, and doors keep
    it in their copies already: it is renamed, not replaced, so they still match."""
    db.execute("UPDATE attendance_meta SET key = 'site_id' WHERE key = 'roster_id'")
    db.execute("INSERT INTO attendance_meta VALUES ('site_id', %s) ON CONFLICT (key) DO NOTHING",
               (uuid.uuid4().hex,))


MIGRATIONS: dict[int, Callable[[psycopg.Connection], None]] = {2: _name_the_site}
"""schema version -> the step that brings a database of the version before it there."""


@dataclass(frozen=True)
class Status:
    """What `database status` prints."""

    server: str
    version: int | None
    people: int
    events: int


def schema_version(db: psycopg.Connection) -> int | None:
    """The database's schema version, None when it was never initialised."""
    if db.execute("SELECT to_regclass('attendance_meta')").fetchone()[0] is None:
        return None
    row = db.execute("SELECT value FROM attendance_meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else int(row[0])


def check_version(database: CentralDatabase, version: int | None) -> None:
    """DatabaseError unless a door of this release can use a database at `version`."""
    if version is None:
        raise DatabaseError(f"the central database {database.where} has no attendance tables "
                            "yet; set them up once with: attendance-app database init")
    if version < SCHEMA_VERSION:
        raise DatabaseError(f"the central database {database.where} has schema version "
                            f"{version}, this release needs {SCHEMA_VERSION}; bring it up to "
                            "date with: attendance-app database init")
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"the central database {database.where} was set up by a newer "
                            f"release (schema version {version}); update the app on this door")


def initialise(database: CentralDatabase) -> tuple[int | None, int]:
    """Create the tables, or migrate them to SCHEMA_VERSION; (version before, after).
    Idempotent, and safe when two doors run it at once (an advisory lock serialises)."""
    with database.transaction() as db:
        db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
        before = schema_version(db)
        if before is None:
            db.execute(_VERSION_1)
            db.execute("INSERT INTO attendance_meta VALUES ('schema_version', %s),"
                       " ('site_id', %s)", (str(SCHEMA_VERSION), uuid.uuid4().hex))
            return None, SCHEMA_VERSION
        if before > SCHEMA_VERSION:
            check_version(database, before)
        for version in range(before + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
        db.execute("UPDATE attendance_meta SET value = %s WHERE key = 'schema_version'",
                   (str(SCHEMA_VERSION),))
        return before, SCHEMA_VERSION


def status(database: CentralDatabase) -> Status:
    """The server's version, the schema version and how many people and events it holds."""
    with database.transaction() as db:
        server = db.execute("SHOW server_version").fetchone()[0]
        version = schema_version(db)
        if version is None:
            return Status(server, None, 0, 0)
        people = db.execute("SELECT count(*) FROM people").fetchone()[0]
        events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    return Status(server, version, people, events)
