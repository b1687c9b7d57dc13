"""Between detection rounds a drawn box follows its face, and goes when the face does.

Real faces pasted on the door scene's corridor, found by the app's own face engine; the
box the tracker would carry on is stood in for by the box where the face was.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.box_follower import BoxFollower
from attendance_app.types import Box, TrackStatus, TrackView
from tests.support.scenes import DoorScene, Walker, frames, pasted_faces, probe_photo


def _centre(box: Box | tuple[int, int, int, int]) -> np.ndarray:
    x1, y1, x2, y2 = box.as_tuple() if isinstance(box, Box) else box
    return np.array([(x1 + x2) / 2, (y1 + y2) / 2])


@pytest.fixture(scope="module")
def walk(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[DoorScene, list[np.ndarray], list[Box]]:
    """Obama walking fast (26 px a frame, a third of his face's width) beside Biden
    standing, then gone, and the faces the engine finds on the first frame."""
    scene = DoorScene((640, 360), 25.0, 4, (
        Walker("obama", faces_dir / "probe" / "obama" / "obama1.jpg", 0, 2, (0.3, 0.45), (0.38, 0.45)),
        Walker("biden", probe_photo(faces_dir, "biden"), 0, 3, (0.75, 0.45), (0.75, 0.45))))
    images = list(frames(scene))
    engine = Workspace.resolve(AppConfig(), tmp_path_factory.mktemp("follower"), None).engine()
    found = sorted(engine.detect(images[0]), key=lambda box: box.x1)
    assert len(found) == 2
    return scene, images, found


def _view(track_id: int, box: Box) -> TrackView:
    return TrackView(track_id, box, "obama", TrackStatus.RECOGNISED, 0.4)


def test_a_box_left_behind_by_a_moving_face_is_drawn_on_it(
        walk: tuple[DoorScene, list[np.ndarray], list[Box]]) -> None:
    scene, images, found = walk
    follower = BoxFollower()
    follower.remember(images[0], {1: found[0], 2: found[1]})

    obama, biden = follower.follow(images[1], [_view(1, found[0]), _view(2, found[1])])

    patches = dict(pasted_faces(scene, 1))
    moved = _centre(patches["obama"]) - _centre(dict(pasted_faces(scene, 0))["obama"])
    # within a pixel of the kept picture (32 px tall: about 2.4 px of this frame)
    assert np.linalg.norm(_centre(obama.box) - _centre(found[0]) - moved) < 0.06 * found[0].height
    assert np.linalg.norm(_centre(biden.box) - _centre(found[1])) < 0.06 * found[1].height


def test_a_box_whose_face_is_gone_is_not_drawn(
        walk: tuple[DoorScene, list[np.ndarray], list[Box]]) -> None:
    _, images, found = walk
    follower = BoxFollower()
    follower.remember(images[0], {1: found[0], 2: found[1]})

    shown = follower.follow(images[3], [_view(1, found[0]), _view(2, found[1])])

    assert [view.track_id for view in shown] == [2]
