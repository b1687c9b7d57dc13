"""Side stages: the parts that ride along with the pipeline without deciding who is who.

Keeping unknown faces (attendance_app.unknowns.collector), holding rows until a face shows
it is alive (liveness_gate.py) and reading the expression a row is written with
(expression_stage.py) each need to hear about the same few moments of a track's life. The
pipeline tells every stage in its list about each of them through this one interface, in
the list's order; a stage overrides the hooks it cares about and inherits the others,
which do nothing. A new stage is one subclass, added to the list where the pipeline is
built (attendance_app.app.workspace): the pipeline itself does not change.

The moments, in the order a track lives them:
- `saw`: a face of the track is sent to the encoder (a few times per track, not per frame);
- `encoded`: its encoding came back;
- `saw_frame`: every frame, with the tracks in view; a stage that held rows may release
  some here;
- `holding`: whether the track's row must wait (asked before a row is written, and to
  draw the box);
- `arriving`: a row is about to be recorded; the stage may add to it;
- `doubted` / `handed_over`: the track's box may be on another face now, or another track
  took a lost one's face over;
- `ended`: tracks left; `close`: the run stops, with the tracks still in view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from attendance_app.recognition.encoders import Look
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.types import AgeGender, Box, Expression

if TYPE_CHECKING:  # trackers loads filterpy and scipy: not for the stages' own imports
    from attendance_app.types import Frame
    from trackers import Track


@dataclass(frozen=True)
class Arrival:
    """A row about to be recorded for a track's confirmed person: who, how near the
    gallery's encoding, when, the encodings behind it (kept so that voiding the row can
    teach) and, when stages read them, the expression and the age and gender."""

    track_id: int
    person_id: int
    name: str
    distance: float
    when: datetime
    faces: Sequence[np.ndarray]
    expression: Expression | None = None
    age_gender: AgeGender | None = None


class Stage:
    """One side stage. Every hook does nothing here; a stage overrides those it needs."""

    def saw(self, look: Look, image: np.ndarray, box: Box) -> None:
        """A face of the track was sent to the encoder: `box` in `image`, the frame (BGR)."""

    def encoded(self, look: Look, encoding: np.ndarray) -> None:
        """The encoding of a face sent earlier came back."""

    def saw_frame(self, frame: Frame, boxes: list[Box], tracks: list[Track],
                  identities: Mapping[int, TrackIdentity], detected: bool) -> list[int]:
        """Every frame: `tracks` in view, `boxes` the faces the detector found on it (when
        `detected`). Returns the tracks whose held row may now be written."""
        return []

    def holding(self, track_id: int, identity: TrackIdentity | None,
                when: datetime) -> str | None:
        """While the track's row must wait: what its box says meanwhile (shown once the
        face is recognised); None when the row need not wait for this stage."""
        return None

    def arriving(self, arrival: Arrival) -> Arrival:
        """A row is about to be recorded: the row as it should be (this one, or annotated)."""
        return arrival

    def doubted(self, track_id: int) -> None:
        """The track's box jumped or was found again: it may be on another face now."""

    def handed_over(self, track_id: int) -> None:
        """Another track took this lost one's face over: the face has not left."""

    def ended(self, identities: Mapping[int, TrackIdentity], when: datetime) -> None:
        """These tracks left, with these verdicts."""

    def close(self, identities: Mapping[int, TrackIdentity]) -> None:
        """The run stops; `identities` are the tracks still in view (they did not leave)."""
