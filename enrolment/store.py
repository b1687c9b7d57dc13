"""The enrolled people and their face encodings, kept in one SQLite file.

Encodings are biometric data: the file is created readable by its owner only, and a
person's encodings and face images are deleted in the same transaction as the person, with
SQLite's secure_delete on so the freed bytes are overwritten with zeros at once: deleted
faces cannot be recovered from free pages, and the file is not rewritten to get there.
Several encodings per person are kept as they are (never averaged): a person seen from a
few angles is matched by the nearest of them.

Looking up, enrolling and forgetting one person are indexed queries, so their cost does not
grow with the number of people enrolled.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from enrolment.sqlite_files import connection, create_private

ENCODING_SIZE = 128
# Longer names are almost certainly a pasted paragraph; they also overflow list views.
MAX_NAME_CHARS = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    name_key TEXT
);
CREATE TABLE IF NOT EXISTS encodings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    vector BLOB NOT NULL,
    face_image BLOB,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    photo_hash TEXT
);
CREATE INDEX IF NOT EXISTS encodings_by_person ON encodings(person_id);
"""

# One person with their encoding count; callers add the WHERE clause.
_PERSON = """
    SELECT p.id, p.name, p.created_at,
           (SELECT COUNT(*) FROM encodings e WHERE e.person_id = p.id)
    FROM people p
"""


def name_key(name: str) -> str:
    """What makes two names the same person's: Unicode case folding of the NFC form, so
    "Zoë Łukasz" (typed with a combining diaeresis or not) and "ZOË ŁUKASZ" are one name.
    SQLite's NOCASE folds only A-Z."""
    folded = unicodedata.normalize("NFC", name.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


SAME_PHOTO_DISTANCE = 0.04
"""Encodings nearer than this are one photo enrolled twice. Measured on the shared enrolment
photos: a file encoded again gives 0.0, the same photo re-saved as JPEG 0.03 to 0.07 (and
resized 0.13 to 0.19, which is counted as another photo); different photos of one person
in the shared set were never nearer than 0.07."""


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _upgrade(db: sqlite3.Connection) -> None:
    """Give a store made by an earlier version the columns and index added since: name
    keys (with their index) and photo hashes.

    Old stores may hold two people whose names differ only in non-ASCII case (the bug the
    keys fix); the index is then made without uniqueness, and both stay listed so they
    can be renamed or forgotten.
    """
    if "photo_hash" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN photo_hash TEXT")
    if "name_key" not in _columns(db, "people"):
        db.execute("ALTER TABLE people ADD COLUMN name_key TEXT")
    rows = db.execute("SELECT id, name FROM people WHERE name_key IS NULL").fetchall()
    db.executemany("UPDATE people SET name_key = ? WHERE id = ?",
                   [(name_key(name), person_id) for person_id, name in rows])
    try:
        db.execute("CREATE UNIQUE INDEX IF NOT EXISTS people_by_key ON people(name_key)")
    except sqlite3.IntegrityError:
        db.execute("CREATE INDEX IF NOT EXISTS people_by_key ON people(name_key)")


def _unseen(db: sqlite3.Connection, person_id: int | None,
            encodings: list[NewEncoding]) -> list[NewEncoding]:
    """The encodings that are not a photo already stored for the person (same file hash,
    or nearer than SAME_PHOTO_DISTANCE), nor one given earlier in the list."""
    stored = [] if person_id is None else db.execute(
        "SELECT vector, photo_hash FROM encodings WHERE person_id = ?", (person_id,)).fetchall()
    vectors = [np.frombuffer(vector, dtype=np.float64) for vector, _ in stored]
    hashes = {photo_hash for _, photo_hash in stored if photo_hash}
    unseen = []
    for encoding in encodings:
        vector = np.asarray(encoding.vector, dtype=np.float64)
        if encoding.photo_hash and encoding.photo_hash in hashes:
            continue
        if any(np.linalg.norm(vector - other) < SAME_PHOTO_DISTANCE for other in vectors):
            continue
        unseen.append(encoding)
        vectors.append(vector)
        if encoding.photo_hash:
            hashes.add(encoding.photo_hash)
    return unseen


class StoreError(Exception):
    """A request the store cannot satisfy; the message says what to do."""


@dataclass(frozen=True)
class Person:
    """An enrolled person and how many encodings they have."""

    person_id: int
    name: str
    created_at: datetime
    encoding_count: int


@dataclass(frozen=True)
class NewEncoding:
    """One face to add: its 128-d encoding, where it came from, an optional JPEG crop, and
    the SHA-256 of the photo file (None for a camera shot)."""

    vector: np.ndarray
    source: str
    face_image: bytes | None = None
    photo_hash: str | None = None


@dataclass(frozen=True)
class EncodingTable:
    """Every stored encoding as arrays, the form the gallery searches.

    vectors: (N, 128) float64; person_ids: (N,) int; names: person id -> name.
    """

    vectors: np.ndarray
    person_ids: np.ndarray
    names: dict[int, str]


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _person(row: tuple[int, str, str, int]) -> Person:
    return Person(row[0], row[1], datetime.fromisoformat(row[2]), row[3])


def check_name(name: str) -> str:
    """The name with surrounding spaces removed, or StoreError saying what is wrong.

    Names are shown on one line in lists, the terminal and a workbook cell, so line
    breaks, tabs and other control characters are refused rather than silently mangled.
    """
    name = name.strip()
    if not name:
        raise StoreError("a person needs a name; give a non-empty name")
    if len(name) > MAX_NAME_CHARS:
        raise StoreError(f"a name may have at most {MAX_NAME_CHARS} characters, this one has "
                         f"{len(name)}; give a shorter name")
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name):
        raise StoreError(f"the name {name!r} contains a line break or control character; "
                         "type it on one line without them")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes on the command line arrive as surrogates
        raise StoreError(f"the name {name!r} is not valid text; type it again in UTF-8") from None
    return unicodedata.normalize("NFC", name)  # one spelling of "ë", however it was typed


class FaceStore:
    """People and encodings in the SQLite file at `path` (created on first use).

    Every SQLite or file-system failure (disk full, folder not writable, a damaged
    file) surfaces as a one-line StoreError instead of a traceback.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private(path, _SCHEMA, self._connect, StoreError)
        with self._open() as db, db:
            _upgrade(db)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted faces are overwritten with zeros at once, whatever SQLite's build
        # default: forget needs no VACUUM (a rewrite of the whole file) to erase them.
        db.execute("PRAGMA secure_delete = ON")
        return db

    def _open(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection that is closed afterwards; SQLite errors become StoreError."""
        return connection(self.path, self._connect, StoreError)

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
            SELECT p.id, p.name, p.created_at, COUNT(e.id)
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
        for encoding in encodings:
            if np.shape(encoding.vector) != (ENCODING_SIZE,):
                raise StoreError(f"an encoding must have {ENCODING_SIZE} numbers")
        with self._open() as db, db:
            row = db.execute("SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1",
                             (name_key(name),)).fetchone()
            encodings = _unseen(db, row[0] if row else None, encodings)
            if row is None:
                person_id = db.execute(
                    "INSERT INTO people (name, created_at, name_key) VALUES (?, ?, ?)",
                    (name, _now(), name_key(name))).lastrowid
            else:
                person_id = row[0]
            db.executemany(
                "INSERT INTO encodings (person_id, vector, face_image, source, created_at,"
                " photo_hash) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (person_id, np.asarray(e.vector, dtype=np.float64).tobytes(), e.face_image,
                     e.source, _now(), e.photo_hash)
                    for e in encodings
                ],
            )
            return _person(db.execute(f"{_PERSON} WHERE p.id = ?", (person_id,)).fetchone())

    def new_faces(self, name: str, encodings: list[NewEncoding]) -> list[NewEncoding]:
        """Those of `encodings` that are not already enrolled for `name` (see `_unseen`);
        enrol stores only these, so a photo given twice counts once."""
        with self._open() as db:
            row = db.execute("SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1",
                             (name_key(name),)).fetchone()
            return _unseen(db, row[0] if row else None, encodings)

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
        """Delete a person with every encoding and face image, in one transaction.

        secure_delete (see _connect) zeroes the freed bytes as they are freed, so only the
        pages that held this person are written: no VACUUM, which would rewrite the whole
        file (15 s at 50,000 people). The freed pages are reused by later enrolments.
        """
        person = self._require(name)
        with self._open() as db, db:
            db.execute("DELETE FROM encodings WHERE person_id = ?", (person.person_id,))
            db.execute("DELETE FROM people WHERE id = ?", (person.person_id,))
        return person

    def face_images(self, name: str) -> list[bytes]:
        """The stored JPEG face crops of a person (for thumbnails)."""
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

    def encoding_table(self) -> EncodingTable:
        """All encodings at once, for building a gallery."""
        with self._open() as db:
            rows = db.execute("SELECT person_id, vector FROM encodings ORDER BY id").fetchall()
            names = dict(db.execute("SELECT id, name FROM people").fetchall())
        vectors = np.array([np.frombuffer(v, dtype=np.float64) for _, v in rows]).reshape(
            len(rows), ENCODING_SIZE
        )
        person_ids = np.array([p for p, _ in rows], dtype=np.int64)
        return EncodingTable(vectors, person_ids, names)

    def _require(self, name: str) -> Person:
        person = self.find(name)
        if person is None:
            raise StoreError(f"nobody called {name!r} is enrolled; the people command lists who is")
        return person
