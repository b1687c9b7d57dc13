"""Which face of an enrolment photo is its person, when the photo shows more than one.

A press photo, a cropped group picture or a webcam shot in a hallway often shows a second
face behind or beside the person: enrolling nobody from it wastes a good photo, and
enrolling the wrong face names the wrong person at the door for ever. So a face is taken
only when it clearly dominates every other one, and a photo where two faces compete is
refused.

A face dominates another when it is clearly bigger (BIGGER_HEIGHT times as tall), or when
it fills the photo as a portrait's subject does (PORTRAIT_FACE), is about as big (at least
AS_BIG times as tall) and is clearly nearer the photo's centre (by CENTRE_LEAD of the
diagonal). The thresholds come from benchmarks/enrol_dominance.py
(docs/measurements/enrol_dominance.md). On the 1,896 one-photo enrolments of
../shared/faces-scale, the 131 labelled faces beside another face are always the one
nearest the centre, ahead of the next by at least 0.11 of the diagonal, at least 0.88
times as tall as it and at least 0.28 of the diagonal tall; in the group photos of
../shared/faces the middle face of a row is at most 0.16 of the diagonal tall, so it is
not taken. Two faces side by side, as far from the centre as each other, dominate neither
unless one is twice as tall: at 1.5 times, 10 of 100 pairs with one face at 3/4 size were
taken, at 2 times 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from attendance_app.types import Box

BIGGER_HEIGHT = 2.0
"""A face this many times taller than another dominates it wherever both are."""

AS_BIG = 0.8
"""A face nearer the centre dominates a face at most 1 / AS_BIG times taller than itself."""

CENTRE_LEAD = 0.08
"""How much nearer the centre (as a share of the photo's diagonal) a face must be."""

PORTRAIT_FACE = 0.22
"""Being nearer the centre counts only for a face at least this share of the photo's
diagonal tall: the subject of a portrait, not the middle one of a row of people."""


def _centre_distance(box: Box, width: int, height: int) -> float:
    """How far the box's centre is from the photo's, as a share of the diagonal."""
    x, y = box.centre
    return math.hypot(x - width / 2, y - height / 2) / math.hypot(width, height)


def _dominates(face: Box, other: Box, width: int, height: int) -> bool:
    """Whether `face` clearly wins over `other` as the photo's person (module docstring)."""
    if face.height >= BIGGER_HEIGHT * other.height:
        return True
    portrait = face.height >= PORTRAIT_FACE * math.hypot(width, height)
    nearer = (_centre_distance(other, width, height)
              - _centre_distance(face, width, height)) >= CENTRE_LEAD
    return portrait and nearer and face.height >= AS_BIG * other.height


def dominant_face(boxes: Sequence[Box], width: int, height: int) -> int | None:
    """The index in `boxes` of the face that dominates every other face of a width x
    height photo (the only face, when there is one), or None when none does: no face,
    or two faces that compete."""
    for index, face in enumerate(boxes):
        if all(_dominates(face, other, width, height)
               for number, other in enumerate(boxes) if number != index):
            return index
    return None
