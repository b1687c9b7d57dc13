"""Saving sightings in a thread of its own, so the camera loop never waits for a disk.

A saved sighting costs a JPEG encoding and an SQLite commit (a few milliseconds, far more
on a slow or busy disk); the pipeline only hands the pass over (`put`) and carries on.
The same thread deletes the sightings older than keep_days when it starts and every
EXPIRY_CHECK_S after, so a window left open for weeks keeps no face longer than promised,
and the oldest beyond max_faces after each save (said once in the log: under that load
faces go before keep_days).
A failure (disk full, folder not writable) is logged once per kind and never stops the
camera: these faces are not attendance, and the run goes on without them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from attendance_app.i18n import N_, _, ngettext
from attendance_app.recognition.photos import face_thumbnail_bgr
from attendance_app.types import Box
from attendance_app.unknowns.store import NewSighting, UnknownsError, UnknownStore

log = logging.getLogger(__name__)

EXPIRY_CHECK_S = 3600.0
"""How often a running app deletes the sightings that have passed keep_days."""

CLOSE_WAIT_S = 10.0
"""Longest wait at the end of a run for the sightings still being saved."""


@dataclass(frozen=True)
class Pass:
    """A track that ended as Unknown, as the pipeline hands it over: when it was first
    seen clearly, by which camera, the BGR crop (the frame's) around its best face and that face's box
    in the crop, the face's height in frame pixels, and the engine's encodings (k, 128)
    of its clear looks."""

    seen_at: datetime
    camera: str
    crop: np.ndarray
    box: Box
    face_px: int
    engine: str
    vectors: np.ndarray


class SightingSaver:
    """Saves passes into `store` in the background and expires old sightings; call
    `close` at the end of the run."""

    def __init__(self, store: UnknownStore, keep_days: int, max_faces: int) -> None:
        self.store = store
        self.keep_days = keep_days
        self.max_faces = max_faces
        self._queue: queue.Queue[Pass | None] = queue.Queue()
        self._reported: set[str] = set()
        self._thread = threading.Thread(target=self._run, name="unknown-faces", daemon=True)
        self._thread.start()

    def put(self, passed: Pass) -> None:
        """Queue a pass to be saved; returns at once."""
        self._queue.put(passed)

    def close(self) -> None:
        """Save what is queued, then stop the thread (waiting at most CLOSE_WAIT_S)."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(CLOSE_WAIT_S)

    def _run(self) -> None:
        self._safely(N_("old unknown faces cannot be deleted"), self._expire)
        self._safely(N_("old unknown faces cannot be deleted"), self._trim)
        while True:
            try:
                passed = self._queue.get(timeout=EXPIRY_CHECK_S)
            except queue.Empty:
                self._safely(N_("old unknown faces cannot be deleted"), self._expire)
                continue
            if passed is None:
                return
            self._safely(N_("an unknown face cannot be saved"), lambda: self._save(passed))
            self._safely(N_("old unknown faces cannot be deleted"), self._trim)

    def _expire(self) -> None:
        deleted = self.store.expire(self.keep_days)
        if deleted:
            log.info("deleted %d unknown face%s kept longer than %d days", deleted,
                     "" if deleted == 1 else "s", self.keep_days)

    def _trim(self) -> None:
        dropped = self.store.trim(self.max_faces)
        if dropped and "cap" not in self._reported:
            self._reported.add("cap")
            log.warning(ngettext(
                "{count} unknown faces are kept, the most unknowns.max_faces allows: the "
                "oldest are deleted before their {days} day, to keep each new one",
                "{count} unknown faces are kept, the most unknowns.max_faces allows: the "
                "oldest are deleted before their {days} days, to keep each new one",
                self.keep_days).format(count=self.max_faces, days=self.keep_days))

    def _save(self, passed: Pass) -> None:
        self.store.add(NewSighting(passed.seen_at, passed.camera,
                                   face_thumbnail_bgr(passed.crop, passed.box), passed.face_px,
                                   passed.engine, passed.vectors))

    def _safely(self, what: str, action: Callable[[], object]) -> None:
        """Run `action`; a storage failure is logged (once per kind) instead of raised,
        `what` (marked with N_) translated: the window shows the warning."""
        try:
            action()
        except (UnknownsError, OSError) as error:
            if what not in self._reported:
                self._reported.add(what)
                log.warning(_("{what} ({error}); the camera carries on without saving them")
                            .format(what=_(what), error=error))
