"""The unknown visitors' faces, kept in one SQLite file beside the face store.

A *sighting* is one pass of a person who is not enrolled: when they were first seen, by
which camera, their best face picture (a small JPEG, as photos.face_thumbnail makes) and
the encodings of the clear looks at them, per engine. Faces of people who never agreed to
be enrolled are biometric data held on trust, so the file is created readable by its
owner only (enrolment.sqlite_files), deleted faces are overwritten with zeros at once
(secure_delete, as in the face store), and every sighting is deleted `keep_days` after
it was seen: an indexed range delete on the time, whose cost is the rows deleted, never
a rewrite of the file.

Encodings are float64 rows of 128 numbers, stored per (sighting, engine) as one blob of
k rows; a sighting made under one engine gets another engine's encodings from its face
picture when that engine is first used on it (listing.py), as an enrolled face does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from attendance_app.errors import AttendanceError
from enrolment.sqlite_files import UNKNOWNS, DamagedFile, connection, create_private, start_afresh
from enrolment.store import ENCODING_SIZE, StoreError

UNKNOWNS_FILE = "unknowns.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sightings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seen_at TEXT NOT NULL,
    camera TEXT NOT NULL,
    face_px INTEGER NOT NULL,
    face_image BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sightings_by_time ON sightings(seen_at);
CREATE TABLE IF NOT EXISTS sighting_vectors (
    sighting_id INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    engine TEXT NOT NULL,
    vectors BLOB NOT NULL,
    PRIMARY KEY (sighting_id, engine)
);
CREATE INDEX IF NOT EXISTS sighting_vectors_by_engine ON sighting_vectors(engine, sighting_id);
"""
# seen_at: local time, ISO 8601 to the second, as in the journal (text order is time order).
# face_px: the face's height in frame pixels at its best look (the larger, the better a
# picture to show and to enrol from).
# sighting_vectors.vectors: k x 128 float64 (k may be 0: the picture cannot be decoded).

_FRESH_START = ("unknown visitors are kept in a new, empty store (the file moved aside holds"
                " their faces: delete it when it is not needed)")
"""A cache of passing faces: a damaged one (found at open or in use) is kept beside, it
is never deleted, and the store starts empty; the camera carries on."""


class UnknownsError(StoreError, AttendanceError):
    """unknowns.sqlite3 cannot be read or written; a kind of StoreError, so every command
    reports it as one line."""


@dataclass(frozen=True)
class NewSighting:
    """A pass to save: when, where, the best face picture (JPEG), that face's height in
    frame pixels, and the engine's encodings of the clear looks, (k, 128)."""

    seen_at: datetime
    camera: str
    face_image: bytes
    face_px: int
    engine: str
    vectors: np.ndarray


@dataclass(frozen=True)
class Sighting:
    """A saved pass, without its picture (read apart, only for what is shown)."""

    sighting_id: int
    seen_at: datetime
    camera: str
    face_px: int


def _as_blob(vectors: np.ndarray) -> bytes:
    return np.asarray(vectors, dtype=np.float64).reshape(-1, ENCODING_SIZE).tobytes()


def _sighting(row: tuple[int, str, str, int]) -> Sighting:
    return Sighting(row[0], datetime.fromisoformat(row[1]), row[2], row[3])


class UnknownStore:
    """Sightings in the SQLite file at `path`, created (owner-only) on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private(path, _SCHEMA, self._connect, UnknownsError, UNKNOWNS, _FRESH_START)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA secure_delete = ON")
        return db

    def _open(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection that is closed afterwards; SQLite errors become UnknownsError."""
        return connection(self.path, self._connect, UnknownsError, self._start_afresh)

    def _start_afresh(self, damage: DamagedFile) -> str:
        return start_afresh(self.path, _SCHEMA, self._connect, UnknownsError, UNKNOWNS, damage,
                            _FRESH_START)

    def add(self, sighting: NewSighting) -> int:
        """Save one pass with its encodings, in one transaction; returns its id."""
        with self._open() as db, db:
            sighting_id = db.execute(
                "INSERT INTO sightings (seen_at, camera, face_px, face_image) VALUES (?, ?, ?, ?)",
                (sighting.seen_at.isoformat(timespec="seconds"), sighting.camera,
                 int(sighting.face_px), sighting.face_image)).lastrowid
            db.execute("INSERT INTO sighting_vectors (sighting_id, engine, vectors)"
                       " VALUES (?, ?, ?)", (sighting_id, sighting.engine, _as_blob(sighting.vectors)))
        assert sighting_id is not None
        return sighting_id

    def expire(self, keep_days: int, now: datetime | None = None) -> int:
        """Delete the sightings seen more than `keep_days` days before `now` (0: all of
        them, whatever their time); returns how many. One range delete on the time index,
        so a check that finds nothing to delete costs one index probe."""
        cutoff = (datetime.max if keep_days == 0
                  else (now or datetime.now()) - timedelta(days=keep_days))
        with self._open() as db, db:
            return db.execute("DELETE FROM sightings WHERE seen_at < ?",
                              (cutoff.isoformat(timespec="seconds"),)).rowcount

    def trim(self, max_faces: int) -> int:
        """Delete the oldest sightings (by time seen, then by id) beyond the newest
        `max_faces`; returns how many. A busy scene keeps tens of thousands of faces a
        day, and listing them grows faster than their number (groups.py): the cap keeps
        the list quick, and the newest faces, those of the visitors still coming, are
        the ones worth enrolling. One count, and a range delete on the time index only
        when there is something to drop."""
        with self._open() as db, db:
            excess = db.execute("SELECT COUNT(*) FROM sightings").fetchone()[0] - max_faces
            if excess <= 0:
                return 0
            return db.execute(
                "DELETE FROM sightings WHERE id IN (SELECT id FROM sightings"
                " ORDER BY seen_at, id LIMIT ?)", (excess,)).rowcount

    def sightings(self, engine: str) -> tuple[list[Sighting], list[np.ndarray]]:
        """Every sighting, oldest first, with `engine`'s encodings of it: one (k, 128)
        array each, k = 0 when there are none (its picture could not be decoded). Every
        kept face is returned whatever the engine, so that a list made with any engine
        shows, and can delete, all of them."""
        with self._open() as db:
            rows = db.execute(
                "SELECT s.id, s.seen_at, s.camera, s.face_px, v.vectors FROM sightings s"
                " LEFT JOIN sighting_vectors v ON v.sighting_id = s.id AND v.engine = ?"
                " ORDER BY s.id", (engine,)).fetchall()
        return ([_sighting(row[:4]) for row in rows],
                [np.frombuffer(row[4] or b"", dtype=np.float64).reshape(-1, ENCODING_SIZE)
                 for row in rows])

    def pictures_without(self, engine: str) -> list[tuple[int, bytes]]:
        """(id, face picture) of the sightings with no encodings of `engine` yet, or an
        empty set of them (stored before a face was always encoded where the picture
        shows it: those are asked again)."""
        with self._open() as db:
            return db.execute(
                "SELECT s.id, s.face_image FROM sightings s WHERE NOT EXISTS"
                " (SELECT 1 FROM sighting_vectors v WHERE v.sighting_id = s.id AND v.engine = ?"
                " AND length(v.vectors) > 0) ORDER BY s.id", (engine,)).fetchall()

    def add_vectors(self, sighting_id: int, engine: str, vectors: np.ndarray) -> None:
        """Store `engine`'s encodings of a saved sighting (none: its picture cannot be
        decoded)."""
        with self._open() as db, db:
            db.execute("INSERT OR REPLACE INTO sighting_vectors (sighting_id, engine, vectors)"
                       " VALUES (?, ?, ?)", (sighting_id, engine, _as_blob(vectors)))

    def face_image(self, sighting_id: int) -> bytes | None:
        """The face picture of one sighting (None once it is deleted)."""
        with self._open() as db:
            row = db.execute("SELECT face_image FROM sightings WHERE id = ?",
                             (sighting_id,)).fetchone()
        return None if row is None else row[0]

    def delete(self, sighting_ids: Iterable[int]) -> int:
        """Delete these sightings with their pictures and encodings, in one transaction;
        returns how many were still there."""
        with self._open() as db, db:
            return sum(db.execute("DELETE FROM sightings WHERE id = ?", (sighting_id,)).rowcount
                       for sighting_id in sighting_ids)

    def count(self) -> int:
        """How many sightings are kept."""
        with self._open() as db:
            return db.execute("SELECT COUNT(*) FROM sightings").fetchone()[0]
