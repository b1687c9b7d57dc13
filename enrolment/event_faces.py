"""The faces behind attendance rows, and those that turned out to be someone else.

When a row is written, the encodings that named its person (the agreeing looks, in the
engine in use) are kept here, in the face store, with the row's journal id. When the row
is voided ("that was not X"), its faces become *negatives* of X: the gallery then refuses
X's name to a face nearer to one of them than to X's own enrolled faces.

They live in the face store, not in the journal, because they are biometric data: the
journal holds records (time, name, camera) and is kept as long as the records are, while
everything biometric stays in the one file that is private to its owner, overwritten on
delete (secure_delete) and erased with the person by `forget` in one transaction.

Faces of rows that stay valid are only wanted while someone may still void the row, so
they are deleted KEEP_DAYS after the row, a few at every new row (each row's faces are
deleted once, through the index on their time): the table holds about KEEP_DAYS of
arrivals, and a row costs the same however long the app has run. Negatives stay until
their person is forgotten.

The functions take an open connection, so the store runs them in its own transactions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS event_faces (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL,
    event_time TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    engine TEXT NOT NULL,
    vector BLOB NOT NULL,
    voided INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS event_faces_by_event ON event_faces(event_id);
CREATE INDEX IF NOT EXISTS event_faces_by_person ON event_faces(person_id);
CREATE INDEX IF NOT EXISTS event_faces_to_expire ON event_faces(event_time) WHERE voided = 0;
CREATE INDEX IF NOT EXISTS negatives_by_engine ON event_faces(engine, person_id) WHERE voided = 1;
"""
# event_time: the row's time (ISO, seconds). With the journal id it names the row: a
# journal deleted and started afresh numbers its rows from 1 again, and the time tells
# such a row apart from an old one with the same id.

KEEP_DAYS = 31
"""Days the faces of a valid row are kept for a void to use: a wrong row is noticed on the
day or when the month's report is read; later, voiding it still takes it out of the
counts, but teaches nothing."""


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def keep(db: sqlite3.Connection, event_id: int, event_time: datetime, person_id: int,
         engine: str, vectors: Sequence[np.ndarray]) -> None:
    """Store the encodings (engine's, 128 numbers each) that named the row `event_id`,
    and delete the faces of valid rows older than KEEP_DAYS before it."""
    db.executemany(
        "INSERT INTO event_faces (event_id, event_time, person_id, engine, vector)"
        " VALUES (?, ?, ?, ?, ?)",
        [(event_id, _stamp(event_time), person_id, engine,
          np.asarray(vector, dtype=np.float64).tobytes()) for vector in vectors])
    db.execute("DELETE FROM event_faces WHERE voided = 0 AND event_time < ?",
               (_stamp(event_time - timedelta(days=KEEP_DAYS)),))


def mark_voided(db: sqlite3.Connection, event_id: int, event_time: datetime) -> int:
    """Make the faces of row `event_id` (written at `event_time`) negatives of its person;
    returns how many there are (0 when none were kept). Marking again changes nothing."""
    db.execute("UPDATE event_faces SET voided = 1 WHERE event_id = ? AND event_time = ?",
               (event_id, _stamp(event_time)))
    return db.execute("SELECT COUNT(*) FROM event_faces WHERE event_id = ? AND event_time = ?",
                      (event_id, _stamp(event_time))).fetchone()[0]


def negatives(db: sqlite3.Connection, engine: str) -> list[tuple[int, bytes]]:
    """The negatives of `engine`: (person each is not, vector as float64 bytes); read
    through their partial index, so their number, not all the rows', is the cost."""
    return db.execute("SELECT person_id, vector FROM event_faces INDEXED BY negatives_by_engine"
                      " WHERE engine = ? AND voided = 1 ORDER BY person_id", (engine,)).fetchall()


def erase_person(db: sqlite3.Connection, person_id: int) -> None:
    """Delete every face kept for the person's rows, negatives included (forget)."""
    db.execute("DELETE FROM event_faces WHERE person_id = ?", (person_id,))
