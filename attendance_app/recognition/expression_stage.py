"""The expression a row is written with (analytics.emotion), as a side stage (stages.py).

The expression model reads a face in one frame; the row is written a few frames after
its face was seen (its encoding comes back from the encoder later), so the stage keeps
each track's latest face sent to the encoder, as the model reads it (16 KB), and reads
it only when a row is about to be written: one reading per row, about a millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

import numpy as np

from attendance_app.faces.expression import ExpressionReader, model_input_bgr
from attendance_app.recognition.encoders import Look
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.stages import Arrival, Stage
from attendance_app.types import Box


class ExpressionAtArrival(Stage):
    """Annotates each row with the expression of its track's latest look."""

    def __init__(self, reader: ExpressionReader) -> None:
        self.reader = reader
        self._latest_face: dict[int, np.ndarray] = {}  # per track, as the model reads it

    def saw(self, look: Look, image: np.ndarray, box: Box) -> None:
        self._latest_face[look.track_id] = model_input_bgr(image, box)

    def arriving(self, arrival: Arrival) -> Arrival:
        face = self._latest_face.get(arrival.track_id)
        return arrival if face is None else replace(arrival, expression=self.reader.read(face))

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime) -> None:
        for track_id in identities:
            self._latest_face.pop(track_id, None)
