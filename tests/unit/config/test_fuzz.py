"""Fuzzing the two loaders that read what users hand the app: config.yaml and photos.

Whatever the input, the only outcomes allowed are a valid result or the documented
error type (ConfigError, ImageError) with a one-line message: never another exception,
which would reach the user as a traceback.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from attendance_app.camera.images import ImageError, load_rgb
from attendance_app.config.settings import AppConfig, ConfigError, parse_config

SECTIONS = {
    "camera": ["source", "name"],
    "detection": ["model", "width", "upsample", "every_n_frames", "min_face_px"],
    "tracking": ["max_age", "min_hits", "iou_threshold"],
    "recognition": ["tolerance", "margin", "votes_needed", "max_attempts", "recheck_every_n_frames"],
    "attendance": ["cooldown_minutes", "workbook"],
    "enrolment": ["shots_needed", "min_face_px"],
}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["hog", "cnn", "0", "1e3", "0x10", ".inf", "yes", "~"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@st.composite
def config_documents(draw: st.DrawFn) -> object:
    """Mostly-right config structures: real section and key names with any values,
    sprinkled with misspelt keys and sections that are not mappings."""
    document: dict[object, object] = {}
    for section in draw(st.lists(st.sampled_from([*SECTIONS, "extra"]), max_size=4, unique=True)):
        keys = SECTIONS.get(section, ["x"])
        if draw(st.booleans()):
            document[section] = draw(values)
        else:
            document[section] = draw(st.dictionaries(
                st.sampled_from(keys) | st.text(max_size=10), values, max_size=4))
    return document if draw(st.integers(0, 9)) else draw(values)


def _accepts_or_refuses_in_one_line(text: str) -> None:
    try:
        config = parse_config(text, "config.yaml")
    except ConfigError as error:
        message = str(error)
        assert message and "\n" not in message and "\r" not in message, repr(message)
    else:
        assert isinstance(config, AppConfig)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_config_loader_on_any_text(text: str) -> None:
    _accepts_or_refuses_in_one_line(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config_documents())
def test_config_loader_on_yaml_documents(document: object) -> None:
    stream = io.StringIO()
    YAML().dump(document, stream)
    _accepts_or_refuses_in_one_line(stream.getvalue())


def test_text_that_cannot_be_saved_is_refused() -> None:
    """Found while fuzzing: a lone surrogate escape made a camera name that no file or
    workbook can hold, which would fail at the first save instead of at start-up."""
    with pytest.raises(ConfigError, match="camera.name must be text"):
        parse_config('camera:\n  name: "Door \\ud800"\n')


@pytest.fixture(scope="module")
def photo_bytes(faces_dir: Path) -> dict[str, bytes]:
    """Small real photos of several formats to mutate."""
    from PIL import Image

    out: dict[str, bytes] = {}
    with Image.open(faces_dir / "enrol" / "bbt_amy" / "amy1.png") as image:
        small = image.convert("RGB").resize((48, 48))
    for kind, options in (("PNG", {}), ("JPEG", {"quality": 70}), ("GIF", {}), ("BMP", {}),
                          ("TIFF", {}), ("WEBP", {})):
        buffer = io.BytesIO()
        small.save(buffer, kind, **options)
        out[kind] = buffer.getvalue()
    return out


@st.composite
def damaged(draw: st.DrawFn, originals: dict[str, bytes]) -> bytes:
    """A real photo cut short, with bytes overwritten, or with bytes inserted."""
    data = bytearray(originals[draw(st.sampled_from(sorted(originals)))])
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["cut", "flip", "insert"]))
        spot = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "cut":
            del data[spot:]
        elif action == "flip" and data:
            data[spot] = draw(st.integers(0, 255))
        else:
            data[spot:spot] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


def test_image_loader_on_damaged_photos(photo_bytes: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "photo"

    @settings(max_examples=400, deadline=None)
    @given(st.one_of(damaged(photo_bytes), st.binary(max_size=300)))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            rgb = load_rgb(path)
        except ImageError as error:
            assert "\n" not in str(error) and str(path) in str(error)
        else:
            assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3
            assert rgb.flags["C_CONTIGUOUS"]

    check()
