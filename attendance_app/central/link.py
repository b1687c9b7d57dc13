"""A running door's link to the central database: sending its rows, hearing the others.

Two background threads, each with a connection of its own:
- the pusher (central.pusher) sends the door's journal;
- the listener waits on LISTEN for the other doors: a roster change is pulled into the
  door's copy at once (roster_version goes up, and the window or the headless run hands
  the pipeline a new gallery), and the other doors' arrivals of the day are passed to the
  door's attendance policy, so a person who came in by another door a minute ago gets no
  second row here (`arrivals_elsewhere`).
A lost connection is retried with back-off; the first failure of either thread is logged
once, and the recovery once. Meanwhile the door recognises people from its copy and
commits rows to its own journal, as it does alone.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, time

import psycopg

from attendance_app.central.database import CentralDatabase, DatabaseError, Reachability
from attendance_app.central.pusher import FIRST_WAIT_SECONDS, MAX_WAIT_SECONDS, JournalPusher
from attendance_app.central.records import COLUMNS, FROM_EVENTS, event_from_row
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.schema import EVENTS_CHANNEL, ROSTER_CHANNEL
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from enrolment import StoreError

log = logging.getLogger(__name__)

LISTEN_POLL_SECONDS = 1.0
"""How often the listener looks up from waiting, to notice that it must stop."""


class CentralLink:
    """Sends `journal` to `database` and keeps `store` (the door's copy) up to date.

    on_roster_changed and on_central_events are called from the listener thread: after a
    pull changed the copy, and whenever any door's rows reached the server or the copy
    changed (the door keeping the workbook writes it then, with the calendar pulled).
    """

    def __init__(self, database: CentralDatabase, store: SharedFaceStore, journal: Journal,
                 on_roster_changed: Callable[[], None] = lambda: None,
                 on_central_events: Callable[[], None] = lambda: None,
                 max_wait: float = MAX_WAIT_SECONDS,
                 reachability: Reachability | None = None) -> None:
        self.database = database
        self.store = store
        self.door = journal.door_id
        self.on_roster_changed = on_roster_changed
        self.on_central_events = on_central_events
        self.max_wait = max_wait
        self.reachability = reachability or Reachability.of(database)
        self.pusher = JournalPusher(journal, database, max_wait=max_wait,
                                    reachability=self.reachability,
                                    check_copy=store.check_site)
        self.roster_version = 0
        self._copy_problem = ""  # the copy's last failure, said once
        self._arrivals: collections.deque[AttendanceEvent] = collections.deque()
        self._seen_seq: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="central-listener",
                                        daemon=True)

    def start(self, hear_first: bool = True) -> CentralLink:
        """Start both threads. hear_first: first hear of the other doors' rows of today,
        here and now, so that a run's first face already counts them (a photo is judged
        at once); skipped when the server was found unreachable already, and by the
        window, which must not wait for a network (its models load meanwhile, and the
        listener hears them first thing)."""
        if hear_first and self.reachability.failure is None:
            try:
                with self.database.connect(autocommit=True) as db:
                    self._hear_arrivals(db)
            except psycopg.Error as error:
                self.reachability.failed(str(self.database.problem(error)))
            except DatabaseError as error:
                self.reachability.failed(str(error))
        self.pusher.start()
        self._thread.start()
        return self

    def notify(self) -> None:
        """A row was committed to the door's journal: send it."""
        self.pusher.notify()

    def arrivals_elsewhere(self) -> list[AttendanceEvent]:
        """The other doors' rows heard since the last call (today's, oldest first)."""
        taken = []
        while self._arrivals:
            taken.append(self._arrivals.popleft())
        return taken

    def close(self, timeout: float = 10.0) -> None:
        """Stop listening; send what waits if the server answers within `timeout`."""
        self._stop.set()
        self.pusher.close(timeout)
        self._thread.join(timeout)

    def _listen(self) -> None:
        wait = FIRST_WAIT_SECONDS
        while not self._stop.is_set():
            try:
                with self.database.connect(autocommit=True) as db:
                    db.execute(f"LISTEN {ROSTER_CHANNEL}")
                    db.execute(f"LISTEN {EVENTS_CHANNEL}")
                    self._catch_up(db)  # what was missed while not listening
                    self.reachability.reached()
                    wait = FIRST_WAIT_SECONDS
                    while not self._stop.is_set():
                        heard = {note.channel for note in
                                 db.notifies(timeout=LISTEN_POLL_SECONDS)}
                        emptied = self.store.emptied.is_set()  # found damaged: made again
                        self.store.emptied.clear()
                        if ROSTER_CHANNEL in heard or emptied:
                            self._pull()
                        if EVENTS_CHANNEL in heard:
                            self._hear_arrivals(db)
            except psycopg.Error as error:
                self.reachability.failed(str(self.database.problem(error)))
            except DatabaseError as error:
                self.reachability.failed(str(error))
            except StoreError as error:  # the copy: damaged (made again at the retry), disk full
                if str(error) != self._copy_problem:
                    log.warning("%s", error)
                self._copy_problem = str(error)
            self._stop.wait(wait)
            wait = min(wait * 2, self.max_wait)

    def _catch_up(self, db: psycopg.Connection) -> None:
        self._pull()
        self._hear_arrivals(db)

    def _pull(self) -> None:
        if self.store.pull():
            self.roster_version += 1
            self.on_roster_changed()
            self.on_central_events()  # a closed day or leave: the workbook's months change

    def _hear_arrivals(self, db: psycopg.Connection) -> None:
        """Queue the other doors' rows of today that reached the server since last time."""
        if self._seen_seq is None:
            condition, params = "e.timestamp >= %s", (datetime.combine(date.today(), time.min),)
        else:
            condition, params = "e.seq > %s", (self._seen_seq,)
        rows = db.execute(f"SELECT {COLUMNS}, e.door {FROM_EVENTS} WHERE {condition}"
                          " ORDER BY e.seq", params).fetchall()
        if self._seen_seq is not None or rows:
            self._seen_seq = max([self._seen_seq or 0, *(row[0] for row in rows)])
        self._arrivals.extend(event_from_row(row[:-1]) for row in rows
                              if row[-1] != self.door and row[7] is None)
        if rows:
            self.on_central_events()
