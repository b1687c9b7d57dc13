"""A side stage of the pipeline that queues a message when an unknown visitor leaves.

It hears of every track that ends (attendance_app.recognition.stages); a track settled as
a stranger (seen clearly, matched nobody, never logged as a person: TrackIdentity.
stranger) queues one "unknown_visitor" message with the time and camera, nothing of the
face. The append is one SQLite commit in the camera's thread, a fraction of a
millisecond (docs/measurements/messages_append.md); the sending is the sender thread's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from attendance_app.i18n import _
from attendance_app.messages.content import unknown_visitor
from attendance_app.messages.outbox import Outbox, OutboxError
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.stages import Stage

log = logging.getLogger(__name__)


class UnknownVisitorMessage(Stage):
    """Queues a webhook message per stranger whose track ended, at `camera`."""

    def __init__(self, outbox: Outbox, camera: str) -> None:
        self.outbox = outbox
        self.camera = camera

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime) -> None:
        for identity in identities.values():
            if identity.stranger and identity.logged_person_id is None:
                try:
                    self.outbox.append("webhook", "unknown_visitor",
                                       unknown_visitor(when, self.camera))
                except OutboxError as error:  # the camera goes on; this message is lost
                    log.warning(_("messages: {error}; an unknown visitor's message is lost")
                                .format(error=error))

    def close(self, identities: Mapping[int, TrackIdentity]) -> None:
        """The run stops with these faces in view: strangers among them were here too."""
        self.ended(identities, datetime.now())
