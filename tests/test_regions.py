"""Searching only where the picture changed: the change finder on real rendered frames, and
the same faces found by a region search as by a whole-frame search."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from attendance_app.boxes import Box
from attendance_app.engine import FaceEngine, bgr_to_rgb
from attendance_app.regions import ChangeFinder, grown, merged
from benchmarks.door_video import corridor, frames, sequential_scene, shared_people
from trackers import iou_matrix


def _inside(inner: Box, outer: Box) -> bool:
    return (outer.x1 <= inner.x1 and outer.y1 <= inner.y1 and inner.x2 <= outer.x2
            and inner.y2 <= outer.y2)


def test_a_still_empty_corridor_has_no_change() -> None:
    finder = ChangeFinder()
    background = corridor((640, 360))
    assert finder.changed_boxes(background) is None, "nothing to compare the first frame with"
    noisy = np.clip(background.astype(int) + np.random.default_rng(1).integers(
        -6, 7, background.shape), 0, 255).astype(np.uint8)
    assert finder.changed_boxes(noisy) == []


def test_a_face_walking_in_is_inside_a_changed_box_and_found_there(faces_dir: Path) -> None:
    scene = sequential_scene(shared_people(faces_dir)[:1], fps=10, seconds_each=2,
                             seconds_between=1)
    video = list(frames(scene))
    finder = ChangeFinder()
    finder.changed_boxes(video[0])
    engine = FaceEngine()
    walking = video[15]
    changed = finder.changed_boxes(walking)
    rgb = bgr_to_rgb(walking)
    whole = engine.detect(rgb)
    assert len(whole) == 1 and changed
    regions = merged(grown(b, 0.25, 16) for b in changed)
    assert any(_inside(whole[0], region) for region in regions)
    in_regions = engine.detect_in_regions(rgb, regions)
    assert len(in_regions) == 1
    # dlib's image pyramid steps differ with the picture size, so the box may differ a little
    assert iou_matrix(np.array([in_regions[0].as_tuple()]), np.array([whole[0].as_tuple()]))[0, 0] > 0.6


def test_merged_boxes_do_not_overlap_and_cover_the_originals() -> None:
    boxes = [Box(0, 0, 10, 10), Box(5, 5, 20, 20), Box(100, 100, 110, 110), Box(19, 0, 30, 6)]
    result = merged(boxes)
    assert len(result) == 2
    for a in result:
        for b in result:
            assert a is b or not (a.x1 < b.x2 and b.x1 < a.x2 and a.y1 < b.y2 and b.y1 < a.y2)
    assert all(any(_inside(box, region) for region in result) for box in boxes)


def test_grown_adds_a_share_and_a_fixed_margin() -> None:
    assert grown(Box(100, 100, 140, 120), 0.5, 10) == Box(70, 80, 170, 140)
