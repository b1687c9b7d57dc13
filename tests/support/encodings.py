"""Face encodings for tests of the store and the gallery: synthetic ones at known
distances, and SFace's of a real photo.

Random 128-d normal vectors scaled by 1/sqrt(128) are about 1.4 apart, as encodings of
strangers are, so a test can place a probe at an exact distance from an enrolled face.
"""

from __future__ import annotations

import cv2
import numpy as np

from attendance_app.faces.sface import SFaceEngine


def random_face(seed: int) -> np.ndarray:
    """A random unit-ish 128-d vector; different seeds are ~1.4 apart, like strangers."""
    return np.random.default_rng(seed).normal(0, 1, 128) / np.sqrt(128)


def nearby(vector: np.ndarray, offset: float, seed: int) -> np.ndarray:
    """A vector exactly `offset` (Euclidean) from `vector`, in a random direction."""
    step = np.random.default_rng(seed).normal(0, 1, 128)
    return vector + offset * step / np.linalg.norm(step)


def unit_length(vector: np.ndarray) -> np.ndarray:
    """`vector` scaled to length 1, as SFace's encodings are stored."""
    return vector / np.linalg.norm(vector)


def sface_encoding(engine: SFaceEngine, rgb: np.ndarray) -> np.ndarray:
    """SFace's encoding of the largest face in an RGB image (engines take BGR)."""
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    boxes = sorted(engine.detect_in_photo(bgr), key=lambda box: box.area, reverse=True)
    return engine.encode(bgr, boxes[:1])[0]
