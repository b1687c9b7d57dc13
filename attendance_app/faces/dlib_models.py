"""dlib's model files: found, checked by SHA-256, and loaded one at a time, when needed.

They travel in the `face-recognition-models` package (its `models/` folder). Its
`__init__` is never imported (it imports pkg_resources, which newer setuptools lacks),
nor is face_recognition, which loads every model as it is imported, the 68-point one
included. Each file is loaded only when a call needs it, once per process:

- the HOG face detector is inside dlib itself (no file);
- mmod_human_face_detector.dat, the CNN detector: only with `detection.dlib_model: cnn`;
- shape_predictor_5_face_landmarks.dat: the default ("small") alignment;
- shape_predictor_68_face_landmarks.dat: only the "large" alignment. It was trained on
  iBUG 300-W, whose licence excludes commercial use, so a product must not load it by
  default (issue 23);
- dlib_face_recognition_resnet_model_v1.dat, the 128-d encoder.

The CNN detector, the 5-point model and the encoder are public domain, as their author
says in github.com/davisking/dlib-models. dlib loads from a path, not from bytes, so each
file's digest is checked and then that path is loaded (models.verified_path says why
that is enough).
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

from attendance_app.faces.models import (
    ModelError,
    ModelFile,
    downloaded,
    installed_folder,
    reinstall,
    verified_path,
)
from attendance_app.i18n import N_, _

MODULE = "face_recognition_models"
PACKAGE = "face-recognition-models"

ENCODER = ModelFile("dlib_face_recognition_resnet_model_v1.dat",
                    "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30", PACKAGE)
CNN_DETECTOR = ModelFile("mmod_human_face_detector.dat",
                         "4cb19393e2fbaf2b1609a9319ad5386618c886a6234ec1b971f3e87c85d87fe6", PACKAGE)
FIVE_POINT = ModelFile("shape_predictor_5_face_landmarks.dat",
                       "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888", PACKAGE)
SIXTY_EIGHT_POINT = ModelFile("shape_predictor_68_face_landmarks.dat",
                              "fbdc2cb80eb9aa7a758672cbfdda32ba6300efe9b6e6c7a299ff7e736b11b92f",
                              PACKAGE)

ALIGNMENTS = {"small": FIVE_POINT, "large": SIXTY_EIGHT_POINT}
"""The shape predictor each `recognition.landmarks` value aligns faces with."""

DLIB_LOCK = threading.RLock()
"""dlib's detectors, shape predictors and encoder are not safe to use from two threads at
once (seen in the desktop app: the video worker and the enrol dialog together aborted or
hung the process). Every load of and call into them takes this lock; the encoder worker
process has its own copies and runs in parallel."""


def models_folder() -> Path:
    """The installed face-recognition-models package's `models/` folder."""
    return installed_folder(MODULE, PACKAGE, "models")


def dlib() -> Any:
    """dlib itself, imported on first use (it takes a second; `--help` never needs it)."""
    try:
        import dlib
    except ImportError as error:
        raise ModelError(_("dlib cannot be imported ({error}): install the app with the "
                           "command in README.md").format(error=error)) from None
    return dlib


LEFT_OUT_OF_DOWNLOAD = N_(
    "the 68-point landmark model (recognition.landmarks: large) is not in this download: "
    "it was trained on iBUG 300-W, whose licence excludes commercial use; set "
    "recognition.landmarks: small (the 5-point model, the default)")
"""Why `large` fails in the downloadable app, which leaves that file out
(packaging/attendance-app.spec)."""


def _loaded(model: ModelFile, folder: Path | None, load: str) -> Any:
    """dlib's `load` (a class name) built from `model`'s checked file in `folder`."""
    folder = folder if folder is not None else models_folder()
    if model is SIXTY_EIGHT_POINT and downloaded() and not (folder / model.name).exists():
        raise ModelError(_(LEFT_OUT_OF_DOWNLOAD))
    path = verified_path(model, folder)
    try:
        return getattr(dlib(), load)(str(path))
    except RuntimeError as error:  # a file dlib cannot read despite its digest
        raise ModelError(_("dlib cannot load {path} ({error}): {advice}").format(
            path=path, error=error, advice=reinstall(model.package))) from None


@cache
def hog_detector() -> Any:
    """dlib's frontal face detector (HOG and a linear classifier; built into dlib)."""
    with DLIB_LOCK:
        return dlib().get_frontal_face_detector()


@cache
def cnn_detector(folder: Path | None = None) -> Any:
    """dlib's CNN face detector (mmod_human_face_detector.dat)."""
    with DLIB_LOCK:
        return _loaded(CNN_DETECTOR, folder, "cnn_face_detection_model_v1")


@cache
def shape_predictor(alignment: str, folder: Path | None = None) -> Any:
    """The shape predictor of `alignment` ("small": 5 points, "large": 68; ALIGNMENTS)."""
    with DLIB_LOCK:
        return _loaded(ALIGNMENTS[alignment], folder, "shape_predictor")


@cache
def encoder(folder: Path | None = None) -> Any:
    """dlib's ResNet face encoder (128-d descriptors)."""
    with DLIB_LOCK:
        return _loaded(ENCODER, folder, "face_recognition_model_v1")
