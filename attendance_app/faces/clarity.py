"""Whether a face was seen clearly enough to judge: large enough and sharp.

A small or blurred face (far away, moving, singing, turning) gives a vague encoding that
may match nobody even for an enrolled person. The enrol dialog refuses such shots; at the
door such a look still counts as a vote, but it can never make a face a *stranger* (red
"Unknown"): only a clear look can. HOG, the detector used, finds faces turned towards the
camera only, so a detected face is frontal enough by construction.
"""

from __future__ import annotations

import cv2
import numpy as np

from attendance_app.types import Box
from enrolment.quality import sharpness

SHARPNESS_SIDE_PX = 100
"""Faces are scaled to this square before measuring sharpness, so it does not depend on
the face's size."""

MIN_SHARPNESS = 15.0
"""Least Laplacian variance of a sharp face: sharp enrolment faces in the shared set score
25 to 1400; the same faces blurred score 3 to 11."""

CLEAR_FACE_PX = 60
"""Least face height (frame pixels) of a clear look, the enrolment minimum."""


def _grey_square(image: np.ndarray, box: Box, to_grey: int) -> np.ndarray | None:
    """The face in `box` as a SHARPNESS_SIDE_PX grey square (`to_grey`: OpenCV's
    conversion for the image's channel order); None when the box holds no pixels."""
    crop = image[max(int(box.y1), 0):int(box.y2), max(int(box.x1), 0):int(box.x2)]
    if crop.size == 0:
        return None
    gray = cv2.cvtColor(crop, to_grey)
    return cv2.resize(gray, (SHARPNESS_SIDE_PX, SHARPNESS_SIDE_PX), interpolation=cv2.INTER_AREA)


def gray_face(rgb: np.ndarray, box: Box) -> np.ndarray | None:
    """The face in an RGB photo as a SHARPNESS_SIDE_PX grey square; None when the box
    holds no pixels."""
    return _grey_square(rgb, box, cv2.COLOR_RGB2GRAY)


def seen_clearly(bgr: np.ndarray, box: Box) -> bool:
    """Whether the face in `box` of the BGR frame is large and sharp enough to judge."""
    if box.height < CLEAR_FACE_PX:
        return False
    face = _grey_square(bgr, box, cv2.COLOR_BGR2GRAY)
    return face is not None and sharpness(face) >= MIN_SHARPNESS
