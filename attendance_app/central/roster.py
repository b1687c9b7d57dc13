"""The roster on the central server: who is enrolled, with their encodings and pictures.

Writes (enrol, add encodings, rename, forget) are made at whichever door the user is at,
each in one server transaction under the roster lock (schema.ROSTER_LOCK), which also
makes two doors enrolling the same new name at once produce one person: the second waits,
then finds the first's person and adds its photos to them (enrolment.shots decides which
are new). Each write gives the person a new revision and notifies the doors (LISTEN
channel schema.ROSTER_CHANNEL); a door then asks for the people changed since the newest
revision it holds (`changes_since`) and applies them to its copy.

Encodings and face pictures travel and rest sealed with the person's key (face_seal):
sealed here before they are sent, opened here when read, so the server holds no face in
the clear, and `forget` (the server's attendance_forget) destroys the key with the person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from attendance_app.central import face_seal
from attendance_app.central.database import CentralDatabase
from attendance_app.central.schema import FORGET_FUNCTION, KEYS_MARK, ROSTER_LOCK, TOUCH_FUNCTION
from attendance_app.central.site import ServerSite, read_site
from attendance_app.i18n import _
from enrolment import NewEncoding, StoreError, shots
from enrolment.names import name_key

CHANGES_PAGE = 500
"""People sent per answer to `changes_since`: a new door fetching a roster of thousands
(with a face picture per photo) gets it in pages, not in one answer of hundreds of MB."""


@dataclass(frozen=True)
class RosterChanges:
    """What changed after a revision: the people as they are now (id, name, created_at),
    all their encoding rows (as stored, with the server's ids, opened), who was forgotten,
    and the newest revision included; `site`: which database answered (central.site).
    `complete` is False when more pages follow. keys: the face keys of the people
    included, which a door keeps to give back (`unkeyed`: the people whose key the server
    lost in a crash; see restore_keys)."""

    site: ServerSite
    revision: int
    people: list[tuple[int, str, str]]
    encodings: list[tuple]
    forgotten: list[int]
    complete: bool
    keys: list[tuple[int, bytes]]
    unkeyed: list[int]


ENCODING_COLUMNS = "id, person_id, vector, face_image, source, created_at, photo_hash, engine, shot"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class CentralRoster:
    """Roster writes and change queries against `database`."""

    def __init__(self, database: CentralDatabase) -> None:
        self.database = database

    def _changed(self, db: psycopg.Connection, person_id: int) -> None:
        """Give the person the next revision and tell every door (on commit)."""
        db.execute(f"SELECT {TOUCH_FUNCTION}(%s)", (person_id,))

    def _key(self, db: psycopg.Connection, person_id: int) -> bytes:
        """The person's face key, made now if they have none (new, or lost in a crash)."""
        db.execute("INSERT INTO people_keys VALUES (%s, %s) ON CONFLICT (person_id) DO NOTHING",
                   (person_id, face_seal.new_key()))
        return bytes(db.execute("SELECT key FROM people_keys WHERE person_id = %s",
                                (person_id,)).fetchone()[0])

    def _store(self, db: psycopg.Connection, person_id: int, encodings: Sequence[NewEncoding],
               same_photo: Mapping[str, float]) -> None:
        key = self._key(db, person_id)
        stored = db.execute(f"SELECT {shots.STORED_ROW_COLUMNS}, person_id FROM encodings"
                            " WHERE person_id = %s", (person_id,)).fetchall()
        rows = [shots.StoredRow.read(row)
                for row in _opened(stored, {person_id: key}, person_at=7, sealed=(3, 6))]
        planned = shots.plan(rows, encodings, same_photo)
        shots.store_planned(planned, person_id, _now(), lambda values: db.execute(
            f"INSERT INTO encodings ({shots.INSERT_COLUMNS})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            _sealed(values, key)).fetchone()[0])

    def enrol(self, name: str, encodings: Sequence[NewEncoding],
              same_photo: Mapping[str, float]) -> int:
        """Add `encodings` to the person called `name` (any case), creating them if new;
        returns their id. `name` is checked already (enrolment.store.check_name)."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            row = db.execute("SELECT id FROM people WHERE name_key = %s",
                             (name_key(name),)).fetchone()
            if row is None:
                row = db.execute("INSERT INTO people (name, name_key, created_at)"
                                 " VALUES (%s, %s, %s) RETURNING id",
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
                raise StoreError(_("nobody with id {person_id} is enrolled on the central database"
                                   " any more; the people command lists who is")
                    .format(person_id=person_id))
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
                raise StoreError(_("{name!r} is already enrolled; choose another name")
                    .format(name=other[0]))
            db.execute("UPDATE people SET name = %s, name_key = %s WHERE id = %s",
                       (new_name, name_key(new_name), person_id))
            self._changed(db, person_id)

    def forget(self, person_id: int) -> None:
        """Erase the person with every encoding and picture from the server; doors erase
        their copies when they hear of it (the `forgotten` line holds the id only)."""
        with self.database.transaction() as db:
            db.execute(f"SELECT {FORGET_FUNCTION}(%s)", (person_id,))

    def restore_keys(self, keys: Sequence[tuple[int, bytes]]) -> int:
        """Give back face keys the server lost (a crash empties people_keys, an unlogged
        table) from a door's copy; how many it took. The people get a new revision, so
        every door fetches their encodings again, now readable. A key is only ever added
        where none is: a door cannot replace one."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            taken = [row[0] for row in db.execute(
                "INSERT INTO people_keys SELECT k.id, k.key"
                " FROM unnest(%s::bigint[], %s::bytea[]) AS k (id, key)"
                " WHERE EXISTS (SELECT 1 FROM people WHERE id = k.id)"
                " ON CONFLICT (person_id) DO NOTHING RETURNING person_id",
                ([pid for pid, _ in keys], [key for _, key in keys]))]
            for person_id in taken:
                self._changed(db, person_id)
            _unkeyed(db)  # puts the mark back when no key is missing any more
            return len(taken)

    def site(self) -> ServerSite:
        """Which site the database is, as a door checks before a write."""
        with self.database.transaction() as db:
            return read_site(db, self.database)

    def changes_since(self, revision: int) -> RosterChanges:
        """The people changed and forgotten after `revision`, a page at a time."""
        with self.database.transaction() as db:
            return self._changes(db, revision)

    def _changes(self, db: psycopg.Connection, revision: int) -> RosterChanges:
        site = read_site(db, self.database)  # first: an older schema is named as such
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
        keys = {pid: bytes(key) for pid, key in db.execute(
            "SELECT person_id, key FROM people_keys WHERE person_id = ANY(%s)", (ids,))}
        unkeyed = _unkeyed(db)
        newest = max([revision, *(p[3] for p in people), *(f[1] for f in forgotten)])
        return RosterChanges(site, newest, [p[:3] for p in people],
                             _opened(encodings, keys, person_at=1, sealed=(2, 3)),
                             [f[0] for f in forgotten], complete, sorted(keys.items()),
                             unkeyed)


def _unkeyed(db: psycopg.Connection) -> list[int]:
    """The people whose face key the server lost. The keys table holds a mark (the row
    of person 0, schema._seal_faces) that a crash takes with the rest, so a look costs
    one index probe; the people are searched only when the mark is gone, and the mark is
    put back once none lacks a key."""
    if db.execute(f"SELECT 1 FROM people_keys WHERE person_id = {KEYS_MARK}").fetchone():
        return []
    unkeyed = [row[0] for row in db.execute(
        "SELECT id FROM people p WHERE NOT EXISTS"
        " (SELECT 1 FROM people_keys k WHERE k.person_id = p.id)")]
    if not unkeyed:
        db.execute(f"INSERT INTO people_keys VALUES ({KEYS_MARK}, '') ON CONFLICT DO NOTHING")
    return unkeyed


def _sealed(values: tuple, key: bytes) -> tuple:
    """Values of shots.INSERT_COLUMNS with the vector and the face picture sealed."""
    person_id, vector, image, *rest = values
    return (person_id, face_seal.seal(key, person_id, vector),
            None if image is None else face_seal.seal(key, person_id, image), *rest)


def _opened(rows: Sequence[tuple], keys: Mapping[int, bytes], person_at: int,
            sealed: tuple[int, int]) -> list[tuple]:
    """`rows` of encodings, whose person id is at index `person_at`, with the columns at
    `sealed` (vector, picture) opened with the person's key from `keys`. A row whose
    person has no key, or whose key does not open it, is left out: its key was lost (a
    server crash empties people_keys) and it can never be read."""
    opened = []
    for row in rows:
        values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
        person_id = values[person_at]
        key = keys.get(person_id)
        plain = [None if key is None or values[i] is None
                 else face_seal.unseal(bytes(key), person_id, values[i]) for i in sealed]
        if plain[0] is None or (values[sealed[1]] is not None and plain[1] is None):
            continue
        values[sealed[0]], values[sealed[1]] = plain
        opened.append(tuple(values))
    return opened
