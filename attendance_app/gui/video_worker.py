"""The worker that runs the window's door session in its own thread, as signals.

DESIGN.md rule 5: detection and encoding never run on the GUI thread. `VideoWorker.run`
runs a DoorSession (attendance_app.app.door_session, the same run as `run --headless`)
in its QThread and turns what the session reports into signals; the window only
displays them and, to change things, calls the thread-safe methods `stop` and
`roster_changed` (the session takes in only the people changed, before the next picture) and
`journal_changed` (after a void: wakes the workbook writer); for a video file, `playback`
takes the window's pause, seek and "fast" commands from any thread. Every exception of the run
becomes a `failed` signal with one line, so a worker never dies silently.

The face models are loaded in the worker thread, after the window is up; `models_ready`
says when they are, so the window can say "loading" until then.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from attendance_app.app.door_report import DoorListener, Seen, SourceState
from attendance_app.app.door_session import WINDOW, DoorSession
from attendance_app.app.workspace import Workspace
from attendance_app.camera.playback import PlaybackControl
from attendance_app.camera.sources import SourceKind, SourceSpec
from attendance_app.gui.qimages import bgr_to_qimage
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AttendanceEvent, FrameResult

if TYPE_CHECKING:
    from attendance_app.central.link import CentralLink
    from enrolment import FaceStore

__all__ = ["FramePacket", "SourceState", "VideoWorker"]  # SourceState: the window's words

log = logging.getLogger(__name__)

FPS_WINDOW_S = 2.0


@dataclass(frozen=True)
class FramePacket:
    """One processed picture for the GUI: the picture (Qt and raw BGR, the latter for the
    enrol dialog), what the pipeline saw in it, and the processing rate (0 for photos)."""

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


class _Signals(DoorListener):
    """The session's reports, emitted as the worker's signals (from the worker thread)."""

    def __init__(self, worker: VideoWorker) -> None:
        self.worker = worker
        self._meter = _RateMeter()

    def state_changed(self, state: str) -> None:
        self.worker.state_changed.emit(state)

    def models_ready(self) -> None:
        self.worker.models_ready.emit()

    def seen(self, seen: Seen) -> None:
        fps = 0.0 if seen.photo is not None else self._meter.tick()
        self.worker.frame_ready.emit(FramePacket(bgr_to_qimage(seen.picture), seen.picture,
                                                 seen.result, fps))

    def event_logged(self, event: AttendanceEvent) -> None:
        self.worker.event_logged.emit(event)

    def refusal_noted(self, refusal: Refusal) -> None:
        self.worker.refusal_noted.emit(refusal)

    def warning(self, message: str) -> None:
        self.worker.failed.emit(message)

    def information(self, message: str) -> None:
        self.worker.informed.emit(message)


class VideoWorker(QObject):
    """Runs one source through the door session until it ends or `stop` is called."""

    frame_ready = Signal(object)   # FramePacket
    event_logged = Signal(object)  # AttendanceEvent, committed to the journal
    refusal_noted = Signal(object)  # Refusal (liveness.mode), noted in the journal: no row
    state_changed = Signal(str)    # a SourceState text
    models_ready = Signal()        # the face models are loaded: recognition starts now
    failed = Signal(str)           # one line for the user
    informed = Signal(str)         # one line of information (not a problem) for the user
    finished = Signal()

    def __init__(self, workspace: Workspace, spec: SourceSpec, store: FaceStore | None = None,
                 link: CentralLink | None = None, fast: bool = False,
                 start_frame: int = 0) -> None:
        super().__init__()
        self.spec = spec
        # For a video file only (a camera or stream shows what happens now): played at its
        # own rate unless `fast`, from `start_frame` (a replay after the end, from there).
        self.playback: PlaybackControl | None = None
        if spec.kind is SourceKind.VIDEO_FILE:
            self.playback = PlaybackControl(fast=fast)
            if start_frame:
                self.playback.seek(start_frame)
        # store: the window's, so rows' faces go to the store it shows; link: with a
        # central database, sends the rows (the window watches the roster and hands
        # galleries itself, hence WINDOW's watch_roster=False)
        self.session = DoorSession(workspace, spec, _Signals(self), store, link, WINDOW,
                                   self.playback)

    # -- called from the GUI thread ------------------------------------------------------
    def stop(self) -> None:
        """Ask the run to end; it stops the camera and flushes the workbook itself."""
        self.session.stop()

    def roster_changed(self) -> None:
        """People were enrolled, renamed or forgotten: the run takes in who changed."""
        self.session.roster_changed()

    def journal_changed(self) -> bool:
        """A row was voided: have the workbook writer rewrite its month (it reads the void
        from the journal). False when this worker records no longer: the caller writes
        the workbook itself."""
        recorder = self.session.recorder
        if recorder is None:
            return False
        recorder.sync.notify()
        return True

    # -- the worker thread -----------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        """The session; emits `finished` whatever happens."""
        try:
            self.session.run()
        except Exception as error:  # noqa: BLE001 - every failure must reach the window
            log.exception("video worker failed")
            self.failed.emit(str(error).splitlines()[0] if str(error) else type(error).__name__)
        finally:
            self.finished.emit()
