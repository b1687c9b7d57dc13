"""The live picture with a box and a name tag on every followed face.

Painting only: the newest frame is kept and drawn, scaled to fit with its aspect ratio,
whenever Qt repaints; frames that arrive faster than the screen refreshes simply replace
each other, so the view never queues up behind the camera.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from attendance_app.i18n import _
from attendance_app.types import TrackStatus, TrackView

STATUS_COLOURS = {
    TrackStatus.RECOGNISED: QColor(46, 160, 67),
    TrackStatus.UNSURE: QColor(230, 150, 20),
    TrackStatus.UNKNOWN: QColor(210, 50, 50),
}
"""Green: a known person; amber: still deciding; red: not an enrolled person."""


class VideoView(QWidget):
    """Shows a frame and its tracks; with no frame, a centred message instead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._image: QImage | None = None
        self._tracks: tuple[TrackView, ...] = ()
        self._message = _("Starting the camera…")
        self.setAccessibleName(_("Video"))
        self.setAccessibleDescription(_("The camera's picture, with a box and a name on "
                                        "every face"))

    @property
    def tracks(self) -> tuple[TrackView, ...]:
        """The tracks drawn on the current picture."""
        return self._tracks

    def show_frame(self, image: QImage, tracks: tuple[TrackView, ...]) -> None:
        self._image, self._tracks = image, tracks
        self.update()

    def freeze(self) -> None:
        """Keep the last picture (the video ended) with only its confirmed faces: a face
        still being checked, or one seen as unknown, was a passing state of a moving
        picture, and left on a still one it reads as the app's last word."""
        self._tracks = tuple(track for track in self._tracks
                             if track.status is TrackStatus.RECOGNISED)
        self.update()

    def show_message(self, message: str) -> None:
        """Replace the picture by a message (no camera, starting…)."""
        self._image, self._tracks, self._message = None, (), message
        self.update()

    def _target(self) -> QRectF:
        """Where the picture goes: as large as fits, centred, aspect kept."""
        assert self._image is not None
        scale = min(self.width() / self._image.width(), self.height() / self._image.height())
        width, height = self._image.width() * scale, self._image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(32, 34, 37))
        if self._image is None:
            painter.setPen(QColor(220, 220, 220))
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.4)
            painter.setFont(font)
            painter.drawText(self.rect().adjusted(20, 20, -20, -20),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        target = self._target()
        painter.drawImage(target, self._image)
        scale = target.width() / self._image.width()
        for track in self._tracks:
            self._draw_track(painter, track, target, scale)

    def _draw_track(self, painter: QPainter, track: TrackView, target: QRectF, scale: float) -> None:
        colour = STATUS_COLOURS[track.status]
        box = QRectF(target.x() + track.box.x1 * scale, target.y() + track.box.y1 * scale,
                     track.box.width * scale, track.box.height * scale)
        painter.setPen(QPen(colour, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 4, 4)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        label = track.label or _("Unknown")
        tag = QRectF(0, 0, metrics.horizontalAdvance(label) + 12, metrics.height() + 6)
        above = box.top() - tag.height()
        tag.moveTo(box.left() - 1.5, above if above >= target.top() else box.bottom())
        painter.fillRect(tag, colour)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)
