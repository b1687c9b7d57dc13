"""The sface engine: OpenCV's YuNet finds faces and 5 landmarks, SFace encodes them.

It takes and returns what the dlib engine (dlib_engine.py) does: OpenCV's BGR arrays in,
`Box`es in (x1, y1, x2, y2) image pixels and 128-d encodings out, so either can serve
the pipeline. YuNet and SFace's alignCrop want BGR too, so a frame is never converted.

Why landmarks travel with boxes: SFace encodes a face only after alignCrop has turned and
scaled it onto SFace's 112x112 template, and alignCrop works from the 5 landmarks YuNet
returns with each box; a box alone cannot be aligned. Callers of the dlib engine hand
`encode` the boxes a detection returned, so each detection call remembers the `Face`s
(box, landmarks, score) it found on that image and `encode` looks its boxes up there.
A box that was not found on that very image (the pipeline's encoder process gets a crop
of the frame with the box moved into it) gets its landmarks from a search of the area
around it; one with no face at all in it, from where YuNet typically puts them.

Models load on first use, not on import, from files whose digests are checked first
(attendance_app/faces/models.py).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from attendance_app.faces.models import create_detector, create_recognizer
from attendance_app.faces.protocol import SearchArea
from attendance_app.types import Box

ENCODING_SIZE = 128

MIN_SEARCHED_PX = 32
"""The smallest width and height YuNet is run on (its coarsest stride). Below it the
network's coarsest feature map is less than one cell, and what it returns is not even
repeatable: the same 182x17 crop searched at 0.64 (116x11 pixels) of an empty corridor
gave a 0.95-score "face" in 1 of 24 processes and nothing in the other 23. No face the
app could name fits in such a sliver; the face is found once more of it is in view."""

SCORE_THRESHOLD = 0.7
"""YuNet's lowest face score kept. Issue 12 measured it on the group photos: 0.7 kept
every real face without inventing any; 0.6 boxed a wall clock, 0.9 lost about 10%."""

CERTAIN_SCORE = 0.85
"""YuNet's lowest score for a face to enrol from. In every one of the 179 photos of the
shared test set that shows a person (enrolment photos, probes, LFW, strangers, group
photos) the best face scored 0.89 or more; a dog's face scored 0.83 (and would have been
enrolled at SCORE_THRESHOLD). A face seen at the door may be doubtful, one to be
remembered as someone's must not be."""

DETECTION_WIDTH = 640
"""Frames and photos wider than this are searched on a copy this wide. YuNet is made for
faces of about 10 to 300 px; at 640 px it found as many faces (score >= 0.7) as at full
size in every photo of the shared test set, at a fraction of the cost."""

TRACKED_FACE_PX = 64
"""Around a face already followed, the picture is scaled so the face is this tall (never
enlarged beyond its own pixels): well inside YuNet's range, and the area is a few times
the face's size, so searching it costs a small part of a whole-frame search."""

AROUND_BOX = 1.0
"""To find the landmarks of a box the engine did not find itself on that image, the box
grown by this part of its size on every side is searched, with the face at
TRACKED_FACE_PX."""

AROUND_BOX_SCORE = 0.1
"""YuNet's lowest score kept in that search. A detector already put a face there and only
its landmarks are sought: on the walkers video a search around each box at 0.7 found no
face for 43 of the 574 faces the whole-frame search had found (all scored 0.70 to 0.81
there, so a little less in the crop), at 0.1 it found all of them."""

MIN_SAME_FACE_IOU = 0.3
"""A face found in that area is the box's own when they overlap at least this much."""

TYPICAL_LANDMARKS = ((0.274, 0.375), (0.749, 0.369), (0.517, 0.568), (0.312, 0.726),
                     (0.717, 0.726))
"""Where YuNet puts the 5 landmarks inside its box, as parts of the box's width and height
(the median over the 202 faces it found in the shared test photos). The last resort for
a box in which no face is found at all, so that `encode` still returns an encoding for
every box, as the dlib engine does."""


def _resized(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """`image` at width x height pixels (itself when that is its size)."""
    if (width, height) == (image.shape[1], image.shape[0]):
        return image
    shrinking = width < image.shape[1]
    return cv2.resize(image, (width, height),
                      interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)


def _iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 to 1)."""
    inner = Box(max(a.x1, b.x1), max(a.y1, b.y1), min(a.x2, b.x2), min(a.y2, b.y2))
    overlap = inner.area if inner.width > 0 and inner.height > 0 else 0.0
    union = a.area + b.area - overlap
    return overlap / union if union > 0 else 0.0


@dataclass(frozen=True)
class Face:
    """A face YuNet found: its box (clipped to the image), its 5 landmarks and its score.

    landmarks: five (x, y) in image pixels, in YuNet's order: right eye, left eye, tip of
    the nose, right and left corner of the mouth. They are kept unclipped: a face cut by
    the image's edge still aligns on where its eyes would be.
    """

    box: Box
    landmarks: tuple[tuple[float, float], ...]
    score: float

    def yunet_row(self) -> np.ndarray:
        """The face as one row of YuNet's output (x, y, w, h, 5 landmarks, score), the form
        alignCrop takes. float32: alignCrop reads a float64 row as float32 memory, without
        an error, and aligns on garbage."""
        box = self.box
        points = [value for point in self.landmarks for value in point]
        return np.array([box.x1, box.y1, box.width, box.height, *points, self.score],
                        dtype=np.float32)


def _faces_in_rows(rows: np.ndarray | None, scale_x: float, scale_y: float, dx: float,
                   dy: float, width: int, height: int) -> list[Face]:
    """YuNet's rows (pixels of the image it searched) as Faces in pixels of the original:
    x * scale_x + dx, y * scale_y + dy; boxes clipped to width x height (a face whose box
    lies wholly outside is left out: an empty box would make the tracker divide by zero)."""
    if rows is None:
        return []
    faces = []
    for x, y, w, h, *rest in rows.tolist():
        points, score = rest[:10], rest[10]
        box = Box(x * scale_x + dx, y * scale_y + dy, (x + w) * scale_x + dx,
                  (y + h) * scale_y + dy).clipped(width, height)
        if box.width < 1 or box.height < 1:
            continue  # YuNet's box lay beyond the image's edge: clipped, nothing is left
        landmarks = tuple((points[i] * scale_x + dx, points[i + 1] * scale_y + dy)
                          for i in range(0, 10, 2))
        faces.append(Face(box, landmarks, float(score)))
    return faces


class SFaceEngine:
    """Detects faces with YuNet and encodes them with SFace; the dlib engine's methods.

    detection_width: frames and photos wider than this are shrunk to it before detection.
    score_threshold: YuNet's lowest face score kept (0 to 1; higher finds fewer faces).

    One engine may be used from several threads (a lock serialises its models, which
    keep state between calls) and pickled into a worker process (the models are not
    pickled but loaded again there on first use).
    """

    name = "sface"

    def __init__(self, detection_width: int = DETECTION_WIDTH,
                 score_threshold: float = SCORE_THRESHOLD) -> None:
        if detection_width < 32:
            raise ValueError(f"detection width must be at least 32 px, not {detection_width}")
        if not 0.0 < score_threshold < 1.0:
            raise ValueError(f"score threshold must be between 0 and 1, not {score_threshold}")
        self.detection_width = detection_width
        self.score_threshold = score_threshold
        self._lock = threading.RLock()
        self._detector: cv2.FaceDetectorYN | None = None
        self._recognizer: cv2.FaceRecognizerSF | None = None
        self._searched: weakref.ref[np.ndarray] | None = None
        self._found: dict[Box, Face] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"detection_width": self.detection_width,
                "score_threshold": self.score_threshold}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def _models(self) -> tuple[cv2.FaceDetectorYN, cv2.FaceRecognizerSF]:
        with self._lock:
            if self._detector is None or self._recognizer is None:
                self._detector = create_detector(self.score_threshold)
                self._recognizer = create_recognizer()
            return self._detector, self._recognizer

    def warm_up(self) -> None:
        """Check and load the models now (a fraction of a second) rather than on the
        first face; ModelError (one line) when they are missing or damaged."""
        self._models()

    def _search(self, bgr: np.ndarray, scale: float, origin: tuple[float, float],
                size: tuple[int, int], score_threshold: float | None = None) -> list[Face]:
        """Faces in `bgr` searched at `scale` times its size, as Faces in the pixels of an
        image of `size` (width, height) in which `bgr` starts at `origin`; faces scored
        below `score_threshold` (default: the engine's) are left out."""
        height, width = bgr.shape[:2]
        searched_w, searched_h = max(1, round(width * scale)), max(1, round(height * scale))
        if min(searched_w, searched_h) < MIN_SEARCHED_PX:
            return []
        small = _resized(bgr, searched_w, searched_h)
        detector, _ = self._models()
        with self._lock:
            detector.setInputSize((searched_w, searched_h))
            detector.setScoreThreshold(self.score_threshold if score_threshold is None
                                       else score_threshold)
            _, rows = detector.detect(small)
        return _faces_in_rows(rows, width / searched_w, height / searched_h, *origin, *size)

    def _remember(self, bgr: np.ndarray, faces: list[Face]) -> None:
        """Keep `faces` as the ones found on `bgr`, for `encode` to find their landmarks.
        One image at a time: a detection on another image replaces them (its boxes then
        get their landmarks searched again). Only a weak reference to the image is kept,
        so it is never held alive here and a new image at its address is not taken for it."""
        with self._lock:
            self._searched = weakref.ref(bgr)
            self._found = {face.box: face for face in faces}

    def _recall(self, bgr: np.ndarray, box: Box) -> Face | None:
        with self._lock:
            if self._searched is not None and self._searched() is bgr:
                return self._found.get(box)
            return None

    def detect_faces(self, bgr: np.ndarray) -> list[Face]:
        """Faces in a BGR frame (searched at most detection_width wide), with landmarks,
        in the frame's own pixels."""
        height, width = bgr.shape[:2]
        scale = min(1.0, self.detection_width / width)
        faces = self._search(bgr, scale, (0.0, 0.0), (width, height))
        self._remember(bgr, faces)
        return faces

    def detect(self, bgr: np.ndarray) -> list[Box]:
        """Faces in a BGR video frame, as boxes in the frame's own pixels."""
        return [face.box for face in self.detect_faces(bgr)]

    def detect_in_photo(self, bgr: np.ndarray, certain_only: bool = False) -> list[Box]:
        """Faces in a still photo, searched like a video frame. The dlib engine upsamples
        photos because HOG needs faces of about 80 px; YuNet finds them from about 10 px
        on the copy at detection_width (see DETECTION_WIDTH). With `certain_only`, only
        faces scored at least CERTAIN_SCORE."""
        faces = self.detect_faces(bgr)
        return [face.box for face in faces if not certain_only or face.score >= CERTAIN_SCORE]

    def _search_area(self, bgr: np.ndarray, area: Box, face_px: float | None,
                     score_threshold: float | None = None) -> list[Face]:
        """Faces inside `area` of a BGR image: at the whole-frame scale when any face may
        be there (face_px None), else at the scale that makes face_px TRACKED_FACE_PX."""
        height, width = bgr.shape[:2]
        x1, y1, x2, y2 = (round(v) for v in area.clipped(width, height).as_tuple())
        if x2 - x1 < 8 or y2 - y1 < 8:
            return []
        scale = min(1.0, self.detection_width / width)
        if face_px is not None:
            scale = min(1.0, TRACKED_FACE_PX / max(face_px, 1.0))
        crop = np.ascontiguousarray(bgr[y1:y2, x1:x2])
        return self._search(crop, scale, (float(x1), float(y1)), (width, height),
                            score_threshold)

    def detect_in_regions(self, bgr: np.ndarray, areas: Sequence[SearchArea]) -> list[Box]:
        """Faces inside `areas` of a BGR video frame (which must not overlap), as boxes in
        the frame's pixels. An area that may hold a face of any size is searched as
        `detect` searches the whole frame; an area around tracked faces at their size
        (TRACKED_FACE_PX). A face cut by an area's edge may be missed: areas need a margin."""
        faces = [face for area in areas for face in self._search_area(bgr, area.box, area.face_px)]
        self._remember(bgr, faces)
        return [face.box for face in faces]

    def face_at(self, bgr: np.ndarray, box: Box) -> Face:
        """The Face a detection on `bgr` found at `box`; else the face found around `box`
        that overlaps it most; else `box` with TYPICAL_LANDMARKS (no face to be found)."""
        remembered = self._recall(bgr, box)
        if remembered is not None:
            return remembered
        grow_x, grow_y = box.width * AROUND_BOX, box.height * AROUND_BOX
        area = Box(box.x1 - grow_x, box.y1 - grow_y, box.x2 + grow_x, box.y2 + grow_y)
        found = self._search_area(bgr, area, box.height, AROUND_BOX_SCORE)
        best = max(found, key=lambda face: _iou(face.box, box), default=None)
        if best is not None and _iou(best.box, box) >= MIN_SAME_FACE_IOU:
            return best
        return Face(box, tuple((box.x1 + x * box.width, box.y1 + y * box.height)
                               for x, y in TYPICAL_LANDMARKS), 0.0)

    def encode_faces(self, bgr: np.ndarray, faces: Sequence[Face]) -> list[np.ndarray]:
        """128-d encodings (float64, unit length) of `faces` in a BGR image, in order."""
        if not faces:
            return []
        _, recognizer = self._models()
        encodings = []
        with self._lock:
            for face in faces:
                aligned = recognizer.alignCrop(bgr, face.yunet_row())
                feature = np.array(recognizer.feature(aligned), dtype=np.float64).reshape(-1)
                encodings.append(feature / np.linalg.norm(feature))
        return encodings

    def encode(self, bgr: np.ndarray, boxes: list[Box], jitters: int = 1) -> list[np.ndarray]:
        """128-d encodings (float64, unit length) of the faces in `boxes`, in order.

        jitters: only 1. dlib averages jittered copies; SFace's alignment is fixed by the
        landmarks and has nothing to jitter, so asking for it is refused, not ignored."""
        if jitters != 1:
            raise ValueError(f"the sface engine does not jitter (jitters={jitters})")
        return self.encode_faces(bgr, [self.face_at(bgr, box) for box in boxes])

    @staticmethod
    def distances(encoding: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """1 - cosine similarity from `encoding` to each row of `vectors` (N, 128): 0 for
        the same direction, 2 for the opposite; lower is more alike, as with dlib's
        Euclidean distance, so tolerance and margin keep their meaning."""
        rows = np.asarray(vectors, dtype=np.float64).reshape(-1, ENCODING_SIZE)
        one = np.asarray(encoding, dtype=np.float64).reshape(ENCODING_SIZE)
        norms = np.linalg.norm(rows, axis=1) * np.linalg.norm(one)
        return 1.0 - rows @ one / norms

    @classmethod
    def distance(cls, a: np.ndarray, b: np.ndarray) -> float:
        """1 - cosine similarity of two encodings (cosine 0.40 is distance 0.60)."""
        return float(cls.distances(a, b)[0])
