"""Writing the workbooks in a thread of their own, so recording never waits for a save.

The camera loop commits an event to the journal (milliseconds) and calls notify(); this
thread then brings the month workbook up to date (about a second for a month of a large
school). Events that arrive while a save runs are written together by the next one. A
save that fails (the workbook is open in Excel, the disk is full) is retried with growing
pauses, and in the meantime the rows wait in the journal, where they are safe: a process
killed at any moment loses no row, and the next start writes what is missing.
"""

from __future__ import annotations

import logging
import threading
import time

from attendance_app.records.workbook_sync import WorkbookSync

log = logging.getLogger(__name__)

RETRY_SECONDS = (2.0, 5.0, 10.0, 30.0, 60.0)
"""Pauses before retrying a failed save: soon at first (someone closing Excel), then
rarely, so a workbook left open all day costs little."""

SETTLE_SECONDS = 0.2
"""How long the thread waits after being woken before saving, so that people arriving
together (a group at the door) share one save."""


class WorkbookWriter:
    """Runs WorkbookSync.flush in a background thread whenever events are waiting.

    The thread starts at once and first brings the workbook level with the journal.
    notify() never blocks; flush() waits for the rows so far to be written (for shutdown
    and tests); close() writes what is waiting and stops the thread.
    """

    def __init__(self, sync: WorkbookSync, settle_seconds: float = SETTLE_SECONDS) -> None:
        self.sync = sync
        self.settle_seconds = settle_seconds
        self._changed = threading.Condition()
        # Requests so far; the first is the start itself: rows a killed run left in the
        # journal are written at once, not at the first new arrival.
        self._requested = 1
        self._attempted = 0  # requests covered by the last finished save attempt
        self._last_ok = True
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="workbook-writer", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """Events are waiting in the journal; returns at once."""
        with self._changed:
            self._requested += 1
            self._changed.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything recorded so far has been saved (or the save failed)."""
        with self._changed:
            self._requested += 1
            wanted = self._requested
            self._changed.notify_all()
            done = self._changed.wait_for(
                lambda: self._attempted >= wanted or not self._thread.is_alive(), timeout)
            return done and self._attempted >= wanted and self._last_ok

    def close(self, timeout: float | None = None) -> None:
        """Save what is waiting, then stop the thread (rows not saved stay in the journal)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while True:
            with self._changed:
                if not self._stopping and self._requested == self._attempted:
                    retry = RETRY_SECONDS[min(failures, len(RETRY_SECONDS)) - 1]
                    self._changed.wait(retry if failures else None)
                stopping = self._stopping
            if not stopping and self.settle_seconds:
                time.sleep(self.settle_seconds)
            with self._changed:
                wanted = self._requested
            ok = self._save()
            failures = 0 if ok else failures + 1
            with self._changed:
                self._attempted = max(self._attempted, wanted)
                self._last_ok = ok
                self._changed.notify_all()
            if stopping:
                return

    def _save(self) -> bool:
        """One save; a bug in it is reported, not allowed to end the thread silently."""
        try:
            return self.sync.flush()
        except Exception:
            log.exception("the workbook could not be written; its rows wait in the journal")
            return False
