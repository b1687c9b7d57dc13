"""An engine whose encoder never finishes a face: for tests of an encoder process that
ends (a signal to the process group) while it holds one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from attendance_app.types import Box


class EngineThatHoldsFaces:
    """Loads nothing; `encode` writes its process id to `started`, then holds the face
    far longer than any test waits. Importable by the spawned worker (by its module)."""

    def __init__(self, started: Path) -> None:
        self.started = started

    def warm_up(self) -> None:
        """Nothing to load."""

    def encode(self, bgr: np.ndarray, boxes: list[Box]) -> list[np.ndarray]:
        self.started.write_text(str(os.getpid()), encoding="ascii")
        time.sleep(600)
        return [np.zeros(128) for _ in boxes]
