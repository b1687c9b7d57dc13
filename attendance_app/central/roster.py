"""The roster on the central server: who is enrolled, with their encodings and pictures.

Writes (enrol, add encodings, rename, forget) are made at whichever door the user is at,
each in one server transaction under the roster lock (schema.ROSTER_LOCK), which also
makes two doors enrolling the same new name at once produce one person: the second waits,
then finds the first's person and adds its photos to them (enrolment.shots decides which
are new). Each write gives the person a new revision and notifies the doors (LISTEN
channel schema.ROSTER_CHANNEL); a door then asks for the people changed since the newest
revision it holds (`changes_since`) and applies them to its copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from attendance_app.central.database import CentralDatabase
from attendance_app.central.site import ServerSite, read_site
from attendance_app.central.schema import ROSTER_CHANNEL, ROSTER_LOCK
from enrolment import NewEncoding, StoreError
from enrolment import shots
from enrolment.store import name_key

CHANGES_PAGE = 500
"""People sent per answer to `changes_since`: a new door fetching a roster of thousands
(with a face picture per photo) gets it in pages, not in one answer of hundreds of MB."""


@dataclass(frozen=True)
class RosterChanges:
    """What changed after a revision: the people as they are now (id, name, created_at),
    all their encoding rows (as stored, with the server's ids), who was forgotten, and the
    newest revision included; `site`: which database answered (central.site). `complete`
    is False when more pages follow."""

    site: ServerSite
    revision: int
    people: list[tuple[int, str, str]]
    encodings: list[tuple]
    forgotten: list[int]
    complete: bool


ENCODING_COLUMNS = "id, person_id, vector, face_image, source, created_at, photo_hash, engine, shot"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class CentralRoster:
    """Roster writes and change queries against `database`."""

    def __init__(self, database: CentralDatabase) -> None:
        self.database = database

    def _changed(self, db: psycopg.Connection, person_id: int) -> None:
        """Give the person the next revision and tell every door (on commit)."""
        db.execute("UPDATE people SET revision = nextval('roster_revision') WHERE id = %s",
                   (person_id,))
        db.execute(f"NOTIFY {ROSTER_CHANNEL}")

    def _store(self, db: psycopg.Connection, person_id: int, encodings: Sequence[NewEncoding],
               same_photo: Mapping[str, float]) -> None:
        rows = [shots.StoredRow.read(row) for row in db.execute(
            f"SELECT {shots.STORED_ROW_COLUMNS} FROM encodings WHERE person_id = %s",
            (person_id,))]
        planned = shots.plan(rows, encodings, same_photo)
        shots.store_planned(planned, person_id, _now(), lambda values: db.execute(
            f"INSERT INTO encodings ({shots.INSERT_COLUMNS})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id", values).fetchone()[0])

    def enrol(self, name: str, encodings: Sequence[NewEncoding],
              same_photo: Mapping[str, float]) -> int:
        """Add `encodings` to the person called `name` (any case), creating them if new;
        returns their id. `name` is checked already (enrolment.store.check_name)."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            row = db.execute("SELECT id FROM people WHERE name_key = %s",
                             (name_key(name),)).fetchone()
            if row is None:
                row = db.execute("INSERT INTO people (name, name_key, created_at, revision)"
                                 " VALUES (%s, %s, %s, 0) RETURNING id",
                                 (name, name_key(name), _now())).fetchone()
            self._store(db, row[0], encodings, same_photo)
            self._changed(db, row[0])
            return row[0]

    def add_encodings(self, person_id: int, encodings: Sequence[NewEncoding],
                      same_photo: Mapping[str, float]) -> None:
        """Store encodings computed for a person already enrolled, in their shots."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            if db.execute("SELECT 1 FROM people WHERE id = %s", (person_id,)).fetchone() is None:
                raise StoreError(f"nobody with id {person_id} is enrolled on the central "
                                 "database any more; the people command lists who is")
            self._store(db, person_id, encodings, same_photo)
            self._changed(db, person_id)

    def rename(self, person_id: int, new_name: str) -> None:
        """Give person `person_id` the name `new_name` (checked already); StoreError when
        someone else has it."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            other = db.execute("SELECT name FROM people WHERE name_key = %s AND id <> %s",
                               (name_key(new_name), person_id)).fetchone()
            if other is not None:
                raise StoreError(f"{other[0]!r} is already enrolled; choose another name")
            db.execute("UPDATE people SET name = %s, name_key = %s WHERE id = %s",
                       (new_name, name_key(new_name), person_id))
            self._changed(db, person_id)

    def forget(self, person_id: int) -> None:
        """Erase the person with every encoding and picture from the server; doors erase
        their copies when they hear of it (the `forgotten` line holds the id only)."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            db.execute("DELETE FROM encodings WHERE person_id = %s", (person_id,))
            db.execute("DELETE FROM people WHERE id = %s", (person_id,))
            db.execute("INSERT INTO forgotten (person_id, revision)"
                       " VALUES (%s, nextval('roster_revision')) ON CONFLICT (person_id)"
                       " DO UPDATE SET revision = EXCLUDED.revision", (person_id,))
            db.execute(f"NOTIFY {ROSTER_CHANNEL}")

    def site(self) -> ServerSite:
        """Which site the database is, as a door checks before a write."""
        with self.database.transaction() as db:
            return read_site(db, self.database)

    def changes_since(self, revision: int) -> RosterChanges:
        """The people changed and forgotten after `revision`, a page at a time."""
        with self.database.transaction() as db:
            return self._changes(db, revision)

    def _changes(self, db: psycopg.Connection, revision: int) -> RosterChanges:
        people = db.execute(
            "SELECT id, name, created_at, revision FROM people WHERE revision > %s"
            " ORDER BY revision LIMIT %s", (revision, CHANGES_PAGE)).fetchall()
        complete = len(people) < CHANGES_PAGE
        # A page ends at its last person's revision; forgettings up to there come with it.
        upto = people[-1][3] if people and not complete else None
        forgotten = db.execute(
            "SELECT person_id, revision FROM forgotten WHERE revision > %s"
            " AND (%s::bigint IS NULL OR revision <= %s) ORDER BY revision",
            (revision, upto, upto)).fetchall()
        ids = [person[0] for person in people]
        encodings = db.execute(f"SELECT {ENCODING_COLUMNS} FROM encodings"
                               " WHERE person_id = ANY(%s) ORDER BY id", (ids,)).fetchall()
        newest = max([revision, *(p[3] for p in people), *(f[1] for f in forgotten)])
        return RosterChanges(read_site(db, self.database), newest, [p[:3] for p in people],
                             [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                              for row in encodings],
                             [f[0] for f in forgotten], complete)
