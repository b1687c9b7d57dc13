"""The events the API serves, page by page, from the door's journal or the site's central log.

The door commits each arrival to its journal (SQLite, in its rollback mode): a reader that
held the file's shared lock while a slow client took its answer would hold up the door's
next commit. So the journal is opened read-only (`mode=ro`: the web service never creates,
upgrades or writes it, and never takes a write lock), each page is read whole in one short
query and the connection closed before a byte is sent; a client reading one byte a second
costs the door nothing. With a central database the log is PostgreSQL's (central.records),
where readers never block writers.

A page is the events in the order they were recorded (the journal's ids; the central log's
numbers), as corrected (records.corrections), after a cursor: a client polls with the
`after_id` of its last page and receives only what is new. `since` says where a first
request starts: at the first event logged at or after that time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from attendance_app.central.records import CentralJournal
from attendance_app.records.corrections import CorrectedJournal, Correction
from attendance_app.types import AttendanceEvent

READ_WAIT_S = 5
"""How long a read waits for a door's commit in progress (a few milliseconds as a rule)."""


class EventLog(Protocol):
    """What a page is read from: the journal read-only, or the central log."""

    def first_since(self, since: datetime) -> int | None: ...

    def events_after(self, event_id: int, limit: int) -> list[AttendanceEvent]: ...


class ReadOnlyJournal(CorrectedJournal):
    """The journal at `path` read through its corrections, opened read-only: its writes
    (void, corrections) fail; nothing is created when there is no journal yet (no door has
    logged here), which reads as no events."""

    def __init__(self, path: Path) -> None:  # no set-up: the door's Journal made the file
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=READ_WAIT_S)

    def _corrections(self, db: sqlite3.Connection, where: str,
                     params: tuple) -> list[Correction]:
        """None in a journal that has no table of corrections yet (the door's corrected view
        makes it on its first start; this view makes nothing)."""
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'corrections'").fetchone() is None:
            return []
        return super()._corrections(db, where, params)

    def events_after(self, event_id: int, limit: int = -1) -> list[AttendanceEvent]:
        return super().events_after(event_id, limit) if self.path.exists() else []

    def events_between(self, start: datetime, end: datetime) -> list[AttendanceEvent]:
        return super().events_between(start, end) if self.path.exists() else []

    def first_since(self, since: datetime) -> int | None:
        """The id of the first event logged at or after `since` (local wall time), None
        when there is none; through the time index, so it costs the events since then."""
        if not self.path.exists():
            return None
        with self._open() as db:
            return db.execute("SELECT MIN(id) FROM events INDEXED BY events_by_time"
                              " WHERE timestamp >= ?",
                              (since.isoformat(timespec="seconds"),)).fetchone()[0]


class CentralFeed(CentralJournal):
    """The central log as the API reads it: CentralJournal, and where a `since` starts."""

    def first_since(self, since: datetime) -> int | None:
        """The number of the first event logged at or after `since`, None when there is none."""
        with self._reading() as db:
            row = db.execute("SELECT MIN(seq) FROM events WHERE timestamp >= %s", (since,)).fetchone()
        return None if row is None else row[0]

    def events_after(self, seq: int, limit: int | None = None) -> list[AttendanceEvent]:
        return super().events_after(seq, None if limit is None or limit < 0 else limit)


@dataclass(frozen=True)
class Page:
    """Up to `limit` events after the cursor; `last_id`: the cursor for the next page
    (the last event's id, or the cursor asked with when nothing is new); `more`: whether
    more events wait after this page."""

    events: list[AttendanceEvent]
    last_id: int
    more: bool


def read_page(log: EventLog, after_id: int, since: datetime | None, limit: int) -> Page:
    """The page of events after `after_id` (and from the first logged at or after `since`,
    when given), at most `limit`."""
    start = after_id
    if since is not None:
        first = log.first_since(since)
        if first is None:
            return Page([], after_id, False)
        start = max(start, first - 1)
    events = log.events_after(start, limit + 1)
    more = len(events) > limit
    events = events[:limit]
    return Page(events, events[-1].event_id or start if events else start, more)
