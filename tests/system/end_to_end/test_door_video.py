"""The synthetic door-video generator: who is in view when, and that the faces it draws are
real, detectable faces."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from attendance_app.faces.dlib_engine import face_locations
from tests.support.scenes import crowd_scene, render, sequential_scene, shared_people


def test_sequential_scene_shows_one_person_at_a_time(faces_dir: Path) -> None:
    people = shared_people(faces_dir)[:3]
    scene = sequential_scene(people, fps=10, seconds_each=2, seconds_between=1)
    in_view = [scene.labels_in_view(i) for i in range(scene.frame_count)]
    assert max(len(labels) for labels in in_view) == 1
    assert [labels for labels in in_view if labels][0] == [people[0][0]]
    assert in_view[0] == [] and in_view[-1] == []
    assert {label for labels in in_view for label in labels} == {label for label, _ in people}


@pytest.mark.parametrize("faces_in_view", [1, 3, 6])
def test_crowd_scene_keeps_that_many_faces_in_view(faces_dir: Path, faces_in_view: int) -> None:
    people = shared_people(faces_dir) * 2
    scene = crowd_scene(people, faces_in_view)
    counts = [len(scene.labels_in_view(i)) for i in range(scene.frame_count)]
    middle_half = counts[len(counts) // 4: 3 * len(counts) // 4]
    assert max(counts) == faces_in_view
    assert sum(middle_half) / len(middle_half) >= 0.85 * faces_in_view


def test_rendered_video_holds_detectable_faces_where_the_scene_says(faces_dir: Path,
                                                                    tmp_path: Path) -> None:
    people = shared_people(faces_dir)[:2]
    scene = sequential_scene(people, fps=10, seconds_each=2, seconds_between=1)
    video = render(scene, tmp_path / "door.mp4")
    capture = cv2.VideoCapture(str(video))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == scene.frame_count
    faces_per_frame = []
    for index in range(scene.frame_count):
        ok, frame = capture.read()
        assert ok
        if index % 5 == 0:
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            found = len(face_locations(rgb, 1, "hog"))
            faces_per_frame.append((found, len(scene.labels_in_view(index))))
    capture.release()
    assert all(found == 0 for found, expected in faces_per_frame if expected == 0)
    with_face = [found for found, expected in faces_per_frame if expected == 1]
    assert sum(found == 1 for found in with_face) >= 0.8 * len(with_face)
