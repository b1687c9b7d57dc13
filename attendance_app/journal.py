"""The attendance journal: every event, committed to SQLite before anything else sees it.

The journal is the source of truth. The workbook is rebuilt or topped up from it, so a
locked, deleted or damaged workbook never costs a row. Commits are synchronous
(`synchronous=FULL`): an event printed on screen has reached the disk.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import date, datetime, time
from pathlib import Path

from attendance_app.events import AttendanceEvent
from enrolment.sqlite_files import connection, create_private
from enrolment.store import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    camera TEXT NOT NULL,
    distance REAL NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events(timestamp);
"""


class JournalError(StoreError):
    """The journal file cannot be read or written (disk full, folder not writable, damaged).

    A kind of StoreError: both are the app's own SQLite files failing, and every command
    reports them the same way, as one line.
    """


class Journal:
    """Append-only event log in the SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private(path, _SCHEMA, self._connect, JournalError)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA synchronous = FULL")
        return db

    def _open(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection that is closed afterwards; SQLite errors become JournalError."""
        return connection(self.path, self._connect, JournalError)

    def record(self, event: AttendanceEvent) -> AttendanceEvent:
        """Commit `event` and return it with its journal id."""
        with self._open() as db, db:
            event_id = db.execute(
                "INSERT INTO events (timestamp, person_id, name, camera, distance, kind)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (event.timestamp.isoformat(timespec="seconds"), event.person_id, event.name,
                 event.camera, event.distance, event.kind),
            ).lastrowid
        return AttendanceEvent(event.timestamp, event.person_id, event.name, event.camera,
                               event.distance, event.kind, event_id)

    def events(self, since: date | None = None, after_id: int = 0) -> list[AttendanceEvent]:
        """Events in the order they happened, optionally from a day on and past an id."""
        start = datetime.combine(since, time.min).isoformat() if since else ""
        with self._open() as db:
            rows = db.execute(
                "SELECT id, timestamp, person_id, name, camera, distance, kind FROM events"
                " WHERE timestamp >= ? AND id > ? ORDER BY id",
                (start, after_id),
            ).fetchall()
        return [
            AttendanceEvent(datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6], r[0])
            for r in rows
        ]

    def events_on(self, day: date) -> list[AttendanceEvent]:
        """Events of one calendar day (local time), oldest first."""
        return [e for e in self.events(since=day) if e.timestamp.date() == day]
