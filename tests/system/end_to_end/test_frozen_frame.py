"""The last frame of a video stays on screen when it ends, with only what was confirmed.

The bug this guards against (issue 22): with one performer enrolled, a stranger in the
audience carried an amber box on the frozen last frame; a box still being checked, left on
a still picture, reads as the app's last word about that face.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import cv2
from PySide6.QtGui import QImage

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.video_view import STATUS_COLOURS, VideoView
from attendance_app.recognition.pipeline import CHECKING
from attendance_app.types import TrackStatus, TrackView


def _colour_pixels(view: VideoView, status: TrackStatus) -> int:
    """Pixels of the rendered view painted in the colour of `status`."""
    grabbed = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colour = STATUS_COLOURS[status].rgb()
    return sum(grabbed.pixel(x, y) == colour
               for y in range(0, grabbed.height(), 2) for x in range(0, grabbed.width(), 2))


def test_the_frozen_last_frame_keeps_only_the_confirmed_faces(qtbot, faces_dir: Path,  # noqa: ANN001
                                                              tmp_path: Path) -> None:
    photo = cv2.imread(str(faces_dir / "group" / "obama_and_biden.jpg"))
    engine = Workspace.resolve(AppConfig(), tmp_path, None).engine()
    faces = engine.detect(photo)
    assert len(faces) >= 2  # the two of them, and a face in the background
    rgb = cv2.cvtColor(photo, cv2.COLOR_BGR2RGB)
    image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0],
                   QImage.Format.Format_RGB888).copy()
    named = TrackView(1, faces[0], "obama", TrackStatus.RECOGNISED, 0.3)
    checking = TrackView(2, faces[1], CHECKING, TrackStatus.UNSURE, 0.5)
    view = VideoView()
    qtbot.addWidget(view)
    view.resize(640, 400)
    view.show_frame(image, (named, checking))
    assert _colour_pixels(view, TrackStatus.UNSURE) > 0

    view.freeze()

    assert view.tracks == (named,)
    assert _colour_pixels(view, TrackStatus.UNSURE) == 0
    assert _colour_pixels(view, TrackStatus.RECOGNISED) > 0
