"""The dlib engine: dlib's HOG (or CNN) detector and 128-d ResNet encoder, called directly.

It does what face_recognition 1.3.0's `face_locations` and `face_encodings` do, call for
call, so encodings are bit-identical to those it made for the same settings (stored
enrolments stay valid), but it loads only the model files a call needs (dlib_models.py):
face_recognition loads all of them as it is imported, the non-commercial 68-point model
included, which a product must not use unless its user chooses the large alignment.

It takes OpenCV's BGR, as every engine does (faces/protocol.py), and converts what it
searches or encodes once, inside each call, into the contiguous RGB arrays dlib accepts
(a `[:, :, ::-1]` view makes newer dlib raise a TypeError); it shrinks frames for
detection, and hands back `Box`es in (x1, y1, x2, y2) frame pixels and 128-d encodings.
The models load on first use, not on import, so `--help` and the tests of other parts
stay fast, and a missing or damaged model file becomes one clear error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import cv2
import numpy as np

from attendance_app.faces import dlib_models
from attendance_app.faces.dlib_models import DLIB_LOCK
from attendance_app.faces.protocol import SearchArea
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

Css = tuple[int, int, int, int]
"""A face box as dlib and face_recognition give it: (top, right, bottom, left), pixels."""


def face_locations(rgb: np.ndarray, upsample: int, model: str) -> list[Css]:
    """Faces in a contiguous RGB image, as face_recognition.face_locations finds them: the
    detector's rectangles (the CNN's `.rect`) trimmed to the image."""
    with DLIB_LOCK:
        if model == "cnn":
            rects = [found.rect for found in dlib_models.cnn_detector()(rgb, upsample)]
        else:
            rects = list(dlib_models.hog_detector()(rgb, upsample))
    height, width = rgb.shape[:2]
    return [(max(r.top(), 0), min(r.right(), width), min(r.bottom(), height), max(r.left(), 0))
            for r in rects]


def face_shapes(rgb: np.ndarray, locations: Sequence[Css], alignment: str) -> list[Any]:
    """The landmarks (dlib full_object_detections) of the faces at `locations` of a
    contiguous RGB image, by the `alignment` shape predictor ("small" or "large")."""
    dlib = dlib_models.dlib()
    with DLIB_LOCK:
        predictor = dlib_models.shape_predictor(alignment)
        return [predictor(rgb, dlib.rectangle(left, top, right, bottom))
                for top, right, bottom, left in locations]


def face_encodings(rgb: np.ndarray, locations: Sequence[Css], jitters: int,
                   alignment: str) -> list[np.ndarray]:
    """128-d encodings of the faces at `locations` of a contiguous RGB image, as
    face_recognition.face_encodings makes them: each face aligned by the `alignment`
    shape predictor in its box, then described by the ResNet encoder from that many
    jittered copies."""
    shapes = face_shapes(rgb, locations, alignment)
    with DLIB_LOCK:
        encoder = dlib_models.encoder()
        return [np.array(encoder.compute_face_descriptor(rgb, shape, jitters))
                for shape in shapes]


def bgr_to_rgb(frame_bgr: np.ndarray) -> np.ndarray:
    """OpenCV's BGR frame as a new contiguous RGB array (what dlib requires)."""
    if frame_bgr.ndim == 2:
        return cv2.cvtColor(frame_bgr, cv2.COLOR_GRAY2RGB)
    if frame_bgr.shape[2] == 4:
        return cv2.cvtColor(frame_bgr, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)


def _resized(image: np.ndarray, width: int) -> tuple[np.ndarray, float]:
    """Return (image resized to `width` pixels wide, factor from its pixels back to image's)."""
    if width == image.shape[1]:
        return image, 1.0
    factor = width / image.shape[1]
    height = max(1, round(image.shape[0] * factor))
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, (width, height), interpolation=interpolation), 1 / factor


@dataclass(frozen=True)
class FaceEngine:
    """Detects and encodes faces.

    model: "hog" (fast, CPU) or "cnn" (slower, finds harder faces).
    detection_width: video frames wider than this are shrunk to it before detection.
    upsample: how many times dlib doubles the picture to find small faces (cost x4 each).
    landmarks: "small" aligns each face on dlib's 5-point model before encoding (public
    domain), "large" on the 68-point one (non-commercial licence; see dlib_models.py).
    """

    name: ClassVar[str] = "dlib"
    model: str = "hog"
    detection_width: int = 640
    upsample: int = 1
    landmarks: str = "small"

    def __post_init__(self) -> None:
        if self.model not in ("hog", "cnn"):
            raise ValueError(f"detector model must be 'hog' or 'cnn', not {self.model!r}")
        if self.landmarks not in ("large", "small"):
            raise ValueError(f"landmarks must be 'large' or 'small', not {self.landmarks!r}")

    def warm_up(self) -> None:
        """Load the models this engine uses now (a second or two) rather than on the first
        face: its detector, its alignment's shape predictor and the encoder."""
        if self.model == "cnn":
            dlib_models.cnn_detector()
        else:
            dlib_models.hog_detector()
        dlib_models.shape_predictor(self.landmarks)
        dlib_models.encoder()

    def _locate(self, bgr: np.ndarray, width: int, upsample: int) -> list[Box]:
        """Faces in `bgr` searched at `width` pixels wide, as boxes in bgr's pixels. The
        copy searched is converted to RGB after shrinking, the fewer pixels."""
        small, back = _resized(bgr, max(1, width))
        rgb = bgr_to_rgb(small)
        found = face_locations(rgb, upsample, self.model)
        height, width = bgr.shape[:2]
        return [Box.from_css(css).scaled(back).clipped(width, height) for css in found]

    def detect(self, bgr: np.ndarray) -> list[Box]:
        """Faces in a BGR video frame, as boxes in the frame's own pixels."""
        return self._locate(bgr, min(bgr.shape[1], self.detection_width), self.upsample)

    def detect_in_regions(self, bgr: np.ndarray, areas: Sequence[SearchArea]) -> list[Box]:
        """Faces inside `areas` of a video frame (which must not overlap). An area that may
        hold a face of any size is searched like `detect` searches the whole frame, so a
        face is found alike either way; an area around tracked faces only at their size
        (TRACKED_FACE_PX). A face cut by an area's edge may be missed: areas need a margin.
        Only the areas are converted to RGB, not the frame."""
        height, width = bgr.shape[:2]
        frame_scale = min(1.0, self.detection_width / width)  # as `detect` shrinks frames
        found: list[Box] = []
        for area in areas:
            x1, y1, x2, y2 = (round(v) for v in area.box.clipped(width, height).as_tuple())
            if x2 - x1 < 8 or y2 - y1 < 8:
                continue
            crop = np.ascontiguousarray(bgr[y1:y2, x1:x2])
            if area.face_px is None:
                scale, upsample = frame_scale, self.upsample
            else:  # never larger than the whole-frame search would enlarge it
                scale = min(TRACKED_FACE_PX / area.face_px, frame_scale * 2 ** self.upsample)
                upsample = 0
            for box in self._locate(crop, round((x2 - x1) * scale), upsample):
                found.append(Box(box.x1 + x1, box.y1 + y1, box.x2 + x1, box.y2 + y1))
        return found

    def detect_in_photo(self, bgr: np.ndarray, certain_only: bool = False) -> list[Box]:
        """Faces in a BGR still photo, searched more thoroughly than in video: a photo is
        looked at once, so spending a little longer on it is worth it. HOG gives no
        score to be sure by, so `certain_only` changes nothing: what it finds at
        dlib's threshold is a face."""
        longest = max(bgr.shape[:2])
        upsample = 1 if longest <= PHOTO_UPSAMPLE_MAX_SIDE else 0
        max_width = bgr.shape[1]
        if longest > PHOTO_MAX_SIDE:
            max_width = round(bgr.shape[1] * PHOTO_MAX_SIDE / longest)
        return self._locate(bgr, max_width, upsample)

    @staticmethod
    def distances(encoding: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Euclidean distance from `encoding` to each row of `vectors` (N, 128), dlib's
        measure: 0.6 is its authors' threshold for "the same person"."""
        rows = np.asarray(vectors, dtype=np.float64).reshape(-1, len(encoding))
        return np.linalg.norm(rows - np.asarray(encoding, dtype=np.float64), axis=1)

    def encode(self, bgr: np.ndarray, boxes: list[Box], jitters: int = 1) -> list[np.ndarray]:
        """128-d encodings (float64) of the faces in `boxes` of a BGR image, in order.

        jitters > 1 averages the encodings of that many slightly shifted, rotated and scaled
        copies: steadier, at that many times the cost, so it is worth it for enrolment
        photos (encoded once) but not for video frames."""
        if not boxes:
            return []
        locations = [box.to_css() for box in boxes]
        rgb = bgr_to_rgb(bgr)
        return face_encodings(rgb, locations, jitters, self.landmarks)
