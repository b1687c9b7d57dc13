"""Liveness: a photo or a phone held up to the camera logs nobody (opt-in: liveness.mode).

A recognised face gets its row only once it has shown, while in view, something a flat
still picture cannot do: `motion`, the face changes shape. However a flat picture is
moved, turned, tilted or brought nearer, the points on it move together by one
plane-to-plane transform; a real head turning, nodding or talking does not, as the nose
stands out of the face and the mouth moves on its own. The points are corners of the face
followed from frame to frame in the pixels themselves (recognition/face_flow.py), over
MOTION_SPAN frames at a time; how far they drift off the best plane is measured on every
frame the face is in view. One large drift proves nothing (the tracker slips now and
then, on a photo too): the check passes when MOTION_DRIFTS_NEEDED of the last
MOTION_DRIFTS_KEPT drifts exceed MOTION_DRIFT.

No landmark model is used: a model trained on real faces puts the landmarks of a turned
photo where a turned head's would be (face_flow.py), and the 68-point model this once
used may not be shipped in a product (README.md, "Model files"). An earlier `blink` mode
read eyelids from that model, and on real footage let hardly anybody in; a setting of
`blink` now checks motion (attendance_app.config.declarations).

What it does not stop: a video of the person replayed on a phone or a screen, a mask, a
photo bent as much as a face is round (benchmarks/liveness.py measures bent prints).
Every threshold below was measured with benchmarks/liveness.py on rendered photo attacks
(tests/support/photo_attack.py) and on real footage (the walkers video, and the TV family
of ../shared/faces-video who talk, nod and turn).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from attendance_app.recognition.face_flow import FaceFlow
from attendance_app.types import Box

MODES = ("off", "motion")

WITHDRAWN = {"blink": "motion"}
"""Modes of earlier versions and the mode they now mean."""


def withdrawn_note(mode: str) -> str | None:
    """What a run says once when the settings still name a withdrawn mode."""
    if mode not in WITHDRAWN:
        return None
    return (f"liveness.mode {mode} was withdrawn (it let hardly any real person in, and read "
            f"the eyes with a model that may not be shipped in a product): the "
            f"{WITHDRAWN[mode]} check is used; choose it in Settings to stop this note")

PROMPT = "turn your head a little"
"""What the box of a recognised face says while its check is pending."""

MOTION_MIN_FACE_PX = 60
"""Faces shorter than this (frame pixels) are not looked at: their corners are too few and
too blurred to follow. 60 is also the least height of a clear look
(attendance_app.faces.clarity)."""

MOTION_SPAN = 4
"""Frames over which the same corners are followed before new ones are found (a sixth of
a second at 25 frames/s). Longer spans let the tracker's own slips on a photo add up
faster than a head's change of shape: at 4, 6, 8 and 16 frames the largest level a photo
attack reached was 0.0040, 0.0065, 0.0073 and 0.0158, while 19, 17, 19 and 13 of 21 real
faces in view for 2 s went above 1.2 times that within those 2 s."""

MOTION_DRIFT = 0.005
"""Least drift off the plane (parts of the face's height, face_flow.off_plane) that
counts as the face changing shape. The highest level reached by 64 flat photo attacks
(printed or on a phone; moved, turned, tilted, brought nearer, blurred) was 0.0033, by
prints bent round by 60 degrees 0.0037; prints bent by 120 degrees reached 0.0055 and 2
of 16 passed. Of the real faces in view for a second or more (a TV family at dinner,
walkers in a street), 50 of 60 passed within 2 s, half of them within 0.4 s
(benchmarks/liveness.py, docs/measurements/liveness.md)."""

MOTION_DRIFTS_KEPT = 10
MOTION_DRIFTS_NEEDED = 3
"""The check passes when this many of the last MOTION_DRIFTS_KEPT drifts exceed
MOTION_DRIFT: one or two large drifts are the tracker slipping, on a photo too."""


class MotionCheck:
    """One track's evidence: passes once the face changed shape as no flat picture can."""

    def __init__(self) -> None:
        self.passed = False
        self._flow = FaceFlow(MOTION_SPAN)
        self._drifts: deque[float] = deque(maxlen=MOTION_DRIFTS_KEPT)
        self.largest = 0.0
        """The largest value MOTION_DRIFTS_NEEDED of the kept drifts exceeded so far (what
        the benchmark reports per face)."""

    @staticmethod
    def wants(face_px: float) -> bool:
        return face_px >= MOTION_MIN_FACE_PX

    def add(self, frame_bgr: np.ndarray, box: Box, frame_index: int) -> None:
        """Follow the face in `box` onto this frame (frames must come in order; a frame
        skipped starts the corners afresh)."""
        drift = self._flow.add(frame_bgr, box, frame_index)
        if drift is None:
            return
        self._drifts.append(drift)
        if len(self._drifts) >= MOTION_DRIFTS_NEEDED:
            level = sorted(self._drifts)[-MOTION_DRIFTS_NEEDED]
            self.largest = max(self.largest, level)
            self.passed = self.passed or level > MOTION_DRIFT


class Liveness:
    """The checks of the tracks in view, for one pipeline: `observe` a pending track's face
    on every frame it is in view, ask whether it `passed`."""

    def __init__(self) -> None:
        self.prompt = PROMPT
        self._checks: dict[int, MotionCheck] = {}

    def check(self, track_id: int) -> MotionCheck:
        """The track's evidence so far (a new one for a track not seen yet)."""
        return self._checks.setdefault(track_id, MotionCheck())

    def observe(self, track_id: int, frame_bgr: np.ndarray, box: Box, frame_index: int) -> None:
        """Add the face in `box` of a BGR frame to the track's check, if it is big enough."""
        if MotionCheck.wants(box.height):
            self.check(track_id).add(frame_bgr, box, frame_index)

    def passed(self, track_id: int) -> bool:
        check = self._checks.get(track_id)
        return check is not None and check.passed

    def restart(self, track_id: int) -> None:
        """Forget a track's evidence: its box may be on another face now."""
        self._checks.pop(track_id, None)
