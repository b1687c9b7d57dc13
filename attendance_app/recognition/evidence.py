"""Keeping the faces behind each attendance row, so that voiding a wrong row can teach.

The recorder hands every committed row, with the encodings that named its person, to a
FaceEvidence; they are stored in the face store (enrolment.event_faces says why there),
tagged with the engine in use. Voiding the row later (attendance_app.records.voiding) makes them
negatives of that person.

The row comes first: it is in the journal before its faces are stored, and a face store
that cannot be written (disk full, the file damaged) costs only what a void of that row
could have taught, with a warning, never the row. A person forgotten by another process
while the door runs (`forget` beside it) has no faces kept either, and that is no fault:
the door takes in the change within a second or so (attendance_app.people.roster_watch).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from attendance_app.i18n import _
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, StoreError

log = logging.getLogger(__name__)


class FaceEvidence:
    """Stores the encodings behind committed rows in `store`, as `engine`'s encodings."""

    def __init__(self, store: FaceStore, engine: str) -> None:
        self.store = store
        self.engine = engine

    def keep(self, event: AttendanceEvent, faces: Sequence[np.ndarray]) -> None:
        """Keep `faces` (the agreeing looks that named `event`'s person) for `event`."""
        if not faces or event.event_id is None:
            return
        try:
            kept = self.store.keep_event_faces(event.event_id, event.timestamp,
                                               event.person_id, self.engine, faces)
        except StoreError as error:
            log.warning(_("the faces behind row {event} were not kept ({error}); the row is "
                          "logged, but voiding it will not teach the app that face")
                        .format(event=event.event_id, error=error))
            return
        if not kept:  # forgotten by another process a moment ago: nothing to keep, no fault
            log.info("%s was forgotten meanwhile: the faces behind event %d are not kept",
                     event.name, event.event_id)
