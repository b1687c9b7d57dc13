"""Where to look for faces: the parts of the picture that changed, and around known faces.

A door camera mostly films an empty corridor. Running the face detector over the whole
frame costs about 100 ms here; comparing a thumbnail with the previous one costs well under
a millisecond. So the detector only searches where something moved since its last run, and
around the faces already being tracked (a person standing still keeps their box); the whole
frame is searched only now and then, to catch a face that arrived unseen. Around a tracked
face the size of the face is known, so that area is searched at the one scale that finds
it (SearchArea.face_px) instead of at every scale down to the smallest face.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from attendance_app.faces.protocol import SearchArea
from attendance_app.types import Box

THUMBNAIL_WIDTH = 160
"""Width the change comparison runs at: fine enough for a face, cheap enough for every frame."""

CHANGE_LEVEL = 25
"""Grey-level difference (0-255, after blurring) that counts as change, above sensor noise."""

REGION_GROWTH = 0.25
REGION_PAD_PX = 16
"""A search area is its change or track box grown by REGION_GROWTH of its size plus
REGION_PAD_PX on every side, so a face at the edge of a change, or one that moved since
its track was last updated, is searched whole."""

EXPLAINED_SHARE = 0.8
"""A change lying at least this much inside the area around a tracked face is that face
moving, and needs no search of its own at every scale."""


CUT_SHARE = 0.5
"""Share of the picture that must change from one frame to the next to be a cut."""


def _thumbnail(frame_bgr: np.ndarray, colour: bool = False) -> np.ndarray:
    """The frame small and blurred; grey unless `colour` (kept BGR)."""
    height, width = frame_bgr.shape[:2]
    size = (THUMBNAIL_WIDTH, max(1, round(height * THUMBNAIL_WIDTH / width)))
    small = cv2.resize(frame_bgr, size, interpolation=cv2.INTER_AREA)
    if not colour and small.ndim == 3:
        small = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return cv2.GaussianBlur(small, (5, 5), 0)


class ChangeFinder:
    """Compares each frame it is shown with the last one it remembered."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None

    def changed_boxes(self, frame_bgr: np.ndarray, remember: bool = True) -> list[Box] | None:
        """Boxes (frame pixels) around what changed since the previous frame remembered;
        None when there is nothing to compare with yet (first frame, or the frame size
        changed). remember=False keeps comparing later frames with that same one."""
        current = _thumbnail(frame_bgr)
        previous = self._previous
        if remember or previous is None:
            self._previous = current
        if previous is None or previous.shape != current.shape:
            return None
        changed = cv2.absdiff(current, previous) > CHANGE_LEVEL
        mask = cv2.dilate(changed.astype(np.uint8), np.ones((5, 5), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        back = frame_bgr.shape[1] / current.shape[1]
        boxes = []
        for contour in contours:
            x, y, width, height = cv2.boundingRect(contour)
            boxes.append(Box(x, y, x + width, y + height).scaled(back))
        return boxes


class CutFinder:
    """Notices a cut (an edited video, a switched camera): between two consecutive frames
    more than CUT_SHARE of the picture changed. People walking, even close to the camera,
    change far less from one frame to the next; a light switched on changes much, but then
    re-checking who is in view costs only a few looks.

    The same comparison, inside one face's box, tells when that face left its box at once
    (`changed_inside`): a walking face changes under half of its box from one frame to the
    next (at most 0.47 for a face crossing the frame in four seconds), a face replaced by
    the wall behind it over 0.6."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None
        self._changed: np.ndarray | None = None  # this frame's changed pixels, thumbnail size
        self._scale = 1.0  # frame pixels per thumbnail pixel

    def is_cut(self, frame_bgr: np.ndarray) -> bool:
        """Call with every frame, in order."""
        current = _thumbnail(frame_bgr, colour=True)
        previous, self._previous = self._previous, current
        self._scale = frame_bgr.shape[1] / current.shape[1]
        if previous is None or previous.shape != current.shape:
            self._changed = None
            return False
        difference = cv2.absdiff(current, previous)
        if difference.ndim == 2:
            self._changed = difference > CHANGE_LEVEL
            return float(self._changed.mean()) > CUT_SHARE
        # A cut is judged in any colour (a face and a beige wall can be one grey, and
        # names stayed on walls after such cuts); a face leaving its box in grey, as a
        # held or moving face's box changes more in colour than a person walking.
        self._changed = cv2.cvtColor(difference, cv2.COLOR_BGR2GRAY) > CHANGE_LEVEL
        blue, green, red = cv2.split(difference)  # numpy's max over channels: 0.35 ms a frame
        most = cv2.max(cv2.max(blue, green), red)
        return cv2.countNonZero(cv2.compare(most, CHANGE_LEVEL, cv2.CMP_GT)) > CUT_SHARE * most.size

    def changed_inside(self, box: Box) -> bool:
        """Whether more than CUT_SHARE of `box` (frame pixels) changed since the frame
        before the last one `is_cut` saw."""
        if self._changed is None:
            return False
        height, width = self._changed.shape
        small = box.scaled(1 / self._scale).clipped(width, height)
        x1, y1, x2, y2 = (round(value) for value in small.as_tuple())
        inside = self._changed[y1:y2, x1:x2]
        return inside.size > 0 and float(inside.mean()) > CUT_SHARE


def grown(box: Box, fraction: float, pixels: float) -> Box:
    """`box` widened on every side by `fraction` of its size plus `pixels`, so that a face
    at its edge, or one that moved a little, is inside it whole."""
    dx = box.width * fraction + pixels
    dy = box.height * fraction + pixels
    return Box(box.x1 - dx, box.y1 - dy, box.x2 + dx, box.y2 + dy)


def merged(boxes: Iterable[Box]) -> list[Box]:
    """Union overlapping boxes until none overlap, so no face is searched for twice."""
    pending = list(boxes)
    done: list[Box] = []
    while pending:
        current = pending.pop()
        overlapping = [b for b in pending + done if _overlap(current, b)]
        if not overlapping:
            done.append(current)
            continue
        for other in overlapping:
            (pending if other in pending else done).remove(other)
        pending.append(Box(min(b.x1 for b in [current, *overlapping]),
                           min(b.y1 for b in [current, *overlapping]),
                           max(b.x2 for b in [current, *overlapping]),
                           max(b.y2 for b in [current, *overlapping])))
    return done


def _overlap(a: Box, b: Box) -> bool:
    return a.x1 < b.x2 and b.x1 < a.x2 and a.y1 < b.y2 and b.y1 < a.y2


def search_areas(changed: list[Box], tracked: list[Box]) -> list[SearchArea]:
    """Non-overlapping areas covering every change and every tracked face (with margin);
    a track whose predicted box has collapsed to nothing is no face to search around."""
    tracked = [face for face in tracked if face.width >= 1 and face.height >= 1]
    around_faces = [grown(face, REGION_GROWTH, REGION_PAD_PX) for face in tracked]
    unexplained = [grown(change, REGION_GROWTH, REGION_PAD_PX) for change in changed
                   if not any(_share_inside(change, area) >= EXPLAINED_SHARE
                              for area in around_faces)]
    areas = []
    for box in merged(around_faces + unexplained):
        if any(_inside(change, box) for change in unexplained):
            areas.append(SearchArea(box, None))
        else:
            areas.append(SearchArea(box, min(face.height for face, area
                                             in zip(tracked, around_faces)
                                             if _inside(area, box))))
    return areas


def _share_inside(box: Box, area: Box) -> float:
    """How much of `box` (0 to 1) lies inside `area`."""
    overlap = Box(max(box.x1, area.x1), max(box.y1, area.y1),
                  min(box.x2, area.x2), min(box.y2, area.y2))
    return overlap.area / box.area if box.area else 1.0


def _inside(box: Box, area: Box) -> bool:
    return (area.x1 <= box.x1 and area.y1 <= box.y1
            and box.x2 <= area.x2 and box.y2 <= area.y2)


def _centre_inside(box: Box, area: Box) -> bool:
    x, y = (box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2
    return area.x1 <= x <= area.x2 and area.y1 <= y <= area.y2


def stayed(previous: Box, found: Box, others: Iterable[Box]) -> bool:
    """Whether a face found at `found` is the one last seen at `previous`, moved a little
    (a talking head that nods or turns, a detector box that wobbles): each box's centre
    lies inside the other, and no other face found in the same round has its centre inside
    `previous`, so there was no neighbour the track could have slipped onto. Two faces
    side by side never hold each other's centres, so a box that moved this little cannot
    have reached another face."""
    return (_centre_inside(found, previous) and _centre_inside(previous, found)
            and not any(_centre_inside(other, previous) for other in others))
