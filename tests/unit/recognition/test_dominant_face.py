"""Issue 22, point 3: a photo whose person's face clearly dominates a background face is
enrolled with that face, and the other faces are counted; a photo where faces compete
(two side by side, a row of people) is refused. Real photos: LFW photos of
../shared/faces-scale whose labelled person stands before someone else, and the group
photos of ../shared/faces."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from attendance_app.camera.images import load_bgr
from attendance_app.faces import create_engine
from attendance_app.faces.protocol import Engine
from attendance_app.recognition.photos import (
    ShotRefused,
    enrolment_shot_with_note,
    faces_in_photo,
)
from tests.support.shared_sets import faces_scale_root

MIN_FACE_PX = 60  # the default enrolment.min_face_px

# The labelled face is the one nearest the centre, a little shorter than the face beside
# it (0.93 times its height): centrality decides.
NEAR_CENTRE = "Keira_Knightley"
# The labelled face is six times as tall as a face behind it: size decides.
MUCH_BIGGER = "Luis_Gonzalez_Macchi"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return create_engine("sface")


def _lfw(kind: str, person: str) -> Path:
    return next(iter(sorted((faces_scale_root() / "lfw" / kind / person).glob("*.jpg"))))


@pytest.mark.parametrize("person", [NEAR_CENTRE, MUCH_BIGGER])
def test_the_dominant_face_is_taken_and_the_other_is_counted(engine: Engine,
                                                             person: str) -> None:
    photo = _lfw("enrol", person)
    shot, ignored = enrolment_shot_with_note(engine, photo, MIN_FACE_PX)
    assert ignored == 1
    rgb = cv2.cvtColor(load_bgr(photo), cv2.COLOR_BGR2RGB)
    encodings = [face.encoding for face in faces_in_photo(engine, rgb, certain_only=True)]
    assert len(encodings) == 2
    other = max(encodings, key=lambda e: float(engine.distances(shot.vector, e[None])[0]))
    probe = cv2.cvtColor(load_bgr(_lfw("probe", person)), cv2.COLOR_BGR2RGB)
    probe_encoding = faces_in_photo(engine, probe, certain_only=True)[0].encoding
    taken, ignored_face = (float(engine.distances(probe_encoding, e[None])[0])
                           for e in (shot.vector, other))
    assert taken < ignored_face, "the face taken is not the labelled person"


def test_two_faces_side_by_side_compete_and_are_refused(engine: Engine,
                                                        tmp_path: Path) -> None:
    left, right = (load_bgr(_lfw("enrol", name)) for name in ("Aaron_Sorkin", "Abel_Pacheco"))
    pair = tmp_path / "pair.png"
    cv2.imwrite(str(pair), np.hstack([left, right]))
    with pytest.raises(ShotRefused, match="more than one face"):
        enrolment_shot_with_note(engine, pair, MIN_FACE_PX)


@pytest.mark.parametrize("photo", ["two_people.jpg", "obama_and_biden.jpg", "bbt4.jpg",
                                   "bbt5.jpg"])
def test_the_middle_face_of_a_group_photo_is_not_taken(engine: Engine, faces_dir: Path,
                                                       photo: str) -> None:
    with pytest.raises(ShotRefused, match="none clearly the person's"):
        enrolment_shot_with_note(engine, faces_dir / "group" / photo, MIN_FACE_PX)
