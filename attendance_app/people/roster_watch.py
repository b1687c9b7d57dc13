"""Noticing, at a running door, people enrolled, renamed or forgotten by another process.

A single door (no central database) shares its face store with every command run beside
it: `attendance-app forget NAME` in a second terminal changes the file, not the running
door's gallery, which was read at start. Without a look at the file the door went on
logging the forgotten person (issue 20). The store counts every change that matters to a
gallery (FaceStore.change_counter, one row); the door reads it between frames, at most
every CHECK_EVERY_S, and when it moved brings its gallery up to date, reading only the
people changed (brought_up_to_date). With a central database the link says when it moved
(CentralLink.roster_version).

Measured at 2,000 people (5 photos each, both engines) on the 2-core machine: one look
0.16 ms. Taking in one change at 20,000 people: 4 to 11 ms, against 0.4 to 0.9 s to read
the whole gallery again (docs/measurements/people_scale.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from enrolment import FaceStore, Gallery, StoreError

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


MOST_REPLACED = 500
"""More people changed at once than this (a folder enrolled beside the door): the gallery
is read again whole, which then costs less than replacing them one by one."""


def brought_up_to_date(store: FaceStore, gallery: Gallery, engine: str, since: int,
                       rebuild: Callable[[], Gallery]) -> tuple[int, Gallery]:
    """`gallery` (of `engine`'s encodings, made when the store's change counter was
    `since`) as the store holds it now, and the counter it then reflects.

    Only the people changed since are read and replaced (Gallery.replacing): a running
    door takes a roster change at 20,000 people in milliseconds instead of reading every
    encoding (benchmarks/roster_copy.py). `rebuild` makes the whole gallery when the
    store's log cannot say who changed (too long ago, a voided row), when too many did,
    or when a changed person has a shot not yet encoded by `engine` (the rebuild encodes
    it). The counter is read before the encodings: a change made meanwhile is taken in
    again at the next look, which changes nothing twice."""
    counter, people = store.changed_since(since, engine)
    if people is not None and not people:
        return counter, gallery
    if people is None or len(people) > MOST_REPLACED:
        return counter, rebuild()
    changed = sorted(people)
    return counter, gallery.replacing(changed, store.encoding_table(engine, changed))
