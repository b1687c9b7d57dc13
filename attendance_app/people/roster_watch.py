"""Noticing, at a running door, people enrolled, renamed or forgotten by another process.

A single door (no central database) shares its face store with every command run beside
it: `attendance-app forget NAME` in a second terminal changes the file, not the running
door's gallery, which was read at start. Without a look at the file the door went on
logging the forgotten person (issue 20). The store counts every change that matters to a
gallery (FaceStore.change_counter, one row); the door reads it between frames, at most
every CHECK_EVERY_S, and rebuilds its gallery when it moved. With a central database the
link does this job (CentralLink.roster_version).

Measured at 2,000 people (5 photos each, both engines) on the 2-core machine: one look
0.16 ms; a rebuilt gallery about 0.2 s, paid once per change, not per look.
"""

from __future__ import annotations

import time

from enrolment import FaceStore, StoreError

CHECK_EVERY_S = 1.0
"""How often the running door looks: a forgotten person may still be logged within about
this long (plus the few frames a face takes to be encoded and voted on)."""


class RosterWatch:
    """Says when `store` changed since the last time it said so (or since it was made)."""

    def __init__(self, store: FaceStore, every: float = CHECK_EVERY_S) -> None:
        self.store = store
        self.every = every
        self._seen = self._counter()
        self._next = time.monotonic() + every

    def _counter(self) -> int | None:
        """The store's change counter; None when it cannot be read just now (the disk is
        busy or full: the gallery in use stays, and the next look tries again)."""
        try:
            return self.store.change_counter()
        except StoreError:
            return None

    def changed(self) -> bool:
        """True once after each change; reads the store no more often than `every`."""
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + self.every
        counter = self._counter()
        if counter is None or counter == self._seen:
            return False
        self._seen = counter
        return True
