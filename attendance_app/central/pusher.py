"""Sending a door's journal to the central database, in the background, exactly once.

The local journal is the outbox: an event is committed there first (so nothing is lost
while the network or the server is down) and sent afterwards by this thread, in batches,
oldest first. The server keys events by the id made at the door (events.uid) and ignores
a second copy, and the door notes how far it got only after the server committed: a door
killed between the two sends the batch again at its next start, and nothing is doubled.

While the server cannot be reached the thread retries with back-off (1 s doubling up to
max_wait) and logs one warning, and one line again when the rows have gone through.

Rows are bound to the site of the journal (central.site): every batch first reads the
site of the database it goes to, and a database of another site (or one that looks
emptied) gets nothing; the rows wait, as while the server is down, with one warning that
names the command that resolves it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
from psycopg.types.json import Json

from attendance_app import local_time
from attendance_app.central.database import CentralDatabase, DatabaseError, Reachability
from attendance_app.central.schema import EVENTS_CHANNEL, EVENTS_LOCK
from attendance_app.central.site import ServerSite, SiteMismatch, check, read_site
from attendance_app.records.journal import Journal, JournalError
from attendance_app.types import AttendanceEvent

BATCH = 500
"""Events per transaction: a door that was offline for a day catches up in a few."""

FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 15.0
"""Back-off between attempts while the server cannot be reached: soon after a short
glitch, and at most this long after the server came back."""

IDLE_LOOK_SECONDS = 30.0
"""With nothing to send, how often the thread looks at the journal anyway: a row voided
by `attendance-app void` in another process is sent within this time."""

_INSERT = """
INSERT INTO events (uid, door, timestamp, person_id, name, camera, distance, kind,
                    expression, expression_probability, utc_offset, age, gender,
                    gender_probability)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (uid) DO NOTHING
"""
# A row that reached the server after a later row of the same person and day (its door
# was offline) may change which of that day's rows is the repeat: its month is marked for
# a rewrite of the workbook (central.records). Only rows this transaction added (received
# now()) are marked: a batch sent again marks nothing twice. "Later" is by the instant
# (wall time less its UTC offset): on the night the clocks go back, 02:20 may follow 02:50.
_MARK_LATE = """
INSERT INTO marks (event_uid)
SELECT n.uid FROM events n WHERE n.uid = ANY(%s) AND n.received_at = now() AND EXISTS (
    SELECT 1 FROM events o WHERE o.person_id = n.person_id
    AND o.timestamp - make_interval(secs => COALESCE(o.utc_offset, 0))
        > n.timestamp - make_interval(secs => COALESCE(n.utc_offset, 0))
    AND o.timestamp < date_trunc('day', n.timestamp) + interval '1 day' AND o.uid <> n.uid)
"""

# A void of a row the server never had (recorded before the door joined) is left out.
_INSERT_VOID = """
WITH added AS (INSERT INTO voids SELECT %s, %s, %s, %s
               WHERE EXISTS (SELECT 1 FROM events WHERE uid = %s)
               ON CONFLICT (event_uid) DO NOTHING RETURNING event_uid)
INSERT INTO marks (event_uid) SELECT event_uid FROM added
"""


def event_uid(event: AttendanceEvent, door: str) -> str:
    """The event's id on the server: the one made at the door, or for a row of an earlier
    version (which had none) one made from the door and the row's number."""
    return event.uid or f"{door}-{event.event_id}"


def send_events(db: psycopg.Connection, door: str, events: list[AttendanceEvent]) -> None:
    """Insert `events` of `door` (those the server has already are left as they are) and
    tell the doors; in the caller's transaction."""
    uids = [event_uid(event, door) for event in events]
    db.execute("SELECT pg_advisory_xact_lock(%s)", (EVENTS_LOCK,))
    with db.cursor() as cursor:
        cursor.executemany(_INSERT, [
            (uid, door, e.timestamp, e.person_id, e.name, e.camera, e.distance, e.kind,
             e.expression.label if e.expression else None,
             e.expression.probability if e.expression else None,
             local_time.offset_seconds(e.moment),
             *((e.age_gender.age, e.age_gender.gender, e.age_gender.probability)
               if e.age_gender else (None, None, None)))
            for uid, e in zip(uids, events)])
    db.execute(_MARK_LATE, (uids,))
    db.execute("SELECT pg_notify(%s, %s::text)",
               (EVENTS_CHANNEL, Json({"door": door, "count": len(events)})))


def send_voids(db: psycopg.Connection, door: str,
               voids: list[tuple[int, AttendanceEvent]]) -> None:
    """Insert the voids of `voids` ((void number, voided event) of `door`) and tell the
    doors; in the caller's transaction."""
    rows = [(event_uid(event, door), event.void.at, event.void.by, event.void.reason)
            for _, event in voids if event.void is not None]
    db.execute("SELECT pg_advisory_xact_lock(%s)", (EVENTS_LOCK,))  # marks: see schema
    with db.cursor() as cursor:
        cursor.executemany(_INSERT_VOID, [(*row, row[0]) for row in rows])
    db.execute("SELECT pg_notify(%s, %s::text)",
               (EVENTS_CHANNEL, Json({"door": door, "count": 0})))


class JournalPusher:
    """Sends the events and voids of `journal` to `database` from a thread of its own.

    on_sent is called (in that thread) with the events each successful batch sent.
    check_copy: also refuses a database (SiteMismatch) that the door's copy of the roster
    finds emptied (SharedFaceStore.check_site).
    """

    def __init__(self, journal: Journal, database: CentralDatabase,
                 on_sent: Callable[[list[AttendanceEvent]], None] = lambda events: None,
                 max_wait: float = MAX_WAIT_SECONDS,
                 reachability: Reachability | None = None,
                 check_copy: Callable[[ServerSite], None] = lambda server: None) -> None:
        self.journal = journal
        self.check_copy = check_copy
        self.database = database
        self.on_sent = on_sent
        self.max_wait = max_wait
        self.door = journal.door_id
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._db: psycopg.Connection | None = None
        self.reachability = reachability or Reachability.of(database)
        self.sent = 0
        self._thread = threading.Thread(target=self._run, name="central-pusher", daemon=True)

    def start(self) -> JournalPusher:
        self._thread.start()
        return self

    def notify(self) -> None:
        """A new event (or void) is in the journal: send it now."""
        self._wake.set()

    def close(self, timeout: float = 10.0) -> None:
        """Send what waits (if the server answers within `timeout`) and stop."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        wait = FIRST_WAIT_SECONDS
        while True:
            try:
                if self.push_once():  # the server took a batch: it is reachable
                    self.reachability.reached()
                    while self.push_once():
                        pass
                wait = FIRST_WAIT_SECONDS
                if self._stop.is_set():
                    break
                self._wake.wait(IDLE_LOOK_SECONDS)
            except (DatabaseError, JournalError) as error:
                self.reachability.failed(f"{error}; {self._waiting()}")
                if self._stop.is_set():
                    break
                self._wake.wait(wait)
                wait = min(wait * 2, self.max_wait)
            self._wake.clear()
        self._disconnect()

    def push_once(self) -> bool:
        """Send one batch of events, then of voids; True if anything was sent (more may
        wait). DatabaseError when the server cannot take it (nothing is marked sent)."""
        events = self.journal.unsent_events(BATCH)
        voids = [] if events else self.journal.unsent_voids(BATCH)
        if not events and not voids:
            return False
        db = self._connection()
        try:
            # Pipelined: after the site check (one round trip), the rest of the transaction
            # goes to the server in about one more, so the events lock is held for the
            # server's work, not the network's.
            with db.pipeline(), db.transaction():
                self._check_site(db)  # one round trip, before the events lock is taken
                if events:
                    send_events(db, self.door, events)
                else:
                    send_voids(db, self.door, voids)
        except psycopg.Error as error:
            self._disconnect()
            raise self.database.problem(error) from None
        except SiteMismatch:
            self._disconnect()
            raise
        if events:
            self.journal.mark_sent("events", events[-1].event_id or 0)
            self.sent += len(events)
            self.on_sent(events)
        else:
            self.journal.mark_sent("voids", voids[-1][0])
        return True

    def _check_site(self, db: psycopg.Connection) -> None:
        """SiteMismatch unless `db` is the site the journal's rows are bound to; a journal
        bound to none yet is bound to this one."""
        server = read_site(db, self.database)
        if self.journal.site_id is None:
            self.journal.bind_site(server.site_id)
        check(self.database, server, self.journal.site_id)
        self.check_copy(server)

    def _connection(self) -> psycopg.Connection:
        if self._db is None or self._db.closed:
            self._db = self.database.connect()
        return self._db

    def _disconnect(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _waiting(self) -> str:
        """'3 rows wait in this door's journal', for the warning."""
        try:
            count = self.journal.unsent_count()
        except JournalError as error:
            return str(error)
        return f"{count} {'row waits' if count == 1 else 'rows wait'} in this door's journal"
