"""What every face engine offers, so callers can be written once for all of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from attendance_app.recognition.regions import SearchArea
from attendance_app.types import Box


@runtime_checkable
class Engine(Protocol):
    """Finds faces in RGB images (boxes in the image's own pixels) and encodes them.

    The dlib engine (attendance_app/faces/dlib_engine.py) and the sface engine
    (attendance_app/faces/sface.py) both have this shape; encodings of one engine are
    compared only with encodings of the same engine.
    """

    name: str
    """The engine's name in settings and in the face store (faces.ENGINE_NAMES)."""

    def warm_up(self) -> None:
        """Load the models now rather than on the first face."""

    def detect(self, rgb: np.ndarray) -> list[Box]:
        """Faces in a video frame."""

    def detect_in_regions(self, rgb: np.ndarray, areas: Sequence[SearchArea]) -> list[Box]:
        """Faces inside `areas` of a video frame."""

    def detect_in_photo(self, rgb: np.ndarray, certain_only: bool = False) -> list[Box]:
        """Faces in a still photo; with `certain_only`, only faces the detector is sure
        of (a face to enrol from must be beyond doubt)."""

    def encode(self, rgb: np.ndarray, boxes: list[Box], jitters: int = 1) -> list[np.ndarray]:
        """One 128-d encoding per box, in order."""

    @staticmethod
    def distances(encoding: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """This engine's distance from `encoding` to each row of `vectors` (lower is more
        alike)."""
