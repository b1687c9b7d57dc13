"""Turning OpenCV pixels and stored JPEGs into Qt images.

QImage (unlike QPixmap) may be built outside the GUI thread, so the video worker
converts each frame itself and the GUI thread only paints.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QImage, QPixmap


def bgr_to_qimage(bgr: np.ndarray) -> QImage:
    """A deep copy of a BGR (or grey) frame as an RGB888 QImage."""
    if bgr.ndim == 2:
        rgb = cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
    elif bgr.shape[2] == 4:
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGRA2RGB)
    else:
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def jpeg_to_pixmap(data: bytes) -> QPixmap:
    """A stored face crop as a pixmap (empty when the bytes are not an image)."""
    pixmap = QPixmap()
    pixmap.loadFromData(data)
    return pixmap
