"""Between detection rounds, each drawn box follows the face the last round found in it.

The tracker carries a box between rounds on its motion alone. A track just started has no
speed yet, and a camera pan or a turn of the head moves a face faster than its filter
expects, so on real footage boxes were left on the wall beside the face they named
(tv_family_dinner: 65 boxes on no face, every one of them between rounds). Here the
picture each round found in a box is kept, small and grey, and on each frame between
rounds it is looked for around where it was found on the frame before: the box is drawn
where it is found, and not at all once nothing there looks like it any more (the face
turned away, left, or was covered). Only what is drawn changes; the tracker is not told (a
look between rounds would teach its filter the matcher's jitter as motion).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import cv2
import numpy as np

from attendance_app.types import Box, TrackView

TEMPLATE_HEIGHT_PX = 32
"""The face picture is kept this tall: small enough to match in well under a millisecond,
large enough to tell a face from a wall."""

MIN_LIKENESS = 0.5
"""Least normalised correlation (OpenCV TM_CCOEFF_NORMED, -1 to 1) of the kept picture
with the best-matching place around the box for the box to be drawn there. Chosen on the
TV clip (docs/measurements/live_names.md): 0.3 hid too few boxes on no face, 0.7 also
hid many on faces."""

SEARCH_REACH = 0.5
"""How far from where it was on the frame before the face is looked for, in box widths
and heights each way: a face that moves half its width between two frames is a very fast
pan."""


class BoxFollower:
    """Call `remember` on every detection frame and `follow` on the frames between."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[np.ndarray, float]] = {}  # picture, scale to it
        self._at: dict[int, Box | None] = {}  # where each face was found last; None: lost

    def remember(self, image_bgr: np.ndarray, found: Mapping[int, Box]) -> None:
        """Keep the picture of each track's face this round found (`found`: per track)."""
        self._kept, self._at = {}, {track_id: box for track_id, box in found.items()}
        for track_id, box in found.items():
            scale = TEMPLATE_HEIGHT_PX / max(box.height, 1.0)
            picture = _grey_patch(image_bgr, box, scale)
            if picture is not None and min(picture.shape) >= 4:
                self._kept[track_id] = (picture, scale)

    def follow(self, image_bgr: np.ndarray, views: Iterable[TrackView]) -> tuple[TrackView, ...]:
        """The views moved onto where their face is now, without those whose face is
        gone from around where it was; a view with no kept picture is drawn as it is.
        Call with every frame between two rounds, in order."""
        followed = []
        for view in views:
            kept, at = self._kept.get(view.track_id), self._at.get(view.track_id, view.box)
            if kept is None or at is None:
                if at is not None:
                    followed.append(view)
                continue
            moved = self._at[view.track_id] = _found_again(image_bgr, at, *kept)
            if moved is None:
                continue  # lost: not drawn again before the next round
            followed.append(TrackView(view.track_id, moved, view.label, view.status,
                                      view.distance))
        return tuple(followed)


def _grey_patch(image_bgr: np.ndarray, box: Box, scale: float) -> np.ndarray | None:
    """`box` of the image (clipped to it), grey, resized by `scale`; None if empty."""
    height, width = image_bgr.shape[:2]
    x1, y1 = max(0, round(box.x1)), max(0, round(box.y1))
    x2, y2 = min(width, round(box.x2)), min(height, round(box.y2))
    if x2 - x1 < 2 or y2 - y1 < 2:
        return None
    crop = image_bgr[y1:y2, x1:x2]
    grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    size = (max(1, round((x2 - x1) * scale)), max(1, round((y2 - y1) * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


def _found_again(image_bgr: np.ndarray, box: Box, picture: np.ndarray,
                 scale: float) -> Box | None:
    """`box` moved to where `picture` matches best around it, or None if it matches
    nowhere there well enough."""
    reach_x, reach_y = SEARCH_REACH * box.width, SEARCH_REACH * box.height
    height, width = image_bgr.shape[:2]
    area = Box(max(0.0, box.x1 - reach_x), max(0.0, box.y1 - reach_y),
               min(float(width), box.x2 + reach_x), min(float(height), box.y2 + reach_y))
    region = _grey_patch(image_bgr, area, scale)
    if region is None or region.shape[0] < picture.shape[0] or region.shape[1] < picture.shape[1]:
        return None
    likeness = cv2.matchTemplate(region, picture, cv2.TM_CCOEFF_NORMED)
    _, best, _, (left, top) = cv2.minMaxLoc(likeness)
    if best < MIN_LIKENESS:
        return None
    centre_x = round(area.x1) + (left + picture.shape[1] / 2) / scale
    centre_y = round(area.y1) + (top + picture.shape[0] / 2) / scale
    half_width, half_height = box.width / 2, box.height / 2
    return Box(centre_x - half_width, centre_y - half_height,
               centre_x + half_width, centre_y + half_height)
