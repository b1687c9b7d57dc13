"""The enrolled people and their face encodings, kept in one SQLite file.

Encodings are biometric data: the file is created readable by its owner only, and a
person's encodings and face images are deleted in the same transaction as the person, with
SQLite's secure_delete on so the freed bytes are overwritten with zeros at once: deleted
faces cannot be recovered from free pages, and the file is not rewritten to get there.
Several encodings per person are kept as they are (never averaged): a person seen from a
few angles is matched by the nearest of them.

Each encoding is stored with the name of the engine that made it ("dlib", "sface"): every
photo or camera shot is encoded by every engine at enrolment, so switching engines needs
no new photos, and a gallery holds one engine's encodings only (its distances mean nothing
to another engine). One photo's encodings, one per engine, form a *shot*: a person's
photos are counted in shots, however many engines encoded them.

The same file keeps the encodings behind recent attendance rows and, once a row is voided,
those faces as negatives of its person (enrolment.event_faces); forgetting a person
deletes them too, in the same transaction.

Looking up, enrolling and forgetting one person are indexed queries, so their cost does not
grow with the number of people enrolled.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import numpy as np

from enrolment import event_faces, shots
from enrolment.names import check_name, name_key
from enrolment.shots import NewEncoding
from enrolment.sqlite_files import (
    FACE_STORE,
    DamagedFile,
    FileKind,
    connection,
    create_private,
    start_afresh,
)
from enrolment.store_schema import SCHEMA, people_changed, upgrade
from enrolment.values import EncodingTable, Person, StoredShot, StoreError

ENCODING_SIZE = 128


# One person with their number of shots (photos); callers add the WHERE clause.
_PERSON = """
    SELECT p.id, p.name, p.created_at,
           (SELECT COUNT(DISTINCT COALESCE(e.shot, e.id)) FROM encodings e
            WHERE e.person_id = p.id)
    FROM people p
"""

# A condition on a row `s`: its shot has no row of the engine bound to this ? (callers put
# their own conditions on `s` before it).
_LACKING = """
    NOT EXISTS (SELECT 1 FROM encodings o
                WHERE o.engine = ? AND o.person_id = s.person_id
                      AND COALESCE(o.shot, o.id) = COALESCE(s.shot, s.id))
"""


SAME_PHOTO_DISTANCE: Mapping[str, float] = MappingProxyType({"dlib": 0.04, "sface": 0.45})
"""Per engine: two of its encodings of one person nearer than this are one photo enrolled
twice. In Euclidean distance between the stored vectors for every engine, so the store
needs no engine's own measure (sface's vectors have unit length: 1 - cosine = d^2 / 2).

dlib, measured on the shared enrolment photos: a file encoded again gives 0.0, the same
photo re-saved as JPEG 0.03 to 0.07 (and resized 0.13 to 0.19, which is counted as
another photo); different photos of one person in the shared set were never nearer than
0.07.

sface: 0.45 is 1 - cosine 0.10. Measured on the shared faces (enrol/, probe/ and lfw/,
132 photos, each re-saved as JPEG at quality 75, 80, 85 and 90): a file encoded again
gives 0.0; re-saved, the 33 enrolment photos moved at most 0.034 (1 - cosine) and any
photo at most 0.088 (a 250 px LFW face); two different photos of one person (213 pairs)
were never nearer than 0.146, but for obama_small.jpg, a tighter crop of the enrolment
photo, at 0.045 (counted as the same photo). Resizing moves SFace 0.002 to 0.39, so a
resized copy counts as the same photo or as another, depending on the photo."""


def _rows_of(db: sqlite3.Connection, person_id: int | None) -> list[shots.StoredRow]:
    """A person's stored rows (none for a person not enrolled yet), for enrolment.shots."""
    if person_id is None:
        return []
    return [shots.StoredRow.read(row) for row in db.execute(
        f"SELECT {shots.STORED_ROW_COLUMNS} FROM encodings WHERE person_id = ?", (person_id,))]


def _insert_all(db: sqlite3.Connection, person_id: int, encodings: list[NewEncoding],
                same_photo: Mapping[str, float]) -> None:
    """Store those of `encodings` that are new for the person, each in its shot."""
    planned = shots.plan(_rows_of(db, person_id), encodings, same_photo)
    shots.store_planned(planned, person_id, _now(), lambda values: db.execute(
        f"INSERT INTO encodings ({shots.INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        values).lastrowid)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _person(row: tuple[int, str, str, int]) -> Person:
    return Person(row[0], row[1], datetime.fromisoformat(row[2]), row[3])


def _stored_shot(db: sqlite3.Connection, person_id: int, shot: int) -> StoredShot:
    """One stored shot, with its face image from whichever of its rows keeps it."""
    source, face_image, photo_hash = db.execute(
        "SELECT source, face_image, photo_hash FROM encodings"
        " WHERE person_id = ? AND (id = ? OR shot = ?) ORDER BY face_image IS NULL, id LIMIT 1",
        (person_id, shot, shot)).fetchone()
    return StoredShot(person_id, source, face_image, photo_hash)


class FaceStore:
    """People and encodings in the SQLite file at `path` (created on first use).

    same_photo_distance: per engine name, how near two of its encodings must be to count
    as one photo (SAME_PHOTO_DISTANCE); encodings of other engines are refused.

    Every SQLite or file-system failure (disk full, folder not writable, a damaged
    file) surfaces as a one-line StoreError instead of a traceback.
    """

    SCHEMA = SCHEMA + event_faces.SCHEMA
    KIND: FileKind = FACE_STORE
    FRESH_START: str | None = None
    """What follows when the file is found damaged or another program's: None, a one-line
    error (the roster is kept nowhere else: its owner restores a backup); a subclass whose
    file is a copy says here how it is made again, and the file is moved aside."""

    def __init__(self, path: Path,
                 same_photo_distance: Mapping[str, float] = SAME_PHOTO_DISTANCE) -> None:
        self.path = path
        self.same_photo_distance = same_photo_distance
        create_private(path, self.SCHEMA, self._connect, StoreError, self.KIND,
                       self.FRESH_START)
        with self._open() as db, db:
            upgrade(db)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted faces are overwritten with zeros at once, whatever SQLite's build
        # default: forget needs no VACUUM (a rewrite of the whole file) to erase them.
        db.execute("PRAGMA secure_delete = ON")
        return db

    def _open(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection that is closed afterwards; SQLite errors become StoreError."""
        return connection(self.path, self._connect, StoreError,
                          None if self.FRESH_START is None else self._start_afresh)

    def _start_afresh(self, damage: DamagedFile) -> str:
        """A copy found damaged in use: moved aside, and made again (FRESH_START)."""
        assert self.FRESH_START is not None
        done = start_afresh(self.path, self.SCHEMA, self._connect, StoreError, self.KIND,
                            damage, self.FRESH_START)
        with connection(self.path, self._connect, StoreError) as db, db:
            upgrade(db)  # the indexes
        return done

    def find(self, name: str) -> Person | None:
        """The person called `name` in any letter case or Unicode form (name_key), or None;
        looked up in the key's index."""
        with self._open() as db:
            row = db.execute(f"{_PERSON} WHERE p.name_key = ? ORDER BY p.id LIMIT 1",
                             (name_key(name),)).fetchone()
        return None if row is None else _person(row)

    def people(self) -> list[Person]:
        """Everyone enrolled, by name."""
        query = """
            SELECT p.id, p.name, p.created_at, COUNT(DISTINCT COALESCE(e.shot, e.id))
            FROM people p LEFT JOIN encodings e ON e.person_id = p.id
            GROUP BY p.id ORDER BY p.name COLLATE NOCASE
        """
        with self._open() as db:
            rows = db.execute(query).fetchall()
        return [_person(row) for row in rows]

    def enrol(self, name: str, encodings: list[NewEncoding]) -> Person:
        """Add `encodings` to the person called `name`, creating them if new.

        A photo already stored for the person is not stored again (`new_faces` says which
        those are), so tolerances that depend on how many photos a person has count
        distinct photos. One transaction: either the person and all their new encodings
        are stored, or nothing. Only that person's encodings are read, so enrolling one
        more person costs the same at any size.
        """
        name = check_name(name)
        if not encodings:
            raise StoreError(f"no usable face for {name!r}; nothing was enrolled")
        self._check(encodings)
        with self._open() as db, db:
            row = db.execute("SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1",
                             (name_key(name),)).fetchone()
            if row is None:
                person_id = db.execute(
                    "INSERT INTO people (name, created_at, name_key) VALUES (?, ?, ?)",
                    (name, _now(), name_key(name))).lastrowid
            else:
                person_id = row[0]
            _insert_all(db, person_id, encodings, self.same_photo_distance)
            return _person(db.execute(f"{_PERSON} WHERE p.id = ?", (person_id,)).fetchone())

    def add_encodings(self, person_id: int, encodings: list[NewEncoding]) -> Person:
        """Store encodings computed for a person already enrolled (shots_without), in the
        shots they were computed from; nobody is created or renamed. As in enrol, what
        is stored already is skipped, so adding the same encodings twice stores them once.
        """
        self._check(encodings)
        with self._open() as db, db:
            if db.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is None:
                raise StoreError(f"nobody with id {person_id} is enrolled; the people command "
                                 "lists who is")
            _insert_all(db, person_id, encodings, self.same_photo_distance)
            return _person(db.execute(f"{_PERSON} WHERE p.id = ?", (person_id,)).fetchone())

    def _check(self, encodings: list[NewEncoding]) -> None:
        """StoreError unless every encoding has ENCODING_SIZE numbers and an engine whose
        same-photo distance is known."""
        for encoding in encodings:
            if np.shape(encoding.vector) != (ENCODING_SIZE,):
                raise StoreError(f"an encoding must have {ENCODING_SIZE} numbers")
            if encoding.engine not in self.same_photo_distance:
                raise StoreError(f"unknown face engine {encoding.engine!r}; known: "
                                 + ", ".join(sorted(self.same_photo_distance)))

    def new_faces(self, name: str, encodings: list[NewEncoding]) -> list[NewEncoding]:
        """Those of `encodings` that are not already enrolled for `name` (see enrolment.shots.unseen);
        enrol stores only these, so a photo given twice counts once."""
        self._check(encodings)
        with self._open() as db:
            row = db.execute("SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1",
                             (name_key(name),)).fetchone()
            return shots.unseen(_rows_of(db, row[0] if row else None), encodings,
                                self.same_photo_distance)

    def rename(self, old_name: str, new_name: str) -> Person:
        """Give a person a new name; refuses a name someone else already has."""
        person = self._require(old_name)
        new_name = check_name(new_name)
        other = self.find(new_name)
        if other is not None and other.person_id != person.person_id:
            raise StoreError(f"{other.name!r} is already enrolled; choose another name")
        with self._open() as db, db:
            db.execute("UPDATE people SET name = ?, name_key = ? WHERE id = ?",
                       (new_name, name_key(new_name), person.person_id))
        return self._require(new_name)

    def forget(self, name: str) -> Person:
        """Delete a person with every encoding (of every engine) and face image, and the
        faces kept for their attendance rows (negatives included), in one transaction.

        secure_delete (see _connect) zeroes the freed bytes as they are freed, so only the
        pages that held this person are written: no VACUUM, which would rewrite the whole
        file (15 s at 50,000 people). The freed pages are reused by later enrolments.
        """
        person = self._require(name)
        with self._open() as db, db:
            db.execute("DELETE FROM encodings WHERE person_id = ?", (person.person_id,))
            event_faces.erase_person(db, person.person_id)
            db.execute("DELETE FROM people WHERE id = ?", (person.person_id,))
        return person

    def face_images(self, name: str) -> list[bytes]:
        """The stored JPEG face crops of a person (for thumbnails), one per shot."""
        person = self._require(name)
        with self._open() as db:
            rows = db.execute(
                "SELECT face_image FROM encodings WHERE person_id = ? AND face_image IS NOT NULL"
                " ORDER BY id",
                (person.person_id,),
            ).fetchall()
        return [row[0] for row in rows]

    def face_thumbnail(self, person_id: int) -> bytes | None:
        """The first stored JPEG face crop of one person, or None: one indexed query, so a
        list can fetch pictures for just the rows on screen."""
        with self._open() as db:
            row = db.execute(
                "SELECT face_image FROM encodings WHERE person_id = ? AND face_image IS NOT NULL"
                " ORDER BY id LIMIT 1",
                (person_id,),
            ).fetchone()
        return None if row is None else row[0]

    def encoding_table(self, engine: str = "dlib",
                       people: Sequence[int] | None = None) -> EncodingTable:
        """All encodings of `engine` at once, for building its gallery (one engine's
        distances mean nothing to another's); names of everyone enrolled. Rows come by
        person, the order of the engine's index: no sort, a third less time at 10,000
        people; a gallery's result does not depend on row order. `people`: only these
        ids' rows and names (those still enrolled), for Gallery.replacing."""
        only = "" if people is None else f" AND person_id IN ({','.join('?' * len(people))})"
        chosen = (engine, *([] if people is None else people))
        with self._open() as db:
            rows = db.execute("SELECT person_id, vector FROM encodings WHERE engine = ?"
                              f"{only} ORDER BY person_id", chosen).fetchall()
            names = dict(db.execute("SELECT id, name FROM people" + only.replace(
                " AND", " WHERE").replace("person_id", "id"), chosen[1:]).fetchall())
        vectors = np.array([np.frombuffer(v, dtype=np.float64) for _, v in rows]).reshape(
            len(rows), ENCODING_SIZE
        )
        person_ids = np.array([p for p, _ in rows], dtype=np.int64)
        return EncodingTable(vectors, person_ids, names)

    def shot_encodings(self, person_id: int) -> list[NewEncoding]:
        """Every stored encoding of a person as it was given, each with its shot's face
        picture and photo hash, shot by shot: what enrolling them elsewhere (another
        store, the central roster) needs to group them into the same shots."""
        with self._open() as db:
            rows = db.execute(
                """SELECT e.vector, e.source, e.photo_hash, e.engine,
                          (SELECT i.face_image FROM encodings i
                           WHERE i.person_id = e.person_id AND i.face_image IS NOT NULL
                                 AND COALESCE(i.shot, i.id) = COALESCE(e.shot, e.id)
                           ORDER BY i.id LIMIT 1)
                   FROM encodings e WHERE e.person_id = ?
                   ORDER BY COALESCE(e.shot, e.id), e.id""", (person_id,)).fetchall()
        return [NewEncoding(np.frombuffer(vector, dtype=np.float64), source, image, photo_hash,
                            engine) for vector, source, photo_hash, engine, image in rows]

    def keep_event_faces(self, event_id: int, event_time: datetime, person_id: int,
                         engine: str, vectors: Sequence[np.ndarray]) -> bool:
        """Keep the encodings that named attendance row `event_id` (see event_faces), so
        that voiding the row can make them negatives of the person. False when the person
        is no longer enrolled (forgotten by another process while a door was running):
        their faces must not be kept, and that is no storage failure."""
        with self._open() as db, db:
            if db.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is None:
                return False
            event_faces.keep(db, event_id, event_time, person_id, engine, vectors)
            return True

    def change_counter(self) -> int:
        """A number that changes whenever anyone enrols, renames or forgets a person, adds
        or deletes an encoding, or voids a row (see store_schema._CHANGES_TRIGGERS): one row read."""
        with self._open() as db:
            row = db.execute("SELECT counter FROM roster_changes WHERE id = 1").fetchone()
        return 0 if row is None else row[0]

    def changed_since(self, counter: int, engine: str) -> tuple[int, set[int] | None]:
        """The change counter now, and whose entry in `engine`'s gallery changed since
        `counter` (None: read it all again; see store_schema.people_changed)."""
        with self._open() as db:
            return people_changed(db, counter, engine)

    def void_event_faces(self, event_id: int, event_time: datetime) -> int:
        """Make the faces kept for row `event_id` negatives of its person; returns how
        many there are (0: none were kept, so the void teaches nothing)."""
        with self._open() as db, db:
            return event_faces.mark_voided(db, event_id, event_time)

    def negative_table(self, engine: str = "dlib") -> EncodingTable:
        """The faces of `engine` that were wrongly taken for a person (voided rows), with
        whom each was taken for: the gallery refuses that name to faces nearer to them."""
        with self._open() as db:
            rows = event_faces.negatives(db, engine)
        vectors = np.array([np.frombuffer(v, dtype=np.float64) for _, v in rows])
        return EncodingTable(vectors.reshape(len(rows), ENCODING_SIZE),
                             np.array([p for p, _ in rows], dtype=np.int64), {})

    def shots_without(self, engine: str) -> list[StoredShot]:
        """Every stored shot that has no encoding of `engine` yet, oldest first: in a store
        from before `engine` was added, every shot (each dlib row). Which shots they are
        is read from the indexes alone, so asking costs little when none is missing; the
        face images of those listed are read at once."""
        with self._open() as db:
            missing = db.execute(
                f"SELECT s.person_id, COALESCE(s.shot, s.id) FROM encodings s WHERE {_LACKING}"
                " GROUP BY 1, 2 ORDER BY 2", (engine,)).fetchall()
            return [_stored_shot(db, person_id, shot) for person_id, shot in missing]

    def people_needing_photos(self, engine: str) -> list[Person]:
        """People enrolled from shots of which none is encoded by `engine` and none kept
        a face image to compute it from: only new photos make them known to `engine`."""
        with self._open() as db:
            rows = db.execute(
                f"""{_PERSON} WHERE EXISTS (SELECT 1 FROM encodings e WHERE e.person_id = p.id)
                AND NOT EXISTS (SELECT 1 FROM encodings e
                                WHERE e.engine = ? AND e.person_id = p.id)
                AND NOT EXISTS (SELECT 1 FROM encodings e
                                WHERE e.person_id = p.id AND e.face_image IS NOT NULL)
                ORDER BY p.name COLLATE NOCASE""", (engine,)).fetchall()
        return [_person(row) for row in rows]

    def _require(self, name: str) -> Person:
        person = self.find(name)
        if person is None:
            raise StoreError(f"nobody called {name!r} is enrolled; the people command lists who is")
        return person
