"""What the downloadable app (PyInstaller) says about its model files (issue 24, point 1):
it cannot be repaired with `uv sync`, and it leaves out dlib's 68-point model, whose
training data's licence (iBUG 300-W) excludes commercial use. The bundle's own refusal is
checked in tests/system/bundle/test_bundle.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from attendance_app.faces import dlib_models
from attendance_app.faces.models import ModelError


@pytest.fixture
def downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as the downloadable app (PyInstaller sets sys.frozen)."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)


@pytest.mark.usefixtures("downloaded")
def test_large_alignment_in_the_download_says_in_one_line_why_and_what_to_choose(
        tmp_path: Path) -> None:
    """A models folder with the other three files, as the download has it."""
    installed = dlib_models.models_folder()
    for model in (dlib_models.ENCODER, dlib_models.FIVE_POINT, dlib_models.CNN_DETECTOR):
        (tmp_path / model.name).symlink_to(installed / model.name)
    assert dlib_models.shape_predictor("small", tmp_path) is not None
    with pytest.raises(ModelError) as refused:
        dlib_models.shape_predictor("large", tmp_path)
    message = str(refused.value)
    assert "\n" not in message and "not in this download" in message
    assert "iBUG 300-W" in message and "recognition.landmarks: small" in message
    assert "uv sync" not in message


@pytest.mark.usefixtures("downloaded")
def test_a_missing_model_in_the_download_asks_for_the_download_again(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as refused:
        dlib_models.encoder(tmp_path)
    message = str(refused.value)
    assert dlib_models.ENCODER.name in message and "download the app again" in message
    assert "uv sync" not in message


def test_run_from_source_a_missing_68_point_model_still_says_how_to_reinstall(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as refused:
        dlib_models.shape_predictor("large", tmp_path)
    assert "uv sync --reinstall-package face-recognition-models" in str(refused.value)
