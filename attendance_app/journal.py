"""The attendance journal: every event, committed to SQLite before anything else sees it.

The journal is the source of truth. The workbook is rebuilt or topped up from it, so a
locked, deleted or damaged workbook never costs a row. Commits are synchronous
(`synchronous=FULL`): an event printed on screen has reached the disk.

Every query that serves a running app reads a bounded slice (a day, a month, the ids past
a cursor) through an index, so its cost does not grow with a year of history.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
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
_COLUMNS = "id, timestamp, person_id, name, camera, distance, kind"


class JournalError(StoreError):
    """The journal file cannot be read or written (disk full, folder not writable, damaged).

    A kind of StoreError: both are the app's own SQLite files failing, and every command
    reports them the same way, as one line.
    """


def month_of(moment: date) -> str:
    """The month key used throughout: 'YYYY-MM', as the journal's ISO timestamps begin."""
    return f"{moment:%Y-%m}"


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """First moment of `month` ('YYYY-MM') and first moment of the month after."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime.combine(first, time.min), datetime.combine(following, time.min)


def _event(row: tuple) -> AttendanceEvent:
    return AttendanceEvent(datetime.fromisoformat(row[1]), row[2], row[3], row[4], row[5],
                           row[6], row[0])


class Journal:
    """Append-only event log in the SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private(path, _SCHEMA, self._connect, JournalError)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
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

    def events(self) -> list[AttendanceEvent]:
        """Every event, in the order recorded: the whole journal, for checks and tools,
        never on a path that runs per event."""
        return self.events_after(0)

    def events_after(self, event_id: int) -> list[AttendanceEvent]:
        """The events newer than `event_id`, oldest first: a range of the primary key, so
        a writer catching up with a few new events reads just those."""
        with self._open() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM events WHERE id > ? ORDER BY id",
                              (event_id,)).fetchall()
        return [_event(row) for row in rows]

    def events_between(self, start: datetime, end: datetime) -> list[AttendanceEvent]:
        """Events from `start` up to (not including) `end`, in journal order.

        The time range is looked up in the timestamp index, so this costs the slice
        asked for, however long the journal is.
        """
        with self._open() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM events INDEXED BY events_by_time"
                " WHERE timestamp >= ? AND timestamp < ? ORDER BY id",
                (start.isoformat(timespec="seconds"), end.isoformat(timespec="seconds")),
            ).fetchall()
        return [_event(row) for row in rows]

    def events_on(self, day: date) -> list[AttendanceEvent]:
        """Events of one calendar day (local time), oldest first."""
        start = datetime.combine(day, time.min)
        return self.events_between(start, start + timedelta(days=1))

    def events_in_month(self, month: str) -> list[AttendanceEvent]:
        """Events of one month ('YYYY-MM'), oldest first."""
        return self.events_between(*month_bounds(month))

    def last_id(self) -> int:
        """The newest event's id, 0 for an empty journal."""
        with self._open() as db:
            return db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0]

    def latest_month(self) -> str | None:
        """The month ('YYYY-MM') of the newest event by time, None for an empty journal."""
        with self._open() as db:
            newest = db.execute("SELECT MAX(timestamp) FROM events").fetchone()[0]
        return newest[:7] if newest else None

    def month_totals(self) -> dict[str, tuple[int, int]]:
        """Per month ('YYYY-MM'): how many events and the largest id among them.

        Walks the timestamp index once (about 20 ms at 100,000 events): for start-up and
        full exports, not per event.
        """
        with self._open() as db:
            rows = db.execute(
                "SELECT substr(timestamp, 1, 7), COUNT(*), MAX(id) FROM events"
                " INDEXED BY events_by_time GROUP BY 1"
            ).fetchall()
        return {month: (count, largest) for month, count, largest in rows}
