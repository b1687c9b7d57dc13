"""The messages waiting to leave, in a SQLite file of their own that survives restarts.

Why a file of its own (messages.sqlite3 in the data folder), not a table in the journal:
the sender thread marks rows sent all day long, and in the journal's file each of those
writes would take the same write lock the camera's thread needs to commit a row; the
journal is also rebuilt and copied as the source of truth, where a queue of deliveries
has no place. The price is a second commit after the journal's: an arrival is appended
right after its row is committed, in the same call (AttendanceRecorder's on_event).

One row per message and channel ("webhook", "email"), so a webhook that is down never
holds up the e-mail. Each row has a key (uuid4) sent with it (the JSON's "key" and the
Idempotency-Key header), so a receiver can drop the repeat that follows a crash between
sending and marking it sent; `once` (unique) makes the daily summary a row per day and an
arrival a row per journal row (its uid), so the arrivals a crash kept from being queued
are queued at the next start, and never twice (attendance_app.app.messaging.catch_up).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from attendance_app.errors import AttendanceError
from enrolment.sqlite_files import OUTBOX, create_private, storage_problem

OUTBOX_FILE = "messages.sqlite3"
CHANNELS = ("webhook", "email")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    once TEXT UNIQUE,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    sent TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (channel, id) WHERE sent IS NULL;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Message:
    """One message on one channel: `payload` is the JSON object sent (with its `key`)."""

    row_id: int
    key: str
    channel: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    next_try: float


@dataclass(frozen=True)
class OutboxStatus:
    """What `messages status` says: waiting messages, the newest error, the last sent."""

    pending: int
    last_error: str | None
    last_error_at: str | None
    last_sent: str | None
    sent: int


_FRESH_START = "the messages that waited in it are not sent"


class OutboxError(AttendanceError):
    """The outbox cannot be read or written (a full disk, a damaged file); one line."""


class Outbox:
    """The queue of messages, safe to use from several threads (one connection, a lock).
    The file is made owner-only (it names people); a damaged one is moved aside with a
    warning and a new one started, so messages never stop a door."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        create_private(path, _SCHEMA, lambda: sqlite3.connect(path, timeout=30), OutboxError,
                       OUTBOX, _FRESH_START)
        try:
            self._db = sqlite3.connect(path, timeout=30, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across app crashes
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)",
                             (datetime.now(timezone.utc).isoformat(timespec="seconds"),))
            self.created = datetime.fromisoformat(self._db.execute(
                "SELECT value FROM meta WHERE name = 'created'").fetchone()[0])
            """When messages were first on here (aware): rows older are never caught up."""
        except sqlite3.Error as error:
            raise OutboxError(storage_problem(path, error)) from None

    def append(self, channel: str, kind: str, payload: dict[str, Any],
               once: str | None = None) -> bool:
        """Queue `payload` on `channel`; with `once`, only if no row had that label yet
        (False then). Committed when this returns."""
        key = uuid.uuid4().hex
        body = json.dumps({**payload, "key": key, "kind": kind}, ensure_ascii=False)
        try:
            with self._lock:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO outbox (key, once, channel, kind, payload, created) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (key, once, channel, kind, body, datetime.now().isoformat(timespec="seconds")))
        except sqlite3.Error as error:
            raise OutboxError(storage_problem(self.path, error)) from None
        return cursor.rowcount == 1

    def has(self, once: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM outbox WHERE once = ?",
                                    (once,)).fetchone() is not None

    def oldest(self, channel: str) -> Message | None:
        """The oldest message of `channel` not yet sent: messages leave in order."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, key, channel, kind, payload, attempts, next_try FROM outbox "
                "WHERE sent IS NULL AND channel = ? ORDER BY id LIMIT 1", (channel,)).fetchone()
        if row is None:
            return None
        return Message(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])

    def mark_sent(self, message: Message) -> None:
        with self._lock:
            self._db.execute("UPDATE outbox SET sent = ?, attempts = attempts + 1 WHERE id = ?",
                             (datetime.now().isoformat(timespec="seconds"), message.row_id))

    def mark_failed(self, message: Message, error: str, next_try: float) -> None:
        """A failed attempt: `error` (one line) kept, tried again at `next_try` (epoch s)."""
        with self._lock:
            self._db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_try = ? "
                "WHERE id = ?", (f"{datetime.now():%Y-%m-%d %H:%M:%S} {error}", next_try,
                                 message.row_id))

    def retry_now(self) -> None:
        """Make every waiting message due: a new start tries them at once, not after the
        back-off the last run left (the server may well be back)."""
        with self._lock:
            self._db.execute("UPDATE outbox SET next_try = 0 WHERE sent IS NULL")

    def forget_sent(self, before: datetime) -> int:
        """Delete the messages sent before `before` (naive local time): the outbox is a
        queue with a short memory of what left, not an archive that grows with history.
        Returns how many were deleted."""
        with self._lock:
            return self._db.execute("DELETE FROM outbox WHERE sent IS NOT NULL AND sent < ?",
                                    (before.isoformat(timespec="seconds"),)).rowcount

    def status(self) -> OutboxStatus:
        with self._lock:
            pending, sent = self._db.execute(
                "SELECT SUM(sent IS NULL), SUM(sent IS NOT NULL) FROM outbox").fetchone()
            error = self._db.execute(
                "SELECT last_error FROM outbox WHERE last_error IS NOT NULL "
                "ORDER BY last_error DESC LIMIT 1").fetchone()
            last = self._db.execute("SELECT MAX(sent) FROM outbox").fetchone()
        text = error[0] if error else None
        return OutboxStatus(pending or 0, text[20:] if text else None,
                            text[:19] if text else None, last[0], sent or 0)

    def close(self) -> None:
        with self._lock:
            self._db.close()
