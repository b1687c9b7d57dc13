"""Liveness: a photo or a phone held up to the camera logs nobody (opt-in: liveness.mode).

A recognised face gets its row only once it has shown, while in view, something a flat
still picture cannot do. Two checks, each on dlib's 68 landmarks of the face
(faces/landmarks.py), gathered only for tracks whose check is still pending:

- `motion`: the face changes shape. However a flat picture is moved, turned, tilted or
  brought nearer, its landmarks in two frames are related by one plane-to-plane transform
  (a homography); a real head turning, nodding or talking is not, as the nose stands out
  of the face and the jaw line is an outline. `planar_residual` measures what the best
  homography leaves unexplained. The landmark model is not exact, and on a picture it
  now and then jumps to another fit for one frame, so one large residual proves nothing:
  the check passes when two looks in a row both differ by more than MOTION_RESIDUAL from
  two earlier looks in a row (four residuals, `MotionCheck`). Looks are taken where the
  detector found the face, every MOTION_LOOK_SPACING frames at most.
- `blink`: the eyes close and open again (eye aspect ratio, Soukupova and Cech 2016),
  looked at on every frame, since a blink lasts 2 to 8 frames at 25 frames/s.

What neither stops: a video of the person replayed on a phone or a screen, a mask, or
a printed photo bent or folded (no longer flat). They stop a printed photo and a still
image on a phone. Every threshold below was measured with benchmarks/liveness.py on
rendered photo attacks (benchmarks/photo_attack.py) and the real walkers video.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

import cv2
import numpy as np

from attendance_app.faces.dlib_engine import bgr_to_rgb
from attendance_app.faces.landmarks import Landmarker
from attendance_app.recognition.encoders import face_crop
from attendance_app.types import Box

MODES = ("off", "blink", "motion")

PROMPTS = {"blink": "blink, please", "motion": "turn your head a little"}
"""What the box of a recognised face says while its check is pending."""

PLANE_POINTS = 51
"""The landmarks (of 68) the plane is fitted to the second time: the three quarters the
first fit explains best. On a turned or tilted photo the landmark model puts the jaw line
where a turned head's would be, a few points far off any plane, which pulled a fit to all
68 points off the others: on 64 photo attacks the largest block residual was 0.108 that
way (RMS over all points), 0.051 refitted (median)."""

MOTION_RESIDUAL = 0.065
"""Least residual (`planar_residual`, in eye distances) between looks that counts as a
change of shape. On 64 photo attacks, in two draws of the hands' paths, no block of four
residuals reached 0.052 (median per face 0.024 to 0.026). In the walkers video walker_01
passed 0.6 s after he was first seen (his look down and head turn reach 0.099 over the
whole video), and 3 of the 9 faces in view for a second or more passed within its 4 s.
In a rough head model a turn of 30 degrees alone makes about 0.07 (benchmarks/liveness.py,
tests/unit/recognition/test_liveness.py)."""

MOTION_MIN_FACE_PX = 60
"""Faces shorter than this (frame pixels) are not looked at for motion: on a phone held
at 640x360, a 41 to 47 px face's landmarks wandered enough (block 0.149) to pass; from 50
px on no photo attack went above 0.052. 60 is also the least height of a clear look
(attendance_app.faces.clarity)."""

MOTION_LOOK_SPACING = 5
"""Frames between two looks of a track: the detector's pace (detection.every_n_frames),
kept when it runs more often (in a busy picture it runs on most frames), so that the
looks compared span the same time whatever the detector does, and cost no more."""

MOTION_LOOKS_KEPT = 12
"""Looks of a track compared with each other: 2.4 s at 25 frames/s. walker_01 looks down,
then turns his head, 2 s later: a window of 8 looks (1.6 s) caught less of it."""

BLINK_CLOSED = 0.35
"""An eye is closed when its aspect ratio is below this part of the face's open-eye level
(the median of its earlier looks): a closed eye's ratio is a third or less of an open
one's. At half, one photo attack of 64 passed: narrowed eyes behind glasses (LFW's
Bill_Graham), whose lids the landmark model placed at 0.43 to 0.49 of their level on
three frames in a row. At 0.35 none passed in two draws of the hands' paths (one face
once had two frames in a row below it)."""

BLINK_REOPENED = 0.8
"""...and open again above this part of that level."""

BLINK_FRAMES = (2, 8)
"""A blink keeps the eyes closed for this many frames (at 25 frames/s, 80 to 320 ms);
one frame is the landmark model's noise, longer is looking down or a photo of closed eyes."""

BLINK_LEVEL_LOOKS = 8
"""Looks needed before the open-eye level is trusted."""

BLINK_MIN_FACE_PX = 80
"""Faces shorter than this (frame pixels) are too small to see an eyelid: at 50 px the
eyes are 3 px tall, and the ratio on photo attacks dipped below half on its own."""


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean eye aspect ratio of both eyes from 68 landmarks: the eye's height (two
    verticals) over its width; about 0.3 open, under 0.1 closed."""

    def one(eye: np.ndarray) -> float:
        height = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        return float(height / (2.0 * np.linalg.norm(eye[0] - eye[3])))

    return (one(points[36:42]) + one(points[42:48])) / 2.0


def eye_distance(points: np.ndarray) -> float:
    """Distance between the centres of the eyes, the unit of shape change."""
    return float(np.linalg.norm(points[36:42].mean(axis=0) - points[42:48].mean(axis=0)))


def _plane_fit(first: np.ndarray, second: np.ndarray, fitted: np.ndarray) -> np.ndarray:
    """Distances of all `second`'s points from `first`'s carried by the homography fitted
    (least squares) to the points `fitted` (indices)."""
    transform, _ = cv2.findHomography(first[fitted], second[fitted], 0)
    if transform is None:  # degenerate points: nothing to tell a plane from
        return np.zeros(len(first))
    carried = cv2.perspectiveTransform(first[None], transform)[0]
    return np.linalg.norm(carried - second, axis=1)


def planar_residual(first: np.ndarray, second: np.ndarray) -> float:
    """How far `second`'s 68 landmarks are from `first`'s carried by the best homography:
    the median distance, in `second`'s eye distances, after fitting to all points and
    again to the PLANE_POINTS it explains best. About 0.02 for a photo however it is held
    (the landmark model's noise), more for a head that turned, nodded or spoke."""
    distances = _plane_fit(first, second, np.arange(len(first)))
    distances = _plane_fit(first, second, np.argsort(distances)[:PLANE_POINTS])
    return float(np.median(distances)) / eye_distance(second)


class Check(Protocol):
    """One track's liveness evidence so far."""

    passed: bool

    def wants(self, frame_index: int, face_px: float) -> bool:
        """Whether a look on frame `frame_index` at a face `face_px` tall would be used
        (else it is not taken: landmarks cost)."""

    def add(self, points: np.ndarray, frame_index: int) -> None:
        """Count the landmarks seen on frame `frame_index`."""


class MotionCheck:
    """Passes once the face changed shape as no flat picture can (module docstring)."""

    def __init__(self) -> None:
        self.passed = False
        self._last_frame: int | None = None
        self._looks: deque[np.ndarray] = deque(maxlen=MOTION_LOOKS_KEPT)
        self._residuals: deque[list[float]] = deque(maxlen=MOTION_LOOKS_KEPT)
        """Per look kept: its residuals to the looks before it, nearest first."""

    def wants(self, frame_index: int, face_px: float) -> bool:
        return face_px >= MOTION_MIN_FACE_PX and (
            self._last_frame is None or frame_index - self._last_frame >= MOTION_LOOK_SPACING)

    def add(self, points: np.ndarray, frame_index: int) -> None:
        self._last_frame = frame_index
        self._residuals.append([planar_residual(old, points) for old in reversed(self._looks)])
        self._looks.append(points)
        self.passed = self.passed or self._changed()

    def _changed(self) -> bool:
        """Whether the newest two looks both differ from two earlier consecutive looks:
        residuals of looks -1 and -2 to looks -k and -(k+1), for k from 3 on."""
        if len(self._looks) < 4:
            return False
        newest, before = self._residuals[-1], self._residuals[-2]
        # newest[j] is to look -(j+2); before[j] is to look -(j+3).
        return any(min(newest[k - 2], newest[k - 1], before[k - 3], before[k - 2]) > MOTION_RESIDUAL
                   for k in range(3, len(self._looks)))


class BlinkCheck:
    """Passes once the eyes closed for BLINK_FRAMES and opened again."""

    def __init__(self) -> None:
        self.passed = False
        self._open: deque[float] = deque(maxlen=25)  # recent open-eye ratios
        self._closed_since: int | None = None
        self._last_frame: int | None = None

    def wants(self, frame_index: int, face_px: float) -> bool:
        return face_px >= BLINK_MIN_FACE_PX

    def add(self, points: np.ndarray, frame_index: int) -> None:
        if self._last_frame is not None and frame_index != self._last_frame + 1:
            self._closed_since = None  # a gap: what the eyes did meanwhile is unknown
        self._last_frame = frame_index
        ratio = eye_aspect_ratio(points)
        level = float(np.median(self._open)) if len(self._open) >= BLINK_LEVEL_LOOKS else None
        if level is not None and ratio < BLINK_CLOSED * level:
            if self._closed_since is None:
                self._closed_since = frame_index
            return
        if level is not None and self._closed_since is not None and ratio > BLINK_REOPENED * level:
            closed = frame_index - self._closed_since
            self.passed = self.passed or BLINK_FRAMES[0] <= closed <= BLINK_FRAMES[1]
        self._closed_since = None
        self._open.append(ratio)


class Liveness:
    """The checks of the tracks in view, for one pipeline: `observe` a pending track's face,
    ask whether it `passed`. mode: "blink" or "motion" (MODES without "off")."""

    def __init__(self, mode: str, landmarker: Landmarker) -> None:
        if mode not in MODES[1:]:
            raise ValueError(f"liveness mode must be one of {', '.join(MODES[1:])}, not {mode!r}")
        self.mode = mode
        self.landmarker = landmarker
        self.prompt = PROMPTS[mode]
        self.every_frame = mode == "blink"
        """Whether faces are looked at on every frame, not only where the detector ran."""
        self._checks: dict[int, Check] = {}

    def _check(self, track_id: int) -> Check:
        check = self._checks.get(track_id)
        if check is None:
            check = MotionCheck() if self.mode == "motion" else BlinkCheck()
            self._checks[track_id] = check
        return check

    def observe(self, track_id: int, frame_bgr: np.ndarray, box: Box, frame_index: int) -> None:
        """Find the landmarks of the face in `box` of a BGR frame and add them to the
        track's check, if it wants this look. Only the part of the frame around the face
        is converted."""
        if not self._check(track_id).wants(frame_index, box.height):
            return
        crop, inner = face_crop(frame_bgr, box)
        points = self.landmarker.landmarks(bgr_to_rgb(crop), inner)
        self.add(track_id, points + (box.x1 - inner.x1, box.y1 - inner.y1), frame_index)

    def add(self, track_id: int, points: np.ndarray, frame_index: int) -> None:
        """Add a track's landmarks (frame pixels) seen on `frame_index` to its check."""
        self._check(track_id).add(points, frame_index)

    def passed(self, track_id: int) -> bool:
        check = self._checks.get(track_id)
        return check is not None and check.passed

    def restart(self, track_id: int) -> None:
        """Forget a track's evidence: its box may be on another face now."""
        self._checks.pop(track_id, None)
