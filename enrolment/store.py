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
import unicodedata
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import numpy as np

from enrolment import event_faces, shots
from enrolment.shots import NewEncoding
from enrolment.sqlite_files import (
    FACE_STORE,
    DamagedFile,
    FileKind,
    connection,
    create_private,
    start_afresh,
)

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
    photo_hash TEXT,
    engine TEXT NOT NULL DEFAULT 'dlib',
    shot INTEGER
);
"""
# encodings.engine: the engine that made the vector ('dlib' in stores made before engines
# had names, which is what made them).
# encodings.shot: which photo or camera shot the row encodes. NULL in the shot's first row,
# the id of that first row in the rows other engines added for it: COALESCE(shot, id) names
# the shot. A NULL (rather than the row's own id) makes every row of an earlier version a
# shot of its own as it is, with no rewrite of each row and its face image at upgrade.
# A shot's face image is stored once: in its first row, or the first row that brought one.

_CHANGES_TABLE = ("CREATE TABLE IF NOT EXISTS roster_changes"
                  " (id INTEGER PRIMARY KEY CHECK (id = 1), counter INTEGER NOT NULL)")
_CHANGES_ROW = "INSERT OR IGNORE INTO roster_changes (id, counter) VALUES (1, 0)"
_BUMP = "UPDATE roster_changes SET counter = counter + 1 WHERE id = 1"
# An UPDATE, never an INSERT OR REPLACE: a statement in a trigger takes the conflict
# clause of the statement that fired it (an INSERT OR IGNORE or an upsert of the roster
# copy's pull), which would turn a REPLACE into an ABORT or a silent no-op.
_CHANGES_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS roster_changes_{name} AFTER {change} "
    f"BEGIN {_BUMP}; END"
    for name, change in (("enrolled", "INSERT ON people"), ("renamed", "UPDATE ON people"),
                         ("forgotten", "DELETE ON people"),
                         ("encoding_added", "INSERT ON encodings"),
                         ("encoding_deleted", "DELETE ON encodings"),
                         ("voided", "UPDATE OF voided ON event_faces")))
"""A running door must notice people enrolled, renamed or forgotten (and rows voided) by
another process, e.g. `attendance-app forget` beside it (issue 20). Every write that
changes what a gallery holds bumps one counter in the file, whoever makes it: the door
reads that one row every second or so (FaceStore.change_counter), which costs the same at
2,000 people as at 2, and rebuilds its gallery only when it moved. Triggers, not code in
each method, so no writer can forget to bump it."""

_INDEXES = (
    # a person's rows and their shots (counting photos from the index alone)
    "CREATE INDEX IF NOT EXISTS encodings_by_shot ON encodings(person_id, shot)",
    # one engine's rows: all of them (a gallery), a person's, a shot's
    "CREATE INDEX IF NOT EXISTS encodings_by_engine ON encodings(engine, person_id, shot)",
    # the index of earlier versions: encodings_by_shot begins with the same column
    "DROP INDEX IF EXISTS encodings_by_person",
)

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


def name_key(name: str) -> str:
    """What makes two names the same person's: Unicode case folding of the NFC form, so
    "Zoë Łukasz" (typed with a combining diaeresis or not) and "ZOË ŁUKASZ" are one name.
    SQLite's NOCASE folds only A-Z."""
    folded = unicodedata.normalize("NFC", name.strip()).casefold()
    return unicodedata.normalize("NFC", folded)


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


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _upgrade(db: sqlite3.Connection) -> None:
    """Give a store made by an earlier version the columns and indexes added since: name
    keys (with their index), photo hashes, engines and shots.

    Old stores may hold two people whose names differ only in non-ASCII case (the bug the
    keys fix); the index is then made without uniqueness, and both stay listed so they
    can be renamed or forgotten. Their encodings are dlib's, each a shot of its own.
    """
    if "photo_hash" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN photo_hash TEXT")
    if "engine" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN engine TEXT NOT NULL DEFAULT 'dlib'")
    if "shot" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN shot INTEGER")
    for statement in (*_INDEXES, _CHANGES_TABLE, _CHANGES_ROW, *_CHANGES_TRIGGERS):
        db.execute(statement)
    if "name_key" not in _columns(db, "people"):
        db.execute("ALTER TABLE people ADD COLUMN name_key TEXT")
    rows = db.execute("SELECT id, name FROM people WHERE name_key IS NULL").fetchall()
    db.executemany("UPDATE people SET name_key = ? WHERE id = ?",
                   [(name_key(name), person_id) for person_id, name in rows])
    try:
        db.execute("CREATE UNIQUE INDEX IF NOT EXISTS people_by_key ON people(name_key)")
    except sqlite3.IntegrityError:
        db.execute("CREATE INDEX IF NOT EXISTS people_by_key ON people(name_key)")


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


class StoreError(Exception):
    """A request the store cannot satisfy; the message says what to do."""


@dataclass(frozen=True)
class Person:
    """An enrolled person and how many photos and camera shots they are enrolled from.

    encoding_count counts shots, not rows: one photo encoded by dlib and by sface counts
    once, so the People dialog and the `people` command show the photos a person gave,
    whatever the number of engines (and a store upgraded to a second engine shows the
    same numbers as before).
    """

    person_id: int
    name: str
    created_at: datetime
    encoding_count: int


@dataclass(frozen=True)
class StoredShot:
    """A stored photo or camera shot that has no encoding of some engine yet: whose it is
    and what to compute that encoding from (no face_image: nothing, the person needs a
    new photo). Give the computed encoding these same source, face_image and photo_hash,
    so that add_encodings puts it with this shot."""

    person_id: int
    source: str
    face_image: bytes | None
    photo_hash: str | None


@dataclass(frozen=True)
class EncodingTable:
    """One engine's stored encodings as arrays, the form the gallery searches.

    vectors: (N, 128) float64; person_ids: (N,) int; names: person id -> name.
    """

    vectors: np.ndarray
    person_ids: np.ndarray
    names: dict[int, str]


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


INVISIBLE_CHARS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u200e\u200f\u061c"  # left-to-right, right-to-left and Arabic letter marks
    "\u200b\u200c\u200d\u2060\ufeff")  # zero-width space, (non-)joiner, word joiner, BOM
"""Characters refused in names: they show nothing themselves, yet a bidi override turns
the rest of a workbook cell or terminal line around ("Ada\u202eNIKSEP" shows as
"AdaPESKIN"), and a zero-width one makes two names that look alike different people.
(The zero-width non-joiner and joiner shape some scripts' words; a name shown without
them is still read, and one person cannot be enrolled twice under look-alike names.)"""


def check_name(name: str) -> str:
    """The name with surrounding spaces removed, or StoreError saying what is wrong.

    Names are shown on one line in lists, the terminal and a workbook cell, so line
    breaks, tabs and other control characters are refused rather than silently mangled,
    and so are INVISIBLE_CHARS, which would change how a name looks or make two names
    that look alike. Every front end (enrol, rename, unknowns enrol, the dialogs, the
    central roster) stores names through here.
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
    hidden = next((ch for ch in name if ch in INVISIBLE_CHARS), None)
    if hidden is not None:
        raise StoreError(f"the name {name!r} contains the invisible character U+{ord(hidden):04X} "
                         f"({unicodedata.name(hidden)}), which changes how names look or "
                         "tell apart; type the name without it")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes on the command line arrive as surrogates
        raise StoreError(f"the name {name!r} is not valid text; type it again in UTF-8") from None
    return unicodedata.normalize("NFC", name)  # one spelling of "ë", however it was typed


class FaceStore:
    """People and encodings in the SQLite file at `path` (created on first use).

    same_photo_distance: per engine name, how near two of its encodings must be to count
    as one photo (SAME_PHOTO_DISTANCE); encodings of other engines are refused.

    Every SQLite or file-system failure (disk full, folder not writable, a damaged
    file) surfaces as a one-line StoreError instead of a traceback.
    """

    SCHEMA = _SCHEMA + event_faces.SCHEMA
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
        return connection(self.path, self._connect, StoreError,
                          None if self.FRESH_START is None else self._start_afresh)

    def _start_afresh(self, damage: DamagedFile) -> str:
        """A copy found damaged in use: moved aside, and made again (FRESH_START)."""
        assert self.FRESH_START is not None
        done = start_afresh(self.path, self.SCHEMA, self._connect, StoreError, self.KIND,
                            damage, self.FRESH_START)
        with connection(self.path, self._connect, StoreError) as db, db:
            _upgrade(db)  # the indexes
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

    def encoding_table(self, engine: str = "dlib") -> EncodingTable:
        """All encodings of `engine` at once, for building its gallery (one engine's
        distances mean nothing to another's); names of everyone enrolled. Rows come by
        person, the order of the engine's index: no sort, a third less time at 10,000
        people; a gallery's result does not depend on row order."""
        with self._open() as db:
            rows = db.execute("SELECT person_id, vector FROM encodings WHERE engine = ?"
                              " ORDER BY person_id", (engine,)).fetchall()
            names = dict(db.execute("SELECT id, name FROM people").fetchall())
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
        or deletes an encoding, or voids a row (see _CHANGES_TRIGGERS): one row read."""
        with self._open() as db:
            row = db.execute("SELECT counter FROM roster_changes WHERE id = 1").fetchone()
        return 0 if row is None else row[0]

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
