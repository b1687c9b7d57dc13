"""Judging whether a photo or camera shot is good enough to enrol from.

A bad enrolment photo poisons every later match: two faces (whose encoding is it?), a
face too small (few pixels, a vague encoding), or motion blur. The same rules serve the
command line and the camera dialog, so a shot is judged the same way everywhere.
"""

from __future__ import annotations

from enum import Enum

import numpy as np


class ShotProblem(Enum):
    """Why a shot cannot be used, with the advice shown to the person."""

    NO_FACE = "no face found; use a photo where the face is clearly visible"
    SEVERAL_FACES = "more than one face; use a photo of this person alone"
    TOO_SMALL = "face too small; use a closer or larger photo"
    BLURRY = "picture is blurry; hold still"


def sharpness(gray: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian of a 2-D grey image: low means blurry."""
    pixels = np.asarray(gray, dtype=np.float64)
    if pixels.ndim != 2 or min(pixels.shape) < 3:
        return 0.0
    laplacian = (
        pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:]
        - 4.0 * pixels[1:-1, 1:-1]
    )
    return float(laplacian.var())


def judge_shot(
    face_sizes: list[tuple[float, float]],
    min_face_px: int,
    face_gray: np.ndarray | None = None,
    min_sharpness: float | None = None,
) -> ShotProblem | None:
    """Return what is wrong with a shot, or None when it can be enrolled.

    face_sizes: (width, height) in pixels of every face found in the shot.
    min_face_px: the smallest acceptable face height in pixels.
    face_gray: the face region as a 2-D grey array, needed only for the blur check.
    min_sharpness: the smallest acceptable `sharpness`; None skips the blur check.
    """
    if not face_sizes:
        return ShotProblem.NO_FACE
    if len(face_sizes) > 1:
        return ShotProblem.SEVERAL_FACES
    if face_sizes[0][1] < min_face_px:
        return ShotProblem.TOO_SMALL
    if min_sharpness is not None and face_gray is not None and sharpness(face_gray) < min_sharpness:
        return ShotProblem.BLURRY
    return None
