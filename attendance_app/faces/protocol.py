"""What every face engine offers, so callers can be written once for all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from attendance_app.types import Box


@dataclass(frozen=True)
class SearchArea:
    """Part of a frame to search for faces (attendance_app.recognition.regions makes them):
    `box` in frame pixels, and `face_px`, the height of the faces expected in it (the
    smallest tracked face there), or None when a face of any size may be there (something
    changed that no tracked face explains)."""

    box: Box
    face_px: float | None


def as_bgr(image: np.ndarray) -> np.ndarray:
    """The image as the 3-channel BGR engines take: itself when it is one already (every
    camera and video frame: OpenCV delivers BGR), else converted from grey or BGRA."""
    if image.ndim == 3 and image.shape[2] == 3:
        return image
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)


@runtime_checkable
class Engine(Protocol):
    """Finds faces in images and encodes them. Images are OpenCV's BGR (uint8, height x
    width x 3), as frames come from sources, so the frame path never converts a frame
    for an engine; an engine that needs other pixels (dlib wants RGB) converts what it
    searches or encodes itself. Boxes are in the image's own pixels.

    The dlib engine (attendance_app/faces/dlib_engine.py) and the sface engine
    (attendance_app/faces/sface.py) both have this shape; encodings of one engine are
    compared only with encodings of the same engine.
    """

    name: str
    """The engine's name in settings and in the face store (faces.ENGINE_NAMES)."""

    def warm_up(self) -> None:
        """Load the models now rather than on the first face."""

    def detect(self, bgr: np.ndarray) -> list[Box]:
        """Faces in a video frame."""

    def detect_in_regions(self, bgr: np.ndarray, areas: Sequence[SearchArea]) -> list[Box]:
        """Faces inside `areas` of a video frame."""

    def detect_in_photo(self, bgr: np.ndarray, certain_only: bool = False) -> list[Box]:
        """Faces in a still photo; with `certain_only`, only faces the detector is sure
        of (a face to enrol from must be beyond doubt)."""

    def encode(self, bgr: np.ndarray, boxes: list[Box], jitters: int = 1) -> list[np.ndarray]:
        """One 128-d encoding per box, in order."""

    @staticmethod
    def distances(encoding: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """This engine's distance from `encoding` to each row of `vectors` (lower is more
        alike)."""
