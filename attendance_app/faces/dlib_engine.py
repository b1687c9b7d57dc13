"""The face engine: the only place that talks to face_recognition and dlib.

It converts frames once into the contiguous RGB arrays dlib accepts (a `[:, :, ::-1]`
view makes newer dlib raise a TypeError), shrinks them for detection, and hands back
`Box`es in (x1, y1, x2, y2) frame pixels and 128-d encodings. The dlib models load on
first use, not on import, so `--help` and the tests of other parts stay fast, and a
missing model package becomes one clear error instead of ending the program.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import ClassVar

import cv2
import numpy as np

from attendance_app.errors import AttendanceError
from attendance_app.recognition.regions import SearchArea
from attendance_app.types import Box

# Photos (enrolment, identify, group attendance) are searched at up to this size; the
# manifest-checked rule "upsample once up to 1200 px" finds every enrol face in the set.
PHOTO_UPSAMPLE_MAX_SIDE = 1200
PHOTO_MAX_SIDE = 2400

TRACKED_FACE_PX = 100
"""Around a face already followed, the picture is scaled so that the face is this tall and
searched without upsampling: dlib's HOG detector finds faces from about 80 px up, so the
face may shrink by a fifth between detections and still be found, at a fraction of the
cost of upsampling (which quadruples the pixels)."""


DLIB_LOCK = threading.RLock()
"""face_recognition keeps one dlib detector, landmark model and encoder per process, and
they are not safe to use from two threads at once (seen in the desktop app: the video
worker and the enrol dialog together aborted or hung the process). Every call into them
takes this lock; the encoder worker process has its own copy and runs in parallel."""


class EngineError(AttendanceError):
    """The face models cannot be loaded; the message says how to repair the install."""


def _load_face_recognition() -> ModuleType:
    """Import face_recognition, whose models load at import time."""
    try:
        with warnings.catch_warnings():
            # face_recognition_models still imports pkg_resources; the warning is noise.
            warnings.simplefilter("ignore", UserWarning)
            import face_recognition
    except (ImportError, SystemExit) as error:
        raise EngineError(
            f"face models are missing ({error}); reinstall with the command in README.md"
        ) from None
    return face_recognition


def bgr_to_rgb(frame_bgr: np.ndarray) -> np.ndarray:
    """OpenCV's BGR frame as a new contiguous RGB array (what dlib requires)."""
    if frame_bgr.ndim == 2:
        return cv2.cvtColor(frame_bgr, cv2.COLOR_GRAY2RGB)
    if frame_bgr.shape[2] == 4:
        return cv2.cvtColor(frame_bgr, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)


def _resized(rgb: np.ndarray, width: int) -> tuple[np.ndarray, float]:
    """Return (rgb resized to `width` pixels wide, factor from its pixels back to rgb's)."""
    if width == rgb.shape[1]:
        return rgb, 1.0
    factor = width / rgb.shape[1]
    height = max(1, round(rgb.shape[0] * factor))
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    return cv2.resize(rgb, (width, height), interpolation=interpolation), 1 / factor


@dataclass(frozen=True)
class FaceEngine:
    """Detects and encodes faces.

    model: "hog" (fast, CPU) or "cnn" (slower, finds harder faces).
    detection_width: video frames wider than this are shrunk to it before detection.
    upsample: how many times dlib doubles the picture to find small faces (cost x4 each).
    landmarks: "large" aligns each face on 68 landmarks before encoding, "small" on 5;
    on the shared test faces "large" names about 10% more probes at the same stranger
    rate (benchmarks/identification.py), for a few milliseconds more per face.
    """

    name: ClassVar[str] = "dlib"
    model: str = "hog"
    detection_width: int = 640
    upsample: int = 1
    landmarks: str = "large"

    def __post_init__(self) -> None:
        if self.model not in ("hog", "cnn"):
            raise ValueError(f"detector model must be 'hog' or 'cnn', not {self.model!r}")
        if self.landmarks not in ("large", "small"):
            raise ValueError(f"landmarks must be 'large' or 'small', not {self.landmarks!r}")

    @property
    def _api(self) -> ModuleType:
        with DLIB_LOCK:
            return _load_face_recognition()

    def warm_up(self) -> None:
        """Load the models now (a second or two) rather than on the first face."""
        self._api

    def _locate(self, rgb: np.ndarray, width: int, upsample: int) -> list[Box]:
        """Faces in `rgb` searched at `width` pixels wide, as boxes in rgb's pixels."""
        small, back = _resized(rgb, max(1, width))
        with DLIB_LOCK:
            found = self._api.face_locations(small, upsample, self.model)
        height, width = rgb.shape[:2]
        return [Box.from_css(css).scaled(back).clipped(width, height) for css in found]

    def detect(self, rgb: np.ndarray) -> list[Box]:
        """Faces in a video frame, as boxes in the frame's own pixels."""
        return self._locate(rgb, min(rgb.shape[1], self.detection_width), self.upsample)

    def detect_in_regions(self, rgb: np.ndarray, areas: Sequence[SearchArea]) -> list[Box]:
        """Faces inside `areas` of a video frame (which must not overlap). An area that may
        hold a face of any size is searched like `detect` searches the whole frame, so a
        face is found alike either way; an area around tracked faces only at their size
        (TRACKED_FACE_PX). A face cut by an area's edge may be missed: areas need a margin."""
        height, width = rgb.shape[:2]
        frame_scale = min(1.0, self.detection_width / width)  # as `detect` shrinks frames
        found: list[Box] = []
        for area in areas:
            x1, y1, x2, y2 = (round(v) for v in area.box.clipped(width, height).as_tuple())
            if x2 - x1 < 8 or y2 - y1 < 8:
                continue
            crop = np.ascontiguousarray(rgb[y1:y2, x1:x2])
            if area.face_px is None:
                scale, upsample = frame_scale, self.upsample
            else:  # never larger than the whole-frame search would enlarge it
                scale = min(TRACKED_FACE_PX / area.face_px, frame_scale * 2 ** self.upsample)
                upsample = 0
            for box in self._locate(crop, round((x2 - x1) * scale), upsample):
                found.append(Box(box.x1 + x1, box.y1 + y1, box.x2 + x1, box.y2 + y1))
        return found

    def detect_in_photo(self, rgb: np.ndarray, certain_only: bool = False) -> list[Box]:
        """Faces in a still photo, searched more thoroughly than in video: a photo is
        looked at once, so spending a little longer on it is worth it. HOG gives no
        score to be sure by, so `certain_only` changes nothing: what it finds at
        dlib's threshold is a face."""
        longest = max(rgb.shape[:2])
        upsample = 1 if longest <= PHOTO_UPSAMPLE_MAX_SIDE else 0
        max_width = rgb.shape[1]
        if longest > PHOTO_MAX_SIDE:
            max_width = round(rgb.shape[1] * PHOTO_MAX_SIDE / longest)
        return self._locate(rgb, max_width, upsample)

    @staticmethod
    def distances(encoding: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Euclidean distance from `encoding` to each row of `vectors` (N, 128), dlib's
        measure: 0.6 is its authors' threshold for "the same person"."""
        rows = np.asarray(vectors, dtype=np.float64).reshape(-1, len(encoding))
        return np.linalg.norm(rows - np.asarray(encoding, dtype=np.float64), axis=1)

    def encode(self, rgb: np.ndarray, boxes: list[Box], jitters: int = 1) -> list[np.ndarray]:
        """128-d encodings (float64) of the faces in `boxes`, in the same order.

        jitters > 1 averages the encodings of that many slightly shifted, rotated and scaled
        copies: steadier, at that many times the cost, so it is worth it for enrolment
        photos (encoded once) but not for video frames."""
        if not boxes:
            return []
        locations = [box.to_css() for box in boxes]
        with DLIB_LOCK:
            return list(self._api.face_encodings(rgb, locations, num_jitters=jitters,
                                                 model=self.landmarks))
