"""Where frames come from: a webcam, a video file, a network stream, or photos.

Files are read frame by frame, none skipped, and end at the end of the file. Live
sources (webcams and streams) are read by a `FrameGrabber` thread that keeps only the
newest frame: a door camera must show what happens now, so when processing falls behind,
old frames are dropped (and counted) instead of queued. A lost camera is retried with
growing pauses until it comes back or the app stops.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

import cv2

from attendance_app.camera.images import IMAGE_SUFFIXES
from attendance_app.errors import AttendanceError
from attendance_app.i18n import _
from attendance_app.types import Frame

log = logging.getLogger(__name__)

# FFmpeg inside OpenCV prints a line of its own for every failed connection attempt,
# which would bury the app's one-line report during a camera outage. It is read when
# the first capture opens; set it yourself (e.g. to 16) to see FFmpeg's messages.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
# OpenCV's own log prints a block of WARN and ERROR lines (C++ file names, a "raised
# OpenCV exception") for every failed attempt to open a camera: a terminal full of them
# while a camera is missing. The grabber says one line per state change instead; set
# OPENCV_LOG_LEVEL (e.g. to WARNING) to see OpenCV's messages.
if "OPENCV_LOG_LEVEL" not in os.environ:
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


class SourceError(AttendanceError):
    """A source cannot be used; the message says which and what to do."""


class SourceKind(Enum):
    CAMERA = "camera"
    VIDEO_FILE = "video file"
    STREAM = "stream"
    IMAGE = "image"
    IMAGE_FOLDER = "image folder"


@dataclass(frozen=True)
class SourceSpec:
    """A parsed --source: its kind and where it is (camera index, path or URL)."""

    kind: SourceKind
    location: str

    @property
    def is_live(self) -> bool:
        return self.kind in (SourceKind.CAMERA, SourceKind.STREAM)

    @classmethod
    def parse(cls, text: str) -> SourceSpec:
        """Read a camera number, a URL, or an existing file or folder."""
        text = str(text).strip()
        if text.isdigit():
            return cls(SourceKind.CAMERA, text)
        if "://" in text:
            return cls(SourceKind.STREAM, text)
        path = Path(text).expanduser()
        if path.is_dir():
            return cls(SourceKind.IMAGE_FOLDER, str(path))
        if path.is_file():
            kind = SourceKind.IMAGE if path.suffix.lower() in IMAGE_SUFFIXES else SourceKind.VIDEO_FILE
            return cls(kind, str(path))
        raise SourceError(_("source {text!r} is not a camera number, a URL, or an existing file or"
                            " folder; check --source or camera.source in the config")
            .format(text=text))

    def describe(self) -> str:
        """The source as messages show it: a stream's password hidden (a camera's address
        often carries one, rtsp://admin:PASSWORD@camera/…)."""
        if self.kind is SourceKind.CAMERA:
            return f"camera {self.location}"
        shown = without_password(self.location) if self.kind is SourceKind.STREAM else self.location
        return f"{self.kind.value} {shown}"


def without_password(url: str) -> str:
    """`url` with the password of its user part replaced by ***. The user part is taken as
    widely as possible (up to the last '@'), so that a password holding '@' or '/' is
    hidden whole; a URL without a user and password is returned as it is."""
    scheme, separator, rest = url.partition("://")
    user_part, at, host_and_path = rest.rpartition("@")
    if not separator or not at or ":" not in user_part:
        return url
    return f"{scheme}://{user_part.split(':', 1)[0]}:***@{host_and_path}"


def open_capture(spec: SourceSpec) -> cv2.VideoCapture:
    """Open a camera, file or stream with OpenCV, or raise SourceError."""
    target: int | str = int(spec.location) if spec.kind is SourceKind.CAMERA else spec.location
    capture = cv2.VideoCapture(target)
    if not capture.isOpened():
        capture.release()
        shown = without_password(spec.location)
        if spec.kind is SourceKind.CAMERA:
            raise SourceError(_("camera {number} cannot be opened; plug it in, close other "
                                "programs using it, or choose another camera number")
                              .format(number=spec.location))
        if spec.kind is SourceKind.STREAM:
            raise SourceError(_("stream {address} cannot be opened; check the address, the "
                                "network and the password").format(address=shown))
        if spec.kind is SourceKind.VIDEO_FILE:
            raise SourceError(_("video file {path} cannot be opened; check that the file is a "
                                "video OpenCV can read").format(path=shown))
        raise SourceError(_("{source} cannot be opened; check the source")
                          .format(source=spec.describe()))
    return capture


def read_file_frames(spec: SourceSpec) -> Iterator[Frame]:
    """Every frame of a video file, in order, until it ends."""
    capture = open_capture(spec)
    try:
        index = 0
        while True:
            ok, image = capture.read()
            if not ok:
                return
            yield Frame(image, index, datetime.now())
            index += 1
    finally:
        capture.release()


class CameraState(Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    STOPPED = "stopped"


class FrameGrabber:
    """Reads a live source in its own thread, keeping only the newest frame.

    dropped counts frames replaced before anyone took them. Reconnection waits
    `retry_first_s`, doubling up to `retry_max_s`, so an unplugged camera costs nothing.
    """

    def __init__(self, spec: SourceSpec, retry_first_s: float = 0.5, retry_max_s: float = 10.0) -> None:
        self.spec = spec
        self.retry_first_s = retry_first_s
        self.retry_max_s = retry_max_s
        self.state = CameraState.CONNECTING
        self.dropped = 0
        self.captured = 0
        self._newest: Frame | None = None
        self._ready = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="frame-grabber", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to finish and wait for it (the capture is released there)."""
        self._stop.set()
        with self._ready:
            self._ready.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.state = CameraState.STOPPED

    def take(self, timeout: float) -> Frame | None:
        """The newest frame not yet taken, waiting up to `timeout` seconds; None if none."""
        with self._ready:
            if self._newest is None:
                self._ready.wait(timeout)
            frame, self._newest = self._newest, None
        return frame

    def _set_state(self, state: CameraState) -> None:
        if state is not self.state:
            log.info("%s: %s", self.spec.describe(), state.value)
            self.state = state

    def _run(self) -> None:
        pause = self.retry_first_s
        while not self._stop.is_set():
            try:
                capture = open_capture(self.spec)
            except SourceError as error:
                if self.state is not CameraState.RECONNECTING:
                    log.warning("%s; retrying", error)
                self._set_state(CameraState.RECONNECTING)
                self._stop.wait(pause)
                pause = min(pause * 2, self.retry_max_s)
                continue
            self._set_state(CameraState.CONNECTED)
            pause = self.retry_first_s
            self._pump(capture)
            capture.release()
            if not self._stop.is_set():
                log.warning("%s stopped delivering frames; reconnecting", self.spec.describe())
                self._set_state(CameraState.RECONNECTING)

    def _pump(self, capture: cv2.VideoCapture) -> None:
        """Read frames until the source fails or the grabber is stopped."""
        while not self._stop.is_set():
            ok, image = capture.read()
            if not ok:
                return
            with self._ready:
                if self._newest is not None:
                    self.dropped += 1
                self._newest = Frame(image, self.captured, datetime.now())
                self.captured += 1
                self._ready.notify()


def live_frames(grabber: FrameGrabber, stop: threading.Event) -> Iterator[Frame]:
    """Frames from a started grabber until `stop` is set."""
    while not stop.is_set():
        frame = grabber.take(timeout=0.5)
        if frame is not None:
            yield frame
