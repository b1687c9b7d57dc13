"""Engines take OpenCV's BGR: the dlib engine, which needs RGB, converts inside itself and
finds and encodes exactly what face_recognition does on the RGB picture."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from attendance_app.camera.images import load_bgr, load_rgb
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.faces.protocol import as_bgr
from attendance_app.types import Box


def test_the_dlib_engine_on_bgr_is_face_recognition_on_rgb(faces_dir: Path) -> None:
    photo = faces_dir / "probe" / "clapton" / "clapton-2.jpg"  # 400 px: searched as it is
    rgb, bgr = load_rgb(photo), load_bgr(photo)
    assert np.array_equal(bgr, rgb[:, :, ::-1]) and bgr.flags["C_CONTIGUOUS"]
    engine = FaceEngine()
    boxes = engine.detect(bgr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # face_recognition_models' pkg_resources
        import face_recognition as api  # the reference
    width = min(rgb.shape[1], engine.detection_width)
    assert len(boxes) == 1 and width == rgb.shape[1], "premise: one face, searched at full size"
    expected = [Box.from_css(css) for css in api.face_locations(rgb, engine.upsample, "hog")]
    assert sorted(b.as_tuple() for b in boxes) == sorted(b.as_tuple() for b in expected)
    ours = engine.encode(bgr, boxes)
    theirs = api.face_encodings(rgb, [box.to_css() for box in boxes], model=engine.landmarks)
    assert all(np.allclose(a, b) for a, b in zip(ours, theirs, strict=True))


def test_a_grey_or_bgra_frame_becomes_three_channel_bgr() -> None:
    grey = np.full((4, 6), 90, dtype=np.uint8)
    assert as_bgr(grey).shape == (4, 6, 3) and (as_bgr(grey) == 90).all()
    bgra = np.zeros((4, 6, 4), dtype=np.uint8)
    bgra[..., 0] = 200  # blue
    assert (as_bgr(bgra)[..., 0] == 200).all() and as_bgr(bgra).shape == (4, 6, 3)
    bgr = np.zeros((4, 6, 3), dtype=np.uint8)
    assert as_bgr(bgr) is bgr, "a BGR frame is not copied"
