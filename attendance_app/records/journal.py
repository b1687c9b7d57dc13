"""The attendance journal: every event, committed to SQLite before anything else sees it.

The journal is the source of truth. The workbook is rebuilt or topped up from it, so a
locked, deleted or damaged workbook never costs a row. Commits are synchronous
(`synchronous=FULL`): an event printed on screen has reached the disk.

Every query that serves a running app reads a bounded slice (a day, a month, the ids past
a cursor) through an index, so its cost does not grow with a year of history.

Rows are never changed. A row found wrong is *voided*: a line in the `voids` table (when,
by whom, why) marks it, and every event read carries its mark (AttendanceEvent.void).
That table is new in this version; a journal of an earlier version gets it, empty, the
first time it is opened, and keeps every row.

Times: `timestamp` is local wall time (naive ISO text: days and months are ranges of its
index, and the file reads as the sheet does) and `utc_offset` the offset from UTC, in
seconds, in force when the row was made, so that elapsed time is real time across
daylight saving changes (attendance_app.local_time). A journal of an earlier release
gains the column the first time it is opened, its rows their best-guess offsets
(attendance_app.records.journal_offsets), in one transaction: never half upgraded, never twice.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from attendance_app import local_time
from attendance_app.errors import AttendanceError
from attendance_app.recognition.refusal import Refusal
from attendance_app.records.journal_offsets import fill_offsets
from attendance_app.types import AgeGender, AttendanceEvent, Expression, Void
from enrolment.sqlite_files import JOURNAL, connection, create_private
from enrolment.values import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    camera TEXT NOT NULL,
    distance REAL NOT NULL,
    kind TEXT NOT NULL,
    uid TEXT,
    utc_offset INTEGER
);
CREATE INDEX IF NOT EXISTS events_by_time ON events(timestamp);
CREATE TABLE IF NOT EXISTS voids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL UNIQUE REFERENCES events(id),
    voided_at TEXT NOT NULL,
    voided_by TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS expressions (
    event_id INTEGER PRIMARY KEY REFERENCES events(id),
    label TEXT NOT NULL,
    probability REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS event_estimates (
    event_id INTEGER PRIMARY KEY REFERENCES events(id),
    age REAL NOT NULL, gender TEXT NOT NULL, probability REAL NOT NULL
);
"""
# expressions: the facial expression read at arrival (analytics.emotion), and
# event_estimates: the age and gender estimated then (analytics.age_gender), tables of
# their own like voids, so that journals of earlier versions gain them without a rewrite.
# An event `e`, its void mark `v`, expression `x`, estimates `a` (NULLs when none): callers write
# f"SELECT {_COLUMNS} FROM events e [INDEXED BY ...] {_MARKS} WHERE ...".
_COLUMNS = ("e.id, e.timestamp, e.person_id, e.name, e.camera, e.distance, e.kind,"
            " v.voided_at, v.voided_by, v.reason, x.label, x.probability, e.uid, e.utc_offset,"
            " a.age, a.gender, a.probability")
_ESTIMATES = (" LEFT JOIN expressions x ON x.event_id = e.id"
              " LEFT JOIN event_estimates a ON a.event_id = e.id")
_MARKS = "LEFT JOIN voids v ON v.event_id = e.id" + _ESTIMATES
_VOIDED = f"FROM voids v JOIN events e ON e.id = v.event_id{_ESTIMATES}"

_CENTRAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS central_push (what TEXT PRIMARY KEY, upto INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO journal_meta VALUES ('door_id', lower(hex(randomblob(16))));
"""
# events.uid: the event's id at every door and on the central server (a uuid4 made when
# it is recorded), what makes sending it twice harmless; NULL in rows of earlier versions.
# central_push: how far the events ('events') and voids ('voids') were sent to the central
# database, by local id; journal_meta.door_id: this journal's door, in the central log.

_REFUSALS_SCHEMA = """
CREATE TABLE IF NOT EXISTS refusals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    camera TEXT NOT NULL,
    distance REAL NOT NULL,
    reason TEXT NOT NULL
);
"""
"""Recognised faces that left without passing the liveness check (attendance_app.recognition.refusal):
a table of their own, which nothing that reads attendance rows ever reads."""


class JournalError(StoreError, AttendanceError):
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
    void = None if row[7] is None else Void(datetime.fromisoformat(row[7]), row[8], row[9])
    expression = None if row[10] is None else Expression(row[10], row[11])
    return AttendanceEvent(datetime.fromisoformat(row[1]), row[2], row[3], row[4], row[5],
                           row[6], row[0], void, expression, uid=row[12],
                           utc_offset=None if row[13] is None else timedelta(seconds=row[13]),
                           age_gender=None if row[14] is None else AgeGender(*row[14:17]))


def _add_uid_column(db: sqlite3.Connection) -> None:
    """Give a journal of an earlier version its uid column (its rows keep NULL: rows are
    never changed, and rows from before a door joined a central database are not sent)."""
    if "uid" not in {row[1] for row in db.execute("PRAGMA table_info(events)")}:
        db.execute("ALTER TABLE events ADD COLUMN uid TEXT")


def _has_offsets(db: sqlite3.Connection) -> bool:
    return "utc_offset" in {row[1] for row in db.execute("PRAGMA table_info(events)")}


def _add_offset_column(db: sqlite3.Connection) -> None:
    """Give a journal of an earlier release its utc_offset column and its rows their
    best-guess offsets, in one transaction (the column's presence marks it done; looked
    at again under the write lock, as another process may have just done it).
    A row added later by an earlier release (NULL) is read in the local zone."""
    if _has_offsets(db):
        return
    if not db.in_transaction:
        db.execute("BEGIN IMMEDIATE")
    if not _has_offsets(db):
        db.execute("ALTER TABLE events ADD COLUMN utc_offset INTEGER")
        fill_offsets(db)


class Journal:
    """Append-only event log in the SQLite file at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # A damaged or foreign journal is kept beside (never deleted) and a fresh one
        # started, so the door keeps logging; `journal rebuild` recovers its rows.
        create_private(path, _SCHEMA + _REFUSALS_SCHEMA, self._connect, JournalError, JOURNAL,
                       "a fresh journal is started, so the door keeps logging")
        with self._open() as db, db:
            _add_uid_column(db)
            _add_offset_column(db)
            db.executescript(_CENTRAL_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA synchronous = FULL")
        return db

    def _open(self) -> AbstractContextManager[sqlite3.Connection]:
        """A connection that is closed afterwards; SQLite errors become JournalError."""
        return connection(self.path, self._connect, JournalError)

    def record(self, event: AttendanceEvent) -> AttendanceEvent:
        """Commit `event` (with its expression, age and gender, in one transaction) and return it
        with its journal id; an event without a UTC offset gets the local zone's."""
        uid = uuid.uuid4().hex
        offset = (local_time.offset_at(event.timestamp) if event.utc_offset is None
                  else event.utc_offset)
        with self._open() as db, db:
            event_id = db.execute(
                "INSERT INTO events (timestamp, person_id, name, camera, distance, kind, uid,"
                " utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (event.timestamp.isoformat(timespec="seconds"), event.person_id, event.name,
                 event.camera, event.distance, event.kind, uid, int(offset.total_seconds())),
            ).lastrowid
            if event.expression is not None:
                db.execute("INSERT INTO expressions (event_id, label, probability)"
                           " VALUES (?, ?, ?)",
                           (event_id, event.expression.label, event.expression.probability))
            if (estimate := event.age_gender) is not None:
                db.execute("INSERT INTO event_estimates VALUES (?, ?, ?, ?)",
                           (event_id, estimate.age, estimate.gender, estimate.probability))
        return replace(event, event_id=event_id, void=None, repeat=None, uid=uid,
                       utc_offset=offset)

    def events(self) -> list[AttendanceEvent]:
        """Every event, in the order recorded: the whole journal, for checks and tools,
        never on a path that runs per event."""
        return self.events_after(0)

    def events_after(self, event_id: int, limit: int = -1) -> list[AttendanceEvent]:
        """The events newer than `event_id`, oldest first, at most `limit` (-1: all): a range
        of the primary key, so a writer catching up with a few new events reads just those."""
        with self._open() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM events e {_MARKS} WHERE e.id > ?"
                              " ORDER BY e.id LIMIT ?", (event_id, limit)).fetchall()
        return [_event(row) for row in rows]

    def events_between(self, start: datetime, end: datetime) -> list[AttendanceEvent]:
        """Events from `start` up to (not including) `end`, in journal order.

        The time range is looked up in the timestamp index, so this costs the slice
        asked for, however long the journal is.
        """
        with self._open() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM events e INDEXED BY events_by_time {_MARKS}"
                " WHERE e.timestamp >= ? AND e.timestamp < ? ORDER BY e.id",
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

    def event(self, event_id: int) -> AttendanceEvent | None:
        """The event with id `event_id` and its void mark, or None if there is none."""
        with self._open() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM events e {_MARKS} WHERE e.id = ?",
                             (event_id,)).fetchone()
        return None if row is None else _event(row)

    def void(self, event_id: int, mark: Void) -> bool:
        """Mark event `event_id` void with `mark`; False if it was void already. The event's
        own row is left as it is (voiding only ever adds a line)."""
        with self._open() as db, db:
            added = db.execute(
                "INSERT OR IGNORE INTO voids (event_id, voided_at, voided_by, reason)"
                " VALUES (?, ?, ?, ?)",
                (event_id, mark.at.isoformat(timespec="seconds"), mark.by, mark.reason))
            return added.rowcount == 1

    def last_void_id(self) -> int:
        """The number of the newest void, 0 when none: it changes whenever a row is
        voided, by this process or another, so a running app can notice at little cost."""
        with self._open() as db:
            return db.execute("SELECT COALESCE(MAX(id), 0) FROM voids").fetchone()[0]

    def voided_after(self, void_id: int) -> tuple[int, list[AttendanceEvent]]:
        """(the newest void's number, the events voided after void `void_id`)."""
        with self._open() as db:
            rows = db.execute(f"SELECT v.id, {_COLUMNS} {_VOIDED} WHERE v.id > ? ORDER BY v.id",
                              (void_id,)).fetchall()
        return (rows[-1][0] if rows else void_id), [_event(row[1:]) for row in rows]

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

    def refuse(self, refusal: Refusal) -> Refusal:
        """Commit `refusal` (to the refusals table, never among the events) and return it
        with its id."""
        with self._open() as db, db:
            refusal_id = db.execute(
                "INSERT INTO refusals (timestamp, person_id, name, camera, distance, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (refusal.timestamp.isoformat(timespec="seconds"), refusal.person_id,
                 refusal.name, refusal.camera, refusal.distance, refusal.reason),
            ).lastrowid
        return replace(refusal, refusal_id=refusal_id)

    def refusals(self) -> list[Refusal]:
        """Every refusal, oldest first: for checks and tools, never per event."""
        with self._open() as db:
            rows = db.execute("SELECT id, timestamp, person_id, name, camera, distance, reason"
                              " FROM refusals ORDER BY id").fetchall()
        return [Refusal(datetime.fromisoformat(row[1]), *row[2:], refusal_id=row[0])
                for row in rows]

    # Sending to the central database (attendance_app.central.pusher): the journal is the
    # outbox, and how far it was sent is kept in it, in the same file as the rows.

    @property
    def door_id(self) -> str:
        """This journal's door in the central log (made when the journal was created)."""
        with self._open() as db:
            return db.execute("SELECT value FROM journal_meta WHERE key = 'door_id'"
                              ).fetchone()[0]

    def join_central(self, site: str | None = None) -> None:
        """Start sending from the next event on, the first time a database is configured:
        the rows before name people by this door's own ids, which mean nothing there.
        `site`: the site of the door's copy of the roster, which the rows' people are of
        (central.site), when the journal is bound to none yet. joined_after keeps where
        sending began (a journal that joined before it was kept: where sending stands)."""
        with self._open() as db, db:
            db.execute("INSERT OR IGNORE INTO journal_meta SELECT 'joined_after', COALESCE("
                       "(SELECT upto FROM central_push WHERE what = 'events'), MAX(id), 0)"
                       " FROM events")
            if site is not None:
                db.execute("INSERT OR IGNORE INTO journal_meta VALUES ('site_id', ?)", (site,))
            db.execute("INSERT OR IGNORE INTO central_push SELECT 'events', COALESCE(MAX(id), 0)"
                       " FROM events")
            db.execute("INSERT OR IGNORE INTO central_push SELECT 'voids', COALESCE(MAX(id), 0)"
                       " FROM voids")

    def _meta(self, key: str) -> str | None:
        with self._open() as db:
            row = db.execute("SELECT value FROM journal_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @property
    def site_id(self) -> str | None:
        """The central site this journal's rows are bound to (central.site); None before
        its first contact with one."""
        return self._meta("site_id")

    @property
    def joined_after(self) -> int:
        """The last event before this door began sending to its site: the rows after it
        are the ones `database adopt` sends again."""
        return int(self._meta("joined_after") or 0)

    def bind_site(self, site: str, joined_after: int | None = None) -> None:
        """Bind the rows not yet sent to `site`; with `joined_after`, sending to it is
        taken to have begun after that event (a door moved to another site)."""
        with self._open() as db, db:
            db.execute("INSERT OR REPLACE INTO journal_meta VALUES ('site_id', ?)", (site,))
            if joined_after is not None:
                db.execute("INSERT OR REPLACE INTO journal_meta VALUES ('joined_after', ?)",
                           (str(joined_after),))

    def _sent(self, db: sqlite3.Connection, what: str) -> int:
        row = db.execute("SELECT upto FROM central_push WHERE what = ?", (what,)).fetchone()
        return 0 if row is None else row[0]

    def unsent_events(self, limit: int) -> list[AttendanceEvent]:
        """The oldest events not yet confirmed by the central database, at most `limit`."""
        with self._open() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM events e {_MARKS} WHERE e.id > ?"
                              " ORDER BY e.id LIMIT ?", (self._sent(db, "events"), limit)
                              ).fetchall()
        return [_event(row) for row in rows]

    def unsent_voids(self, limit: int) -> list[tuple[int, AttendanceEvent]]:
        """(void number, the voided event) of the voids not yet sent, oldest first."""
        with self._open() as db:
            rows = db.execute(f"SELECT v.id, {_COLUMNS} {_VOIDED} WHERE v.id > ?"
                              " ORDER BY v.id LIMIT ?",
                              (self._sent(db, "voids"), limit)).fetchall()
        return [(row[0], _event(row[1:])) for row in rows]

    def unsent_count(self) -> int:
        """How many events wait to be sent (for messages)."""
        with self._open() as db:
            return db.execute("SELECT COUNT(*) FROM events WHERE id > ?",
                              (self._sent(db, "events"),)).fetchone()[0]

    def mark_sent(self, what: str, upto: int) -> None:
        """Events ('events') or voids ('voids') up to local id `upto` reached the server."""
        with self._open() as db, db:
            db.execute("INSERT OR REPLACE INTO central_push VALUES (?, ?)", (what, upto))
