"""Holding a recognised face's row until it has shown it is alive, and noting refusals.

A side stage (stages.py): the pipeline asks this gate, per track, whether its row must
wait (`holding`), shows it every frame (`saw_frame`: it looks at the faces of the tracks
that wait), and writes a row when the gate says the face passed. What waits is as little as possible, so landmarks cost nothing when nobody is
waiting: a face that is settled as nobody enrolled, that already got its row, or whose
person already has today's row (the policy writes none) does not wait. A track that ends
while its recognised person still waits is noted as a refusal in the journal
(attendance_app.recognition.refusal), never as an attendance row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.liveness import Liveness
from attendance_app.recognition.stages import Stage
from attendance_app.types import Box

if TYPE_CHECKING:
    from attendance_app.recognition.attendance_sink import AttendanceSink
    from attendance_app.types import Frame
    from trackers import Track

REASON = "no head movement seen"
"""Why a refusal was noted, as the journal keeps it."""


class LivenessGate(Stage):
    """Decides which tracks wait for liveness and looks at their faces.

    recorder: asked whether a person's row is due, and given the refusals (None: every
    row counts as due and refusals go nowhere); min_face_px: smaller faces are not looked
    at, as they are not encoded (detection.min_face_px)."""

    def __init__(self, liveness: Liveness, recorder: AttendanceSink | None,
                 min_face_px: int) -> None:
        self.liveness = liveness
        self.recorder = recorder
        self.min_face_px = min_face_px
        self._handed_over: set[int] = set()  # ended tracks another track took over

    def _row_due(self, identity: TrackIdentity, when: datetime) -> bool:
        person_id = identity.person_id
        return (person_id is not None and identity.logged_person_id != person_id
                and (self.recorder is None or self.recorder.row_due(person_id, when)))

    def awaits(self, track_id: int, identity: TrackIdentity | None, when: datetime) -> bool:
        """Whether the track's row waits for its face to pass (and its face is wanted):
        not passed, and a row may still come of it (undecided yet, or recognised with a
        row due)."""
        if self.liveness.passed(track_id):
            return False
        if identity is None or not identity.settled:
            return True
        return self._row_due(identity, when)

    def holding(self, track_id: int, identity: TrackIdentity | None,
                when: datetime) -> str | None:
        """The prompt (what the box of a recognised face says) while the row waits."""
        return self.liveness.prompt if self.awaits(track_id, identity, when) else None

    def saw_frame(self, frame: Frame, boxes: list[Box], tracks: list[Track],
                  identities: Mapping[int, TrackIdentity], detected: bool) -> list[int]:
        """Follow the faces that wait onto this frame: where the detector found them, or
        where the tracker carries them in between (the check follows the pixels, the box
        only says where to look). Returns the tracks whose recognised person's row is due
        and that passed on this frame."""
        passed = []
        for track in tracks:
            identity = identities.get(track.track_id)
            if track.time_since_update != 0 or not self.awaits(track.track_id, identity,
                                                                frame.timestamp):
                continue
            if detected and track.detection_index is not None:
                box = boxes[track.detection_index]
            else:
                box = Box(*track.box)
            if box.height < self.min_face_px:
                continue
            self.liveness.observe(track.track_id, frame.image, box, frame.index)
            if (self.liveness.passed(track.track_id) and identity is not None
                    and self._row_due(identity, frame.timestamp)):
                passed.append(track.track_id)
        return passed

    def doubted(self, track_id: int) -> None:
        """The track's box may be on another face now (it jumped): it must pass afresh."""
        self.liveness.restart(track_id)

    def handed_over(self, track_id: int) -> None:
        """Another track took this lost one's face over: when it ends, it is not refused
        (the face has not left)."""
        self._handed_over.add(track_id)

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime) -> None:
        """These tracks ended: note a refusal for each recognised person whose row still
        waited, and forget them."""
        for track_id, identity in identities.items():
            if (track_id not in self._handed_over and not self.liveness.passed(track_id)
                    and self.recorder is not None and self._row_due(identity, when)):
                assert identity.person_id is not None
                self.recorder.refuse(identity.person_id, identity.name or "", identity.distance,
                                     when, REASON)
            self._handed_over.discard(track_id)
            self.liveness.restart(track_id)
