"""The worker thread that owns the pipeline: frames in, pictures and results out.

DESIGN.md rule 5: detection and encoding never run on the GUI thread. `VideoWorker.run`
loops in its own QThread; the GUI only receives signals and, to change things, calls the
thread-safe methods `stop` and `set_gallery` (a request the loop picks up before the
next frame) and `journal_changed` (after a void: wakes the workbook writer). Every
exception in the loop becomes a `failed` signal with one line, so a worker never dies
silently.

The face models (and the tracker's scipy and filterpy) are loaded here, in the worker
thread, after the window is up; `models_ready` says when they are, so the window can say
"loading" until then.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from attendance_app.camera.images import ImageError, list_images, load_rgb
from attendance_app.camera.sources import (
    CameraState,
    FrameGrabber,
    SourceError,
    SourceKind,
    SourceSpec,
    open_capture,
    read_file_frames,
)
from attendance_app.recognition.photos import PhotoFace, identify_photo
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.types import AttendanceEvent, Frame, FrameResult, TrackStatus, TrackView

if TYPE_CHECKING:
    from attendance_app.central.link import CentralLink
from attendance_app.app.workspace import Workspace
from attendance_app.gui.qimages import bgr_to_qimage
from enrolment import FaceStore, Gallery

log = logging.getLogger(__name__)

PHOTO_SHOW_SECONDS = 2.0
"""How long each photo of a photo source stays on screen."""
FPS_WINDOW_S = 2.0


class SourceState:
    """What the status bar says about the source (plain strings, shown as they are)."""

    STARTING = "Starting…"
    CONNECTED = "Camera connected"
    RECONNECTING = "Camera lost: reconnecting…"
    NO_CAMERA = "No camera"
    PLAYING = "Playing video"
    ENDED = "Video finished"
    PHOTOS = "Showing photos"
    PHOTO_DONE = "Photo done"
    PHOTOS_DONE = "All photos done"
    STOPPED = "Stopped"


_CAMERA_STATES = {
    CameraState.CONNECTING: SourceState.STARTING,
    CameraState.CONNECTED: SourceState.CONNECTED,
    CameraState.RECONNECTING: SourceState.RECONNECTING,
    CameraState.STOPPED: SourceState.STOPPED,
}


@dataclass(frozen=True)
class FramePacket:
    """One processed frame for the GUI: the picture (Qt and raw BGR, the latter for the
    enrol dialog), what the pipeline saw in it, and the processing rate."""

    image: QImage
    bgr: np.ndarray
    result: FrameResult
    fps: float


class _RateMeter:
    """Frames per second over the last few seconds."""

    def __init__(self) -> None:
        self._times: deque[float] = deque()

    def tick(self) -> float:
        now = time.monotonic()
        self._times.append(now)
        while now - self._times[0] > FPS_WINDOW_S:
            self._times.popleft()
        span = now - self._times[0]
        return (len(self._times) - 1) / span if span > 0 else 0.0


def _file_fps(spec: SourceSpec) -> float:
    """The frame rate a video file says it has (25 when it does not say)."""
    capture = open_capture(spec)
    try:
        fps = capture.get(cv2.CAP_PROP_FPS)
    finally:
        capture.release()
    return fps if 1.0 <= fps <= 240.0 else 25.0


def _photo_views(faces: list[PhotoFace]) -> tuple[TrackView, ...]:
    """Photo faces shown like tracks: accepted matches are recognised, the rest unknown."""
    views = []
    for number, face in enumerate(faces):
        match = face.match
        known = match is not None and match.accepted
        views.append(TrackView(number, face.box, match.label if match else "Unknown",
                               TrackStatus.RECOGNISED if known else TrackStatus.UNKNOWN,
                               match.distance if match and match.person_id is not None else None))
    return tuple(views)


class VideoWorker(QObject):
    """Runs one source through the pipeline until it ends or `stop` is called."""

    frame_ready = Signal(object)   # FramePacket
    event_logged = Signal(object)  # AttendanceEvent, committed to the journal
    state_changed = Signal(str)    # a SourceState text
    models_ready = Signal()        # the face models are loaded: recognition starts now
    failed = Signal(str)           # one line for the user
    finished = Signal()

    def __init__(self, workspace: Workspace, spec: SourceSpec, store: FaceStore | None = None,
                 link: CentralLink | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.spec = spec
        self.store = store  # the window's, so rows' faces go to the store it shows
        self.link = link  # with a central database: sends the rows, hears other doors
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._new_gallery: Gallery | None = None
        self._recorder: AttendanceRecorder | None = None  # while it records
        self._state = ""

    # -- called from the GUI thread ------------------------------------------------------
    def stop(self) -> None:
        """Ask the loop to end; it stops the camera and flushes the workbook itself."""
        self._stop.set()

    def set_gallery(self, gallery: Gallery) -> None:
        """Hand newly enrolled (renamed, deleted) people to the pipeline from the next frame."""
        with self._lock:
            self._new_gallery = gallery

    def journal_changed(self) -> bool:
        """A row was voided: have the workbook writer rewrite its month (it reads the void
        from the journal). False when this worker records no longer: the caller writes
        the workbook itself."""
        recorder = self._recorder
        if recorder is None:
            return False
        recorder.sync.notify()
        return True

    # -- the worker thread -----------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _take_gallery(self) -> Gallery | None:
        with self._lock:
            gallery, self._new_gallery = self._new_gallery, None
        return gallery

    @Slot()
    def run(self) -> None:
        """The loop; emits `finished` whatever happens."""
        recorder: AttendanceRecorder | None = None
        try:
            self._set_state(SourceState.STARTING)
            recorder = self._recorder = self.workspace.recorder(
                on_event=self.event_logged.emit, store=self.store, link=self.link)
            if self.spec.kind in (SourceKind.IMAGE, SourceKind.IMAGE_FOLDER):
                self._run_photos(recorder)
            else:
                if self.spec.is_live:
                    self._probe_camera()  # before the slow pipeline start, to say it at once
                self._run_video(recorder)
        except Exception as error:  # noqa: BLE001 - every failure must reach the window
            log.exception("video worker failed")
            self.failed.emit(str(error).splitlines()[0] if str(error) else type(error).__name__)
        finally:
            if recorder is not None:
                self._recorder = None  # before its last save, which takes in every void so far
                recorder.close()
            if self._state not in (SourceState.ENDED, SourceState.NO_CAMERA,
                                   SourceState.PHOTO_DONE, SourceState.PHOTOS_DONE):
                self._set_state(SourceState.STOPPED)
            self.finished.emit()

    def _run_video(self, recorder: AttendanceRecorder) -> None:
        """Frames through the pipeline; at the end of a file the faces still being encoded
        are counted (`finish`), when stopped they are dropped (`close`)."""
        pipeline = self.workspace.pipeline(recorder)
        try:
            pipeline.engine.warm_up()
            self.models_ready.emit()
            meter = _RateMeter()
            for frame in self._frames():
                gallery = self._take_gallery()
                if gallery is not None:
                    pipeline.set_gallery(gallery)
                result = pipeline.process(frame)
                self.frame_ready.emit(FramePacket(bgr_to_qimage(frame.image), frame.image, result,
                                                  meter.tick()))
        except BaseException:
            pipeline.close()
            raise
        if self._stop.is_set():
            pipeline.close()
        else:
            pipeline.finish()  # the file ended: count the faces still being encoded
            self._set_state(SourceState.ENDED)

    def _frames(self) -> Iterator[Frame]:
        if self.spec.is_live:
            yield from self._live_frames()
        else:
            yield from self._paced_file_frames()

    def _probe_camera(self) -> None:
        """Say at once when the camera cannot be opened (the grabber keeps retrying it)."""
        try:
            open_capture(self.spec).release()
        except SourceError as error:
            self._set_state(SourceState.NO_CAMERA)
            self.failed.emit(str(error))

    def _live_frames(self) -> Iterator[Frame]:
        """Frames from a FrameGrabber, which retries a missing or lost camera."""
        grabber = FrameGrabber(self.spec)
        grabber.start()
        try:
            while not self._stop.is_set():
                frame = grabber.take(timeout=0.2)
                still_missing = (self._state == SourceState.NO_CAMERA
                                 and grabber.state is not CameraState.CONNECTED)
                if not still_missing:
                    self._set_state(_CAMERA_STATES[grabber.state])
                if frame is not None:
                    yield frame
        finally:
            grabber.stop()

    def _paced_file_frames(self) -> Iterator[Frame]:
        """Every frame of the file, no faster than its own frame rate (never skipped)."""
        interval = 1.0 / _file_fps(self.spec)
        self._set_state(SourceState.PLAYING)
        started = time.monotonic()
        for frame in read_file_frames(self.spec):
            if self._stop.is_set():
                return
            delay = started + frame.index * interval - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return
            yield frame

    def _run_photos(self, recorder: AttendanceRecorder) -> None:
        """A photo or folder of photos: each is shown with its faces, accepted people logged."""
        engine = self.workspace.engine()
        engine.warm_up()
        self.models_ready.emit()
        spec = self.spec
        paths = [Path(spec.location)] if spec.kind is SourceKind.IMAGE else list_images(Path(spec.location))
        self._set_state(SourceState.PHOTOS)
        for index, path in enumerate(paths):
            if self._stop.is_set():
                return
            gallery = self.workspace.gallery(engine=engine)
            try:
                rgb = load_rgb(path)
            except ImageError as error:
                self.failed.emit(str(error))
                continue
            faces = identify_photo(engine, gallery, rgb)
            events: list[AttendanceEvent] = []
            for face in faces:
                match = face.match
                if match is not None and match.accepted and match.person_id is not None:
                    event = recorder.record(match.person_id, match.name or "", match.distance,
                                            faces=[face.encoding])
                    if event is not None:
                        events.append(event)
            bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
            result = FrameResult(index, _photo_views(faces), tuple(events), True)
            self.frame_ready.emit(FramePacket(bgr_to_qimage(bgr), bgr, result, 0.0))
            if self._stop.wait(PHOTO_SHOW_SECONDS):
                return
        self._set_state(SourceState.PHOTO_DONE if spec.kind is SourceKind.IMAGE
                        else SourceState.PHOTOS_DONE)
