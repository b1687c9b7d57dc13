"""Points on a face followed from frame to frame, and what no flat picture can do to them.

A photo or a phone held up to the camera is flat: however it is moved, turned, tilted or
brought nearer, the image of every point on it moves by one plane-to-plane transform (a
homography) between two frames. A real head is not flat: when it turns or nods the nose
moves across the cheeks, the brows over the eyes, the outline over what is behind it;
when it talks the mouth and jaw move on their own. So the points of a real face, followed
over a fraction of a second, drift off the best homography; the points of a photo do not,
up to the tracker's own error.

This measures that drift from the pixels themselves (pyramidal Lucas-Kanade optical flow
on corners found inside the face, checked forwards and backwards), not from a landmark
model: a landmark model trained on real faces places the points of a turned photo where a
turned head's would be (it sees a foreshortened face and infers the depth), which is
exactly what this check must not do. benchmarks/liveness.py measured it: YuNet's nose
tip moved off the plane of its eyes and mouth by up to 0.17 eye distances on photo
attacks, more than on real heads.

Only the part of the frame around the face is looked at, scaled so the face is FACE_PX
tall, converted to grey: about a millisecond per face and frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from attendance_app.types import Box

FACE_PX = 100.0
"""Faces are followed at this height (never enlarged more than MAX_ENLARGE): the tracker's
error is then about the same fraction of any face."""

MAX_ENLARGE = 2.0

AROUND = 0.25
"""The area followed: the face's box grown by this part of its height on every side, so
that the face is still inside it on the next frame."""

INNER = (0.15, 0.1, 0.15, 0.05)
"""Corners are sought inside the box shrunk by these parts of its width (left, right) and
height (top, bottom): on the face itself, not on what is behind it (behind a photo is the
room, which moves unlike the photo where the photo's edge crosses it)."""

MAX_CORNERS = 80
MIN_POINTS = 12
"""Fewer points followed than this is no evidence (a blank or blurred face)."""

MAX_BACK_ERROR = 0.5
"""A point followed forwards and back must land within this many pixels (at FACE_PX) of
where it started, else it was lost (occluded, blurred, on an edge)."""

MAX_STEP = 0.1
"""A face that moved more than this part of its height since the last frame is not judged
on that frame (its corners are found afresh): Lucas-Kanade then finds some points
somewhere wrong but consistent both ways, which looks like a change of shape. A photo
swung by hand does that; a person facing a door camera seldom moves so fast."""

LK_PARAMS = {"winSize": (15, 15), "maxLevel": 2,
             "criteria": (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03)}
"""Lucas-Kanade's window and pyramid. Each search starts where the face's box moved the
point (`_guess`): a photo swung across the frame moves 30 px a frame at FACE_PX, beyond
what the pyramid finds alone, and points that were not found where they went were found
somewhere wrong but consistent both ways (on an edge), which looked like a change of
shape."""


def _guess(points: np.ndarray, before: Box, after: Box) -> np.ndarray:
    """Where `points` (frame pixels) go if the face moves and scales as its box did."""
    scale = after.height / max(before.height, 1.0)
    centre_before = np.array([(before.x1 + before.x2) / 2, (before.y1 + before.y2) / 2])
    centre_after = np.array([(after.x1 + after.x2) / 2, (after.y1 + after.y2) / 2])
    return (points - centre_before) * scale + centre_after


@dataclass(frozen=True)
class _Area:
    """The part of a frame followed: its top left corner in frame pixels and its scale."""

    x: int
    y: int
    width: int
    height: int
    scale: float

    @classmethod
    def around(cls, box: Box, frame_width: int, frame_height: int) -> _Area:
        grow = AROUND * box.height
        x1, y1 = max(0, int(box.x1 - grow)), max(0, int(box.y1 - grow))
        x2 = min(frame_width, int(box.x2 + grow) + 1)
        y2 = min(frame_height, int(box.y2 + grow) + 1)
        scale = min(MAX_ENLARGE, FACE_PX / max(box.height, 1.0))
        return cls(x1, y1, max(0, x2 - x1), max(0, y2 - y1), scale)

    def grey(self, frame_bgr: np.ndarray) -> np.ndarray | None:
        """This area of a BGR frame, scaled, in grey (None when it is too small)."""
        if self.width < 16 or self.height < 16:
            return None
        crop = frame_bgr[self.y:self.y + self.height, self.x:self.x + self.width]
        size = (max(1, round(self.width * self.scale)), max(1, round(self.height * self.scale)))
        interpolation = cv2.INTER_AREA if self.scale < 1 else cv2.INTER_LINEAR
        return cv2.cvtColor(cv2.resize(crop, size, interpolation=interpolation),
                            cv2.COLOR_BGR2GRAY)

    def to_frame(self, points: np.ndarray) -> np.ndarray:
        return points / self.scale + (self.x, self.y)

    def from_frame(self, points: np.ndarray) -> np.ndarray:
        return ((points - (self.x, self.y)) * self.scale).astype(np.float32)


def _corners(grey: np.ndarray, area: _Area, box: Box) -> np.ndarray | None:
    """Corners worth following on the face in `box`, in the area's pixels."""
    left, top, right, bottom = INNER
    x1, y1 = area.from_frame(np.array([[box.x1 + left * box.width, box.y1 + top * box.height]]))[0]
    x2, y2 = area.from_frame(np.array([[box.x2 - right * box.width,
                                        box.y2 - bottom * box.height]]))[0]
    mask = np.zeros_like(grey)
    mask[max(0, int(y1)):max(0, int(y2)), max(0, int(x1)):max(0, int(x2))] = 255
    corners = cv2.goodFeaturesToTrack(grey, MAX_CORNERS, 0.01, 4, mask=mask)
    return None if corners is None or len(corners) < MIN_POINTS else corners.reshape(-1, 2)


SLIP = 0.03
"""Points further than this part of the face's height off the plane most points agree on
(RANSAC) slipped (the tracker lost them): a head's change of shape over MOTION_SPAN frames
moves points a fraction of that."""

NEIGHBOURS = 6
"""Each point's drift is averaged with its nearest neighbours' (below)."""


def off_plane(first: np.ndarray, last: np.ndarray, face_px: float) -> float | None:
    """How far points moved from `first` to `last` (frame pixels, one row per point) off
    the homography that fits them best (least squares), in parts of the face's height
    `face_px`. Each point's miss is averaged with its NEIGHBOURS nearest points' first:
    the tracker's own error differs from point to point and averages out, while a change
    of shape moves neighbouring points alike (the nose, the mouth). Then the 75th
    percentile over the points: not the mean, as a few points slip on any face; not the
    median, so that a part of the face that moves alone counts."""
    if len(first) < MIN_POINTS:
        return None
    _, inliers = cv2.findHomography(first, last, cv2.RANSAC, SLIP * face_px)
    if inliers is None or inliers.sum() < MIN_POINTS:
        return None
    first, last = first[inliers.ravel() == 1], last[inliers.ravel() == 1]
    transform, _ = cv2.findHomography(first, last, 0)
    if transform is None:
        return None
    carried = cv2.perspectiveTransform(first[None].astype(np.float64), transform)[0]
    misses = last - carried
    spacing = np.linalg.norm(first[:, None] - first[None], axis=2)
    nearest = np.argsort(spacing, axis=1)[:, :NEIGHBOURS + 1]  # each point and its neighbours
    smoothed = misses[nearest].mean(axis=1)
    return float(np.percentile(np.linalg.norm(smoothed, axis=1), 75)) / face_px


class FaceFlow:
    """Corners of one face followed from frame to frame; `add` each frame's box in order.

    The corners are found afresh every `span` frames (and when too many were lost); the
    drift off the plane is measured from where the current corners were first seen."""

    def __init__(self, span: int) -> None:
        self.span = span
        self._area: _Area | None = None
        self._grey: np.ndarray | None = None
        self._start: np.ndarray | None = None  # frame pixels where the corners were found
        self._now: np.ndarray | None = None  # the area's pixels, on the last frame
        self._frame_now: np.ndarray | None = None  # frame pixels, on the last frame
        self._age = 0
        self._last_frame: int | None = None
        self._box: Box | None = None

    def add(self, frame_bgr: np.ndarray, box: Box, frame_index: int) -> float | None:
        """Follow the corners onto this frame; the drift off the plane since they were first
        seen (off_plane), or None when there is nothing to tell yet."""
        height, width = frame_bgr.shape[:2]
        drift = None
        if (self._area is not None and self._now is not None
                and self._last_frame == frame_index - 1):
            drift = self._follow(frame_bgr, box)
        else:
            self._start = None
        self._last_frame = frame_index
        self._box = box
        self._area = _Area.around(box, width, height)
        self._grey = self._area.grey(frame_bgr)
        if self._grey is None:
            self._start = None
            return None
        if self._start is None or self._age >= self.span:
            corners = _corners(self._grey, self._area, box)
            self._start = None if corners is None else self._area.to_frame(corners)
            self._now = corners
            self._age = 0
        else:
            assert self._frame_now is not None
            self._now = self._area.from_frame(self._frame_now)
        return drift

    def _follow(self, frame_bgr: np.ndarray, box: Box) -> float | None:
        """Track the corners from the last frame's area to the same area of this frame."""
        assert self._area is not None and self._grey is not None and self._now is not None
        grey = self._area.grey(frame_bgr)
        if grey is None or self._start is None or self._box is None:
            self._start = None
            return None
        guess = self._area.from_frame(_guess(self._area.to_frame(self._now), self._box, box))
        forward, found, _ = cv2.calcOpticalFlowPyrLK(self._grey, grey, self._now, guess,
                                                     flags=cv2.OPTFLOW_USE_INITIAL_FLOW,
                                                     **LK_PARAMS)
        back, found_back, _ = cv2.calcOpticalFlowPyrLK(grey, self._grey, forward, None,
                                                       **LK_PARAMS)
        error = np.linalg.norm((back - self._now).reshape(-1, 2), axis=1)
        kept = (found.ravel() == 1) & (found_back.ravel() == 1) & (error < MAX_BACK_ERROR)
        if kept.sum() < MIN_POINTS or np.median(np.linalg.norm(
                (forward - self._now).reshape(-1, 2)[kept], axis=1)) > MAX_STEP * FACE_PX:
            self._start = None
            return None
        self._start = self._start[kept]
        self._frame_now = self._area.to_frame(forward.reshape(-1, 2)[kept])
        self._age += 1
        return off_plane(self._start, self._frame_now, box.height)
