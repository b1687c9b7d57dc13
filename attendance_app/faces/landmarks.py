"""dlib's 68 facial landmarks of a face box, whatever engine found the box.

Liveness (attendance_app/recognition/liveness.py) reads the eyes and the shape of the face from these
points. The model is the 68-point shape predictor inside face-recognition-models, which
is installed with every engine; it is loaded on first use (about 0.4 s, 100 MB), by
itself, not through face_recognition, so the sface engine does not load dlib's detector
and encoder for it. Both passes over a face (see below) cost 2 to 3 ms (medians of 2.2
to 3.3 ms in benchmarks/liveness.py on the walkers video, 1920x1080).

The predictor was trained on the boxes of dlib's HOG detector: square, from the brows to
the chin. YuNet's boxes (the sface engine) are taller, from the hairline; given one, the
predictor's points lay 0.044 eye distances (RMS, median over the shared enrolment photos
both detectors found) from those it finds in HOG's box. So a YuNet box is first turned
into the box HOG would draw around that face (YUNET_TO_HOG): 0.026.

Where the predictor puts the points depends on the box it is given, and a detector's box
wanders by a tenth of the face from one frame to the next. On a photo moved in front of
the camera that made the points move in ways no flat picture can, which is what liveness
looks for. So the points are found twice: the second time in a box placed by the first
points' eyes and mouth (REFRAME_*), which no longer depends on the detector. On 33 photo
attacks (benchmarks/photo_attack.py) this cut the change of a photo's points between two
detection rounds that no plane-to-plane transform explains (RMS over the 68 points, in
eye distances) from 0.13 to 0.085 at the 99.5th percentile, for twice the cost.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np

from attendance_app.types import Box

YUNET_TO_HOG = (-0.026, 0.067, 1.006, 0.930)
"""HOG's box (x1, y1, x2, y2) as parts of YuNet's box width and height, from YuNet's top
left corner: the medians over the 72 faces both detectors found in the shared enrolment,
probe and LFW enrolment photos (10th to 90th percentile within 0.1 of the median)."""

REFRAME_CENTRE = (-0.053, -0.064)
"""Centre of HOG's box from the midpoint between the eyes' centre and the mouth's centre,
in eye-to-mouth distances (x, y): the medians over the 135 faces HOG found in the shared
enrolment, probe and LFW photos."""

REFRAME_HALF_SIDE = 1.09
"""Half the side of HOG's (square) box, in eye-to-mouth distances, over the same faces
(10th to 90th percentile 0.95 to 1.22)."""


class LandmarkError(Exception):
    """The landmark model cannot be loaded; the message says how to repair the install."""


def hog_like(box: Box, engine: str) -> Box:
    """The box the landmark model expects for a face that `engine` boxed as `box`."""
    if engine != "sface":
        return box
    x1, y1, x2, y2 = YUNET_TO_HOG
    return Box(box.x1 + x1 * box.width, box.y1 + y1 * box.height,
               box.x1 + x2 * box.width, box.y1 + y2 * box.height)


def reframed(points: np.ndarray) -> Box:
    """The box HOG would draw around a face whose 68 landmarks are `points` (REFRAME_*)."""
    eyes, mouth = points[36:48].mean(axis=0), points[48:68].mean(axis=0)
    scale = float(np.linalg.norm(mouth - eyes))
    x = (eyes[0] + mouth[0]) / 2 + REFRAME_CENTRE[0] * scale
    y = (eyes[1] + mouth[1]) / 2 + REFRAME_CENTRE[1] * scale
    half = REFRAME_HALF_SIDE * scale
    return Box(x - half, y - half, x + half, y + half)


class Landmarker:
    """Finds the 68 landmarks of faces boxed by `engine` ("dlib" or "sface")."""

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._predictor = None

    def _model(self):  # -> dlib.shape_predictor (dlib has no type hints)
        with self._lock:
            if self._predictor is None:
                try:
                    import dlib
                    with warnings.catch_warnings():
                        # face_recognition_models imports pkg_resources; the warning is noise.
                        warnings.simplefilter("ignore", UserWarning)
                        import face_recognition_models
                    self._predictor = dlib.shape_predictor(
                        face_recognition_models.pose_predictor_model_location())
                except (ImportError, RuntimeError) as error:
                    raise LandmarkError(f"the landmark model cannot be loaded ({error}); "
                                        "reinstall with the command in README.md") from None
            return self._predictor

    def _points(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        import dlib

        predictor = self._model()
        rectangle = dlib.rectangle(round(box.x1), round(box.y1), round(box.x2), round(box.y2))
        with self._lock:
            shape = predictor(rgb, rectangle)
        return np.array([(point.x, point.y) for point in shape.parts()], dtype=np.float64)

    def landmarks(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        """The 68 landmarks (x, y in rgb's pixels, float, shape (68, 2)) of the face in
        `box` of a contiguous RGB image, in dlib's order (jaw 0-16, brows 17-26, nose
        27-35, eyes 36-47, mouth 48-67); found twice, the second time in the box the
        first points give (see the module's docstring)."""
        first = self._points(rgb, hog_like(box, self.engine))
        return self._points(rgb, reframed(first))
