"""SORT on synthetic boxes: ids survive crossings and short misses, new objects get new ids."""

from __future__ import annotations

import numpy as np
import pytest

from trackers import Sort, Track, iou_matrix


def _box(cx: float, cy: float, size: float = 40.0) -> list[float]:
    return [cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2]


def _ids(tracks: list[Track]) -> set[int]:
    return {t.track_id for t in tracks}


def test_iou_of_known_boxes() -> None:
    boxes = np.array([[0, 0, 10, 10], [5, 0, 15, 10], [20, 20, 30, 30]], dtype=float)
    table = iou_matrix(boxes, boxes)
    assert table[0, 0] == pytest.approx(1.0)
    assert table[0, 1] == pytest.approx(50 / 150)
    assert table[0, 2] == 0.0
    assert table.shape == (3, 3)
    assert iou_matrix(np.zeros((0, 4)), boxes).shape == (0, 3)


def test_degenerate_box_overlaps_nothing() -> None:
    assert iou_matrix(np.array([[5, 5, 5, 5]]), np.array([[5, 5, 5, 5]]))[0, 0] == 0.0


def test_track_is_reported_only_after_min_hits() -> None:
    tracker = Sort(max_age=3, min_hits=3, iou_threshold=0.2)
    assert tracker.update(np.array([_box(100, 100)])) == []
    assert tracker.update(np.array([_box(102, 100)])) == []
    tracks = tracker.update(np.array([_box(104, 100)]))
    assert len(tracks) == 1 and tracks[0].hits == 3 and tracks[0].detection_index == 0


def test_constant_velocity_object_keeps_one_id_and_is_predicted_ahead() -> None:
    tracker = Sort(max_age=2, min_hits=1, iou_threshold=0.2)
    seen: set[int] = set()
    for step in range(30):
        tracks = tracker.update(np.array([_box(50 + 6 * step, 80)]))
        seen |= _ids(tracks)
    assert seen == {1}
    predicted = tracker.coast()[0].box
    assert (predicted[0] + predicted[2]) / 2 == pytest.approx(50 + 6 * 30, abs=2.0)


def test_a_box_moving_most_of_its_width_per_round_is_followed_after_one_takeover() -> None:
    """A walker crossing a 640 px frame in two seconds, detected five times a second: the
    box moves 0.8 of its width between rounds, beyond the overlap a still track expects.
    The track that takes over the first one starts with the speed between the two boxes
    and keeps that one track to the end; resumed is never set (no round was missed)."""
    tracker = Sort(max_age=3, min_hits=1, iou_threshold=0.2)  # the app's settings
    reported: list[Track] = []
    for step in range(10):
        reported += tracker.update(np.array([_box(40 + 48 * step, 150, size=60)]))
    assert reported[1].replaced == 1
    assert _ids(reported) == {1, 2} and all(t.track_id == 2 for t in reported[1:])
    assert not any(t.resumed or t.jumped for t in reported)


def test_a_track_found_again_after_missed_rounds_says_it_resumed() -> None:
    tracker = Sort(max_age=3, min_hits=1, iou_threshold=0.2)
    tracker.update(np.array([_box(100, 100)]))
    assert [t.resumed for t in tracker.update(np.array([_box(101, 100)]))] == [False]
    tracker.update(np.zeros((0, 4)))
    assert [t.resumed for t in tracker.update(np.array([_box(102, 100)]))] == [True]


def test_two_crossing_objects_keep_their_ids() -> None:
    tracker = Sort(max_age=3, min_hits=1, iou_threshold=0.1)
    left_id = right_id = None
    for step in range(40):
        left, right = _box(20 + 5 * step, 100), _box(220 - 5 * step, 110)
        tracks = tracker.update(np.array([left, right]))
        by_detection = {t.detection_index: t.track_id for t in tracks}
        if step == 0:
            left_id, right_id = by_detection[0], by_detection[1]
        assert by_detection == {0: left_id, 1: right_id}, f"swap at step {step}"
    assert left_id != right_id


def test_short_miss_keeps_id_long_miss_gives_new_id() -> None:
    tracker = Sort(max_age=2, min_hits=1, iou_threshold=0.2)
    for step in range(5):
        first = tracker.update(np.array([_box(100 + 2 * step, 100)]))
    original = first[0].track_id
    for _ in range(2):
        missing = tracker.update(np.zeros((0, 4)))
        assert [t.time_since_update > 0 for t in missing] == [True]
    back = tracker.update(np.array([_box(114, 100)]))
    assert _ids(back) == {original}

    for _ in range(3):
        tracker.update(np.zeros((0, 4)))
    assert tracker.live_track_ids == set()
    assert _ids(tracker.update(np.array([_box(120, 100)]))) == {original + 1}


def test_new_object_gets_new_id_while_old_one_continues() -> None:
    tracker = Sort(max_age=3, min_hits=1, iou_threshold=0.2)
    tracker.update(np.array([_box(100, 100)]))
    tracks = tracker.update(np.array([_box(101, 100), _box(400, 300)]))
    assert sorted(t.track_id for t in tracks) == [1, 2]
    assert {t.track_id: t.detection_index for t in tracks} == {1: 0, 2: 1}


def test_ids_are_per_tracker_instance() -> None:
    for _ in range(2):
        tracker = Sort(min_hits=1)
        assert _ids(tracker.update(np.array([_box(50, 50)]))) == {1}


def test_coast_moves_tracks_without_ageing_them_out() -> None:
    tracker = Sort(max_age=0, min_hits=1, iou_threshold=0.2)
    for step in range(5):
        tracker.update(np.array([_box(100 + 4 * step, 100)]))
    for _ in range(10):
        coasted = tracker.coast()
    assert len(coasted) == 1 and coasted[0].time_since_update == 0
    assert coasted[0].detection_index is None
    assert coasted[0].box[0] > 100 + 4 * 4 - 20


def test_shrinking_box_never_gets_negative_area() -> None:
    tracker = Sort(max_age=50, min_hits=1, iou_threshold=0.01)
    for size in (80, 60, 40, 20):
        tracker.update(np.array([_box(100, 100, size)]))
    for _ in range(30):
        box = tracker.coast()[0].box
        assert box[2] >= box[0] and box[3] >= box[1]


@pytest.mark.parametrize("kwargs", [{"max_age": -1}, {"min_hits": 0}, {"iou_threshold": 0.0},
                                    {"iou_threshold": 1.5}])
def test_invalid_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Sort(**kwargs)
