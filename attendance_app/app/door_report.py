"""What a door session tells its face (the window, `run --headless`): the words for the
source's state, one processed picture, the summary at the end, and the listener that hears
them. No Qt here: the window's worker turns these calls into signals, the command line
into printed lines, so both show the same run (issue 21).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attendance_app.camera.sources import CameraState
from attendance_app.i18n import _, ngettext
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AttendanceEvent, FrameResult


class SourceState:
    """What the source is doing, in the words the window's status bar shows."""

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


FINAL_STATES = frozenset({SourceState.ENDED, SourceState.NO_CAMERA, SourceState.PHOTO_DONE,
                          SourceState.PHOTOS_DONE})
"""States that say why the run ended; any other state at the end becomes STOPPED."""

CAMERA_STATES = {
    CameraState.CONNECTING: SourceState.STARTING,
    CameraState.CONNECTED: SourceState.CONNECTED,
    CameraState.RECONNECTING: SourceState.RECONNECTING,
    CameraState.STOPPED: SourceState.STOPPED,
}


@dataclass(frozen=True)
class Seen:
    """One picture the session looked at: `picture` in OpenCV's BGR order (as shown),
    what was found in it, and for a photo source the photo's file (None for a video or
    camera frame, whose boxes are tracks)."""

    picture: np.ndarray
    result: FrameResult
    photo: Path | None = None


@dataclass(frozen=True)
class RunSummary:
    """What a run did: frames processed, seconds spent, events written, frames dropped, and
    the signal that stopped it early (SIGINT for Ctrl-C, SIGTERM), if one did."""

    frames: int
    seconds: float
    events: int
    dropped: int
    stopped_by: int | None = None
    photos: bool = False  # the frames were photos: counted as photos, with no rate

    @property
    def exit_code(self) -> int:
        """0 when the source ended; 128 + the signal when stopped, as shells expect."""
        return 128 + self.stopped_by if self.stopped_by else 0

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0

    def describe(self) -> str:
        """The run's last line: what was processed, how fast, what was logged, and how it
        stopped."""
        logged = ngettext("{count} attendance event", "{count} attendance events",
                          self.events).format(count=self.events)
        if self.photos:
            done = (_("Photo done in {seconds:.1f} s") if self.frames == 1 else
                    ngettext("Photos done: {count} photo in {seconds:.1f} s",
                             "Photos done: {count} photos in {seconds:.1f} s", self.frames))
        else:
            done = ngettext("Processed {count} frame in {seconds:.1f} s ({fps:.1f} frames/s)",
                            "Processed {count} frames in {seconds:.1f} s ({fps:.1f} frames/s)",
                            self.frames)
        done = done.format(count=self.frames, seconds=self.seconds, fps=self.fps)
        if self.dropped and not self.photos:
            done = _("{processed}, {dropped} dropped while busy").format(processed=done,
                                                                        dropped=self.dropped)
        line = _("{done}; {logged}").format(done=done, logged=logged)
        if self.stopped_by == signal.SIGINT:
            return _("{summary} (stopped by Ctrl-C)").format(summary=line)
        if self.stopped_by == signal.SIGTERM:
            return _("{summary} (stopped)").format(summary=line)
        return line


class DoorListener:
    """Hears a door session. Every call comes from the thread that runs the session, in
    the order things happened; a face overrides what it shows and leaves the rest."""

    def state_changed(self, state: str) -> None:
        """The source's state changed (a SourceState text)."""

    def models_ready(self) -> None:
        """The face models are loaded: pictures are looked at from now on."""

    def seen(self, seen: Seen) -> None:
        """A picture was looked at (every frame of a video, every photo)."""

    def event_logged(self, event: AttendanceEvent) -> None:
        """A row was committed to the journal."""

    def refusal_noted(self, refusal: Refusal) -> None:
        """A recognised face left without passing the liveness check: noted in the
        journal, no row (attendance_app.recognition.refusal)."""

    def warning(self, message: str) -> None:
        """Something the user should know while the run goes on (one line)."""

    def information(self, message: str) -> None:
        """Something the user should know that is not a problem (one line, said once):
        with liveness on, that a photo source is not checked for liveness."""

    def ended(self, summary: RunSummary) -> None:
        """The run is over and everything is saved; the last call."""
