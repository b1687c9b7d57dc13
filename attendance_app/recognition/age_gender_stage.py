"""The age and gender a row is written with (analytics.age_gender), as a side stage
(stages.py).

Like the expression (expression_stage.py), the estimate is made only when a row is about
to be written, from the track's latest face sent to the encoder. The estimator aligns the
face on YuNet's landmarks, searched around the box, so the stage keeps that part of the
frame: the box grown by sface.AROUND_BOX on every side, a copy (about 0.3 MB for a
100-pixel face), one per track.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

import numpy as np

from attendance_app.faces.age_gender import AgeGenderEstimator
from attendance_app.faces.sface import AROUND_BOX
from attendance_app.recognition.encoders import Look
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.stages import Arrival, Stage
from attendance_app.types import Box


def around(image: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """The part of `image` where the estimator looks for the face in `box` (a copy), and
    the box within it."""
    height, width = image.shape[:2]
    grow_x, grow_y = box.width * AROUND_BOX, box.height * AROUND_BOX
    x1, y1 = max(0, int(box.x1 - grow_x)), max(0, int(box.y1 - grow_y))
    x2, y2 = min(width, int(box.x2 + grow_x) + 1), min(height, int(box.y2 + grow_y) + 1)
    return (np.ascontiguousarray(image[y1:y2, x1:x2]),
            Box(box.x1 - x1, box.y1 - y1, box.x2 - x1, box.y2 - y1))


class AgeGenderAtArrival(Stage):
    """Annotates each row with the age and gender estimated from its track's latest look."""

    def __init__(self, estimator: AgeGenderEstimator) -> None:
        self.estimator = estimator
        self._latest_face: dict[int, tuple[np.ndarray, Box]] = {}  # per track

    def saw(self, look: Look, image: np.ndarray, box: Box) -> None:
        self._latest_face[look.track_id] = around(image, box)

    def arriving(self, arrival: Arrival) -> Arrival:
        face = self._latest_face.get(arrival.track_id)
        if face is None:
            return arrival
        return replace(arrival, age_gender=self.estimator.estimate(*face))

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime) -> None:
        for track_id in identities:
            self._latest_face.pop(track_id, None)
