"""SORT: follow boxes from frame to frame with a Kalman filter per box and Hungarian matching.

After Bewley et al., "Simple Online and Realtime Tracking" (2016). Each followed object is a
constant-velocity Kalman filter over (centre x, centre y, area, aspect ratio); every new set of
detections is matched to the filters' predictions by intersection-over-union with
`scipy.optimize.linear_sum_assignment`. Only numpy, scipy and filterpy are used here: the
tracker knows nothing of faces, cameras or Qt, so it can be tested on synthetic boxes alone.

Boxes are (x1, y1, x2, y2) in pixels, x2 > x1 and y2 > y1.

filterpy and scipy are imported when the first `Sort` is made, not with this module. They
take one to two seconds, most of it scipy.stats, which filterpy's own Kalman filter module
imports (through `filterpy.stats`, for its likelihood), so the cost cannot be avoided, only
moved: to where a pipeline is built, while the face models load, and away from whatever
merely imports the app's modules, such as the window before it appears.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from filterpy.kalman import KalmanFilter

BoxTuple = tuple[float, float, float, float]


@cache
def _numerics() -> tuple[type[KalmanFilter], Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]]:
    """filterpy's KalmanFilter and scipy's linear_sum_assignment, imported on first use."""
    from filterpy.kalman import KalmanFilter
    from scipy.optimize import linear_sum_assignment

    return KalmanFilter, linear_sum_assignment


def iou_matrix(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """Intersection-over-union of every box in `boxes_a` (N x 4) with every box in
    `boxes_b` (M x 4), as an N x M array; degenerate boxes overlap nothing."""
    a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)[:, None, :]
    b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)[None, :, :]
    inter_w = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    inter_h = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = inter_w * inter_h
    area_a = np.clip(a[..., 2] - a[..., 0], 0, None) * np.clip(a[..., 3] - a[..., 1], 0, None)
    area_b = np.clip(b[..., 2] - b[..., 0], 0, None) * np.clip(b[..., 3] - b[..., 1], 0, None)
    union = area_a + area_b - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def _box_to_measurement(box: np.ndarray) -> np.ndarray:
    """(x1, y1, x2, y2) -> column (cx, cy, area, aspect), the space the filter works in:
    area and aspect change slowly while a face walks, which keeps the model linear."""
    width, height = box[2] - box[0], box[3] - box[1]
    return np.array([[box[0] + width / 2], [box[1] + height / 2], [width * height],
                     [width / height]])


def _state_to_box(state: np.ndarray) -> BoxTuple:
    cx, cy, area, aspect = (float(v) for v in state[:4, 0])
    width = float(np.sqrt(max(area, 0.0) * max(aspect, 0.0)))
    height = area / width if width > 0 else 0.0
    return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def _new_filter(box: np.ndarray) -> KalmanFilter:
    """A constant-velocity filter over (cx, cy, area, aspect) with velocities for the first
    three; the noise settings are the SORT paper's: unknown initial velocities get a large
    variance, the aspect ratio is assumed nearly constant."""
    kalman_filter, _ = _numerics()
    kf = kalman_filter(dim_x=7, dim_z=4)
    kf.F = np.eye(7)
    kf.F[0, 4] = kf.F[1, 5] = kf.F[2, 6] = 1.0
    kf.H = np.zeros((4, 7))
    kf.H[:4, :4] = np.eye(4)
    kf.R[2:, 2:] *= 10.0
    kf.P[4:, 4:] *= 1000.0
    kf.P *= 10.0
    kf.Q[-1, -1] *= 0.01
    kf.Q[4:, 4:] *= 0.01
    kf.x[:4] = _box_to_measurement(box)
    return kf


@dataclass(frozen=True)
class Track:
    """A followed object as the tracker reports it after a frame.

    box: the filter's estimate (after a miss, its prediction);
    hits: detections matched so far; age: frames the track has lived;
    time_since_update: detection rounds since it was last matched (0 = seen this round);
    detection_index: the row of this round's detections it was matched to, or None;
    jumped: this round's detection lay far from where the filter expected the box (see
    JUMP_SHIFT, JUMP_SCALE): it may be another object that took the track over;
    replaced: the id of a track that had lost its object and that this new track took
    over (it started on a detection overlapping that track's box), or None;
    resumed: matched this round after missing one or more rounds: what it found may be
    another object that came to where the lost one was (in a queue, the next person).
    """

    track_id: int
    box: BoxTuple
    hits: int
    age: int
    time_since_update: int
    detection_index: int | None
    jumped: bool = False
    replaced: int | None = None
    resumed: bool = False


JUMP_SHIFT = 0.5
"""A detection whose centre lies more than this share of the predicted box's height from
the predicted centre has jumped: a face does not move that far off its course between two
detection rounds, but the track may have been handed to a neighbouring face."""

JUMP_SCALE = 1.5
"""A detection this many times taller (or shorter) than the predicted box has jumped."""

TAKEOVER_IOU = 0.1
"""A new track starting on a detection that overlaps a lost track's box at least this much
takes that track's place: it is the same object, found again after the filter drifted."""


def _jumped(predicted: np.ndarray, detected: np.ndarray) -> bool:
    """Whether `detected` (x1, y1, x2, y2) is far off the prediction in place or size."""
    predicted_height = max(predicted[3] - predicted[1], 1.0)
    detected_height = max(detected[3] - detected[1], 1.0)
    shift = np.hypot((detected[0] + detected[2] - predicted[0] - predicted[2]) / 2,
                     (detected[1] + detected[3] - predicted[1] - predicted[3]) / 2)
    scale = max(detected_height / predicted_height, predicted_height / detected_height)
    return bool(shift > JUMP_SHIFT * predicted_height or scale > JUMP_SCALE)


class _FollowedBox:
    """One Kalman filter and its life-cycle counters."""

    def __init__(self, track_id: int, box: np.ndarray) -> None:
        self.track_id = track_id
        self.filter = _new_filter(box)
        self.last_detection = np.asarray(box, dtype=float)
        self.frames_since_detection = 0
        self.hits = 1
        self.hit_streak = 1
        self.age = 0
        self.time_since_update = 0
        self.confirmed = False

    def predict(self) -> BoxTuple:
        """Advance one frame; an area that would turn negative stops shrinking instead."""
        if self.filter.x[2, 0] + self.filter.x[6, 0] <= 0:
            self.filter.x[6, 0] = 0.0
        self.filter.predict()
        self.age += 1
        self.frames_since_detection += 1
        return self.box

    def correct(self, box: np.ndarray) -> None:
        self.filter.update(_box_to_measurement(box))
        self.last_detection = np.asarray(box, dtype=float)
        self.frames_since_detection = 0
        self.hits += 1
        self.hit_streak += 1
        self.time_since_update = 0

    def continue_motion(self, lost: _FollowedBox) -> None:
        """Start moving as `lost` must have moved to arrive here: from its last detection
        to this track's first, over the frames between them. A fast face (a walker crossing
        the frame in two seconds moves most of a face's width between detection rounds)
        then lies where this track predicts it next round, instead of beyond its overlap,
        which would start yet another track every round and never let one be named."""
        frames = max(lost.frames_since_detection, 1)
        step = (_box_to_measurement(self.last_detection)
                - _box_to_measurement(lost.last_detection)) / frames
        self.filter.x[4:7] = step[:3]

    def miss(self) -> None:
        self.time_since_update += 1
        self.hit_streak = 0

    @property
    def box(self) -> BoxTuple:
        return _state_to_box(self.filter.x)

    def report(self, detection_index: int | None, jumped: bool = False,
               replaced: int | None = None, resumed: bool = False) -> Track:
        return Track(self.track_id, self.box, self.hits, self.age, self.time_since_update,
                     detection_index, jumped, replaced, resumed)


class Sort:
    """Multi-object tracker; call `update` with each frame's detections, in order.

    max_age: detection rounds a track survives without a match (short misses keep the id);
    min_hits: consecutive matches before a track is reported, so one-off false detections
    never become tracks; iou_threshold: least overlap for a detection to continue a track.
    Track ids start at 1 and are unique within one tracker.
    """

    def __init__(self, max_age: int = 3, min_hits: int = 2, iou_threshold: float = 0.2) -> None:
        if max_age < 0:
            raise ValueError(f"max_age must be 0 or more, got {max_age}")
        if min_hits < 1:
            raise ValueError(f"min_hits must be 1 or more, got {min_hits}")
        if not 0.0 < iou_threshold <= 1.0:
            raise ValueError(f"iou_threshold must be in (0, 1], got {iou_threshold}")
        self.max_age = max_age
        self.min_hits = min_hits
        self.iou_threshold = iou_threshold
        _numerics()  # import filterpy and scipy now rather than at the first face
        self._followed: list[_FollowedBox] = []
        self._next_id = 1

    @property
    def live_track_ids(self) -> set[int]:
        """Ids of every track still alive, reported or not (callers drop state for the rest)."""
        return {f.track_id for f in self._followed}

    @property
    def live_boxes(self) -> list[BoxTuple]:
        """Current estimate of every live track's box, reported or not: where to look next."""
        return [f.box for f in self._followed]

    def update(self, detections: np.ndarray) -> list[Track]:
        """Match this frame's detections (N x 4, N may be 0) to the tracks and return the
        confirmed tracks still alive, including those that missed this round."""
        detections = np.asarray(detections, dtype=float).reshape(-1, 4)
        predicted = np.array([f.predict() for f in self._followed], dtype=float).reshape(-1, 4)
        matches, unmatched_detections = self._assign(detections, predicted)
        matched_followed = set()
        detection_of: dict[int, int] = {}
        jumped: set[int] = set()
        resumed: set[int] = set()
        for followed_index, detection_index in matches:
            followed = self._followed[followed_index]
            if _jumped(predicted[followed_index], detections[detection_index]):
                jumped.add(followed.track_id)
            if followed.time_since_update > 0:
                resumed.add(followed.track_id)
            followed.correct(detections[detection_index])
            matched_followed.add(followed_index)
            detection_of[followed.track_id] = detection_index
        for index, followed in enumerate(self._followed):
            if index not in matched_followed:
                followed.miss()
        replaced = self._start_tracks(detections, unmatched_detections, detection_of)
        taken_over = set(replaced.values())
        self._followed = [f for f in self._followed
                          if f.time_since_update <= self.max_age and f.track_id not in taken_over]
        for followed in self._followed:
            if followed.hit_streak >= self.min_hits:
                followed.confirmed = True
        return [f.report(detection_of.get(f.track_id), f.track_id in jumped,
                         replaced.get(f.track_id), f.track_id in resumed)
                for f in self._followed if f.confirmed]

    def _start_tracks(self, detections: np.ndarray, unmatched: list[int],
                      detection_of: dict[int, int]) -> dict[int, int]:
        """A new track for each unmatched detection; returns {new id: id of the lost
        track it takes over} for those starting on a lost track's box (TAKEOVER_IOU)."""
        lost = [f for f in self._followed if f.time_since_update > 0 and f.confirmed]
        lost_boxes = np.array([f.box for f in lost], dtype=float).reshape(-1, 4)
        replaced: dict[int, int] = {}
        for detection_index in unmatched:
            followed = _FollowedBox(self._next_id, detections[detection_index])
            self._next_id += 1
            self._followed.append(followed)
            detection_of[followed.track_id] = detection_index
            if len(lost):
                overlap = iou_matrix(detections[detection_index][None, :], lost_boxes)[0]
                best = int(np.argmax(overlap))
                if overlap[best] >= TAKEOVER_IOU and lost[best].track_id not in replaced.values():
                    replaced[followed.track_id] = lost[best].track_id
                    followed.confirmed = True  # it continues a track already shown
                    followed.continue_motion(lost[best])
        return replaced

    def reset(self) -> None:
        """Forget every track (the picture changed wholesale: a cut); ids keep counting,
        so an id is never given to two objects."""
        self._followed = []

    def coast(self) -> list[Track]:
        """Advance every track one frame on its motion alone, for frames where the detector
        did not run; this is not a miss, so no track ages out here."""
        for followed in self._followed:
            followed.predict()
        return [f.report(None) for f in self._followed if f.confirmed]

    def _assign(self, detections: np.ndarray,
                predicted: np.ndarray) -> tuple[list[tuple[int, int]], list[int]]:
        """Hungarian matching on IoU; pairs below the threshold are left unmatched."""
        if len(detections) == 0 or len(predicted) == 0:
            return [], list(range(len(detections)))
        overlap = iou_matrix(predicted, detections)
        _, linear_sum_assignment = _numerics()
        rows, cols = linear_sum_assignment(-overlap)
        matches = [(int(r), int(c)) for r, c in zip(rows, cols)
                   if overlap[r, c] >= self.iou_threshold]
        matched = {c for _, c in matches}
        return matches, [d for d in range(len(detections)) if d not in matched]
