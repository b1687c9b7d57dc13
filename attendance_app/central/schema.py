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

`init` is run with the login that owns the tables; the doors log in as members of the
doors' role it makes (door_role, _DOOR_GRANTS), which may add rows and roster changes but
not delete or rewrite the log, and the faces are stored sealed with keys that `forget`
destroys (face_seal, _FACE_KEYS): issue 20.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import sql

from attendance_app.central import calendar_schema, face_seal, group_schema
from attendance_app.central.database import CentralDatabase, DatabaseError
from attendance_app.i18n import _

SCHEMA_VERSION = 9
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


def _utc_offsets(db: psycopg.Connection) -> None:
    """Version 2: an event carries its door's UTC offset (seconds east of UTC) beside its
    local wall time, so that time between rows is real across daylight saving changes
    (attendance_app.local_time). Rows sent before keep NULL: the server does not know
    their door's zone, and a door reading them takes its own zone's offset at that wall
    time (AttendanceEvent.moment). A door of an earlier release meets this version as a
    newer one and says so in one line (check_version), so it never sends a row without."""
    db.execute("ALTER TABLE events ADD COLUMN utc_offset integer")


FORGET_FUNCTION = "attendance_forget"
TOUCH_FUNCTION = "attendance_touch"
KEYS_MARK = 0
"""The person id of the row of people_keys that is no one's key: its absence tells that a
crash emptied the table (roster._unkeyed)."""

_FACE_KEYS = """
CREATE UNLOGGED TABLE people_keys (person_id bigint PRIMARY KEY, key bytea NOT NULL);
CREATE FUNCTION attendance_forget(who bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $forget$
DECLARE
    kept people_keys[];
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    DELETE FROM encodings WHERE person_id = who;
    DELETE FROM people WHERE id = who;
    INSERT INTO forgotten (person_id, revision) VALUES (who, nextval('roster_revision'))
        ON CONFLICT (person_id) DO UPDATE SET revision = EXCLUDED.revision;
    kept := ARRAY(SELECT k FROM people_keys k WHERE k.person_id <> who);
    TRUNCATE people_keys;
    INSERT INTO people_keys SELECT * FROM unnest(kept);
    PERFORM pg_notify({channel}, '');
END
$forget$;
REVOKE ALL ON FUNCTION attendance_forget(bigint) FROM PUBLIC;
"""
# people_keys: each person's face key (face_seal). UNLOGGED: its rows are never written
# to the WAL, so a key is only ever in this table's own file, which `attendance_forget`
# replaces: TRUNCATE gives the table a new, empty file (the old one is emptied at commit)
# and the other people's keys are written back into it, leaving no copy of a forgotten
# person's key on the server. Not DELETE then CLUSTER or VACUUM FULL: those copy a row
# deleted by a transaction still running (their own) or still visible to another one.
# The price: a server crash (not a clean stop) empties an unlogged table; the doors give
# the keys back from their copies (roster.restore_keys). Forget is a SECURITY DEFINER
# function of the tables' owner: a door's login can erase one person as the app does, but
# holds no DELETE on any table and cannot rewrite the keys table (TRUNCATE needs a grant
# it does not have).


def _seal_faces(db: psycopg.Connection) -> None:
    """Version 3: every person gets a face key, and their stored encodings and pictures
    are sealed with it (face_seal). The plaintext rows left dead in the table file are
    removed by the VACUUM FULL that `initialise` runs after the commit."""
    schema = db.execute("SELECT current_schema()").fetchone()[0]
    db.execute(sql.SQL(_FACE_KEYS).format(schema=sql.Identifier(schema),
                                          roster_lock=sql.Literal(ROSTER_LOCK),
                                          channel=sql.Literal(ROSTER_CHANNEL)))
    db.execute("UPDATE people SET revision = nextval('roster_revision')")  # doors fetch keys
    db.execute("INSERT INTO people_keys VALUES (%s, '')", (KEYS_MARK,))
    keys: dict[int, bytes] = {}
    for person_id, in db.execute("SELECT id FROM people").fetchall():
        keys[person_id] = face_seal.new_key()
        db.execute("INSERT INTO people_keys VALUES (%s, %s)", (person_id, keys[person_id]))
    rows = db.execute("SELECT id, person_id, vector, face_image FROM encodings").fetchall()
    for row_id, person_id, vector, image in rows:
        key = keys[person_id]
        db.execute("UPDATE encodings SET vector = %s, face_image = %s WHERE id = %s", (
            face_seal.seal(key, person_id, bytes(vector)),
            None if image is None else face_seal.seal(key, person_id, bytes(image)), row_id))


def door_role(db: psycopg.Connection) -> str:
    """The group role of this database's doors: '<database>_door' ('attendance_door' for
    a database named attendance). One per database, so that the doors of two sites whose
    databases share one server reach only their own site's tables."""
    return db.execute("SELECT current_database() || '_door'").fetchone()[0]


_DOOR_GRANTS = """
ALTER TABLE people ALTER COLUMN revision SET DEFAULT 0;
CREATE FUNCTION attendance_touch(who bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $touch$
    UPDATE people SET revision = nextval('roster_revision') WHERE id = who;
    SELECT pg_notify({channel}, '');
$touch$;
REVOKE ALL ON FUNCTION attendance_touch(bigint) FROM PUBLIC;
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC;
GRANT CONNECT ON DATABASE {database} TO {door};
GRANT USAGE ON SCHEMA {schema} TO {door};
GRANT SELECT ON attendance_meta, people, encodings, people_keys, forgotten, events, voids,
    marks TO {door};
GRANT INSERT ON encodings, people_keys, events, voids, marks TO {door};
GRANT INSERT (name, name_key, created_at), UPDATE (name, name_key) ON people TO {door};
GRANT USAGE ON SEQUENCE people_id_seq, encodings_id_seq, events_seq_seq, marks_seq_seq
    TO {door};
GRANT SELECT ON SEQUENCE roster_revision TO {door};
GRANT EXECUTE ON FUNCTION attendance_forget(bigint), attendance_touch(bigint) TO {door};
"""
# What a door does, and no more: it reads the roster and the log; it adds encodings, keys,
# events, voids and marks (INSERT ... ON CONFLICT DO NOTHING needs no UPDATE); it adds
# and renames people (their name columns only) and forgets through attendance_forget.
# Revisions, which tell every door what to fetch, are drawn by attendance_touch alone: a
# door cannot set one far ahead and make the others skip changes. No DELETE, TRUNCATE or
# UPDATE of events, voids or encodings, and, not owning the tables, no DROP or ALTER.
# SELECT on roster_revision reads where it stands (the site check, central.site), never
# draws from it. LISTEN/NOTIFY and advisory locks need no grant. CONNECT is taken from PUBLIC: the doors
# of another site's database cannot connect here. (CREATE on the schema is PUBLIC's
# before PostgreSQL 15 and only its owner, often the superuser, can take it back.)


def _grant_doors(db: psycopg.Connection) -> None:
    """Version 4: the doors' group role (door_role) with the privileges above; created
    when missing, which needs CREATEROLE (else one line says what the admin runs)."""
    role = door_role(db)
    if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
        creator = db.execute("SELECT rolcreaterole OR rolsuper FROM pg_roles"
                             " WHERE rolname = current_user").fetchone()[0]
        if not creator:
            raise DatabaseError(_("the doors' role {role} does not exist and this user may not "
                                  "create roles; have the server's administrator run: CREATE ROLE "
                                  "{quoted_role} NOLOGIN; then run attendance-app database init "
                                  "again")
                .format(role=role, quoted_role=sql.Identifier(role).as_string(db)))
        db.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    names = db.execute("SELECT current_database(), current_schema()").fetchone()
    db.execute(sql.SQL(_DOOR_GRANTS).format(database=sql.Identifier(names[0]),
                                            schema=sql.Identifier(names[1]),
                                            door=sql.Identifier(role),
                                            channel=sql.Literal(ROSTER_CHANNEL)))


def _name_the_site(db: psycopg.Connection) -> None:
    """Version 5: the database's identity, made once at init, is the site id every door
    remembers (central.site). Version 1 made the same uuid as roster_id, and doors keep
    it in their copies already: it is renamed, not replaced, so they still match."""
    db.execute("UPDATE attendance_meta SET key = 'site_id' WHERE key = 'roster_id'")
    db.execute("INSERT INTO attendance_meta VALUES ('site_id', %s) ON CONFLICT (key) DO NOTHING",
               (uuid.uuid4().hex,))


def _estimates(db: psycopg.Connection) -> None:
    """Version 6: an event may carry the age and gender estimated at arrival
    (analytics.age_gender), as it carries the expression; NULL in every other row. Columns
    of events, so the doors' grants on that table cover them."""
    db.execute("ALTER TABLE events ADD COLUMN age double precision, ADD COLUMN gender text,"
               " ADD COLUMN gender_probability double precision")


def _groups(db: psycopg.Connection) -> None:
    """Version 7: groups with their hours and members, site-wide (central.group_schema)."""
    group_schema.create_groups(db, ROSTER_LOCK, ROSTER_CHANNEL, door_role(db))


_CORRECTIONS = """
CREATE TABLE corrections (
    seq bigserial PRIMARY KEY,
    door text NOT NULL,
    made_at timestamp NOT NULL,
    made_by text NOT NULL,
    action text NOT NULL,
    event_uid text NOT NULL REFERENCES events (uid),
    new_time timestamp,
    reason text NOT NULL
);
CREATE INDEX corrections_by_event ON corrections (event_uid);
CREATE INDEX corrections_by_new_time ON corrections (new_time);
GRANT SELECT, INSERT ON corrections TO {door};
GRANT USAGE ON SEQUENCE corrections_seq_seq TO {door};
"""
# The audit trail of the central log (records.corrections: add arrival, undo void,
# correct time, void again), appended by any door and never edited: the doors may insert
# and read, not update or delete. seq is drawn under the events lock, as marks.seq is, so
# a workbook writer reading "the corrections after N" misses none; new_time: the local
# wall time a 'correct time' gives the row (NULL otherwise).


def _corrections(db: psycopg.Connection) -> None:
    """Version 8: corrections of the central log, made at any door (central.records)."""
    db.execute(sql.SQL(_CORRECTIONS).format(door=sql.Identifier(door_role(db))))


def _calendar(db: psycopg.Connection) -> None:
    """Version 9: closed days and leave, site-wide (central.calendar_schema)."""
    calendar_schema.create_calendar(db, ROSTER_LOCK, ROSTER_CHANNEL, door_role(db))


MIGRATIONS: dict[int, Callable[[psycopg.Connection], None]] = {
    2: _utc_offsets,
    3: _seal_faces,
    4: _grant_doors,
    5: _name_the_site,
    6: _estimates,
    7: _groups,
    8: _corrections,
    9: _calendar,
}
"""schema version -> the step that brings a database of the version before it there.
A new database is made at version 1 and brought up by the same steps."""


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
        raise DatabaseError(_("the central database {where} has no attendance tables yet; set them"
                              " up once with: attendance-app database init")
            .format(where=database.where))
    if version < SCHEMA_VERSION:
        raise DatabaseError(_("the central database {where} has schema version {version}, this "
                              "release needs {needed}; bring it up to date with: attendance-app "
                              "database init")
            .format(where=database.where, version=version, needed=SCHEMA_VERSION))
    if version > SCHEMA_VERSION:
        raise DatabaseError(_("the central database {where} was set up by a newer release (schema "
                              "version {version}); update the app on this door")
            .format(where=database.where, version=version))


def initialise(database: CentralDatabase) -> tuple[int | None, int]:
    """Create the tables, or migrate them to SCHEMA_VERSION; (version before, after).
    Idempotent, and safe when two doors run it at once (an advisory lock serialises)."""
    with database.transaction() as db:
        db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
        before = schema_version(db)
        if before == SCHEMA_VERSION:
            return before, SCHEMA_VERSION  # nothing to write: a door's login may run it
        if before is None:
            db.execute(_VERSION_1)
            db.execute("INSERT INTO attendance_meta VALUES ('schema_version', '1'),"
                       " ('roster_id', %s)", (uuid.uuid4().hex,))
        elif before > SCHEMA_VERSION:
            check_version(database, before)
        for version in range((before or 1) + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
        db.execute("UPDATE attendance_meta SET value = %s WHERE key = 'schema_version'",
                   (str(SCHEMA_VERSION),))
    if before is not None and before < 3:
        _rewrite_encodings(database)
    return before, SCHEMA_VERSION


def _rewrite_encodings(database: CentralDatabase) -> None:
    """Rewrite the encodings table after its rows were sealed, so that the plaintext
    versions left dead in its file are gone (VACUUM cannot run inside a transaction)."""
    with database.connect(autocommit=True) as db:
        try:
            db.execute("VACUUM FULL encodings")
        except psycopg.Error as error:
            raise database.problem(error) from None


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
