"""Playing a video file as a viewer expects: at its own frame rate, paused, resumed,
wound to any position, or as fast as frames can be processed.

A door camera shows what happens now, but a video file is watched: in the window it
plays at the rate it was filmed at. Frames are paced by a media clock (`MediaClock`):
frame n is due at the moment the clock was anchored plus n / fps, so the time spent
processing a frame is taken off the wait before the next one instead of added to it.
No frame is ever skipped (every face in the file must have its chance to be logged).

When processing is slower than real time: a frame that came late is followed by the
next ones at once, without waiting, until the video is back on its clock; a video
whose every frame takes longer than 1 / fps simply plays slower than real time. When it
is more than `MAX_LAG_S` behind (a long stall: the disk, a slow face engine), the clock
is anchored again at the frame now shown rather than racing through seconds of video to
catch up; either way a slow frame never delays the later ones further.

`PlaybackControl` is what the window holds: thread-safe commands (pause, resume, seek,
fast) for the thread that reads the file, which reports its position back. No Qt here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import cv2

from attendance_app.camera.sources import SourceSpec, open_capture
from attendance_app.types import Frame

FPS_FALLBACK = 25.0
"""The rate of a file that does not say its own (or says something absurd)."""
MAX_LAG_S = 1.0
"""How far behind its clock a video may fall before the clock is set again (see above)."""


def file_fps(capture: cv2.VideoCapture) -> float:
    """The frame rate an opened file says it has (FPS_FALLBACK when it does not say)."""
    fps = capture.get(cv2.CAP_PROP_FPS)
    return fps if 1.0 <= fps <= 240.0 else FPS_FALLBACK


def clock_text(seconds: float) -> str:
    """A position as a player shows it: 0:42, 1:22, 1:02:03."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class MediaClock:
    """When each frame of a file is due: the frame at which the clock was anchored is due
    at the anchoring moment, each later one 1 / fps after the one before.

    now: the clock read, in seconds (time.monotonic; tests give a fake one).
    """

    def __init__(self, fps: float, now: Callable[[], float] = time.monotonic,
                 max_lag_s: float = MAX_LAG_S) -> None:
        self.fps = fps
        self.now = now
        self.max_lag_s = max_lag_s
        self._anchor_time = now()
        self._anchor_frame = 0

    def anchor(self, frame: int) -> None:
        """`frame` is due now (at the start, after a pause, a seek, or fast play)."""
        self._anchor_time, self._anchor_frame = self.now(), frame

    def due(self, frame: int) -> float:
        """The moment (on `now`'s scale) `frame` is due."""
        return self._anchor_time + (frame - self._anchor_frame) / self.fps

    def wait_before(self, frame: int) -> float:
        """Seconds to wait before showing `frame`: 0 when it is due or late. More than
        max_lag_s late, the clock is anchored again at `frame`."""
        wait = self.due(frame) - self.now()
        if wait < -self.max_lag_s:
            self.anchor(frame)
            return 0.0
        return max(0.0, wait)


class PlaybackControl:
    """Commands for a video file being played, from any thread, and where it is.

    The window calls pause, resume, toggle_pause, seek, restart and set_fast; the thread
    reading the file (`play`) obeys them between frames and sets `position` (the index of
    the frame last read), `fps`, `frame_count` and `ended`.
    """

    def __init__(self, fast: bool = False) -> None:
        self._changed = threading.Condition()
        self._paused = False
        self._fast = fast
        self._seek_to: int | None = None
        self.position = 0
        self.fps = FPS_FALLBACK
        self.frame_count = 0
        self.ended = False

    # -- from any thread (the window) ------------------------------------------------------
    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def fast(self) -> bool:
        return self._fast

    def pause(self) -> None:
        self._set(paused=True)

    def resume(self) -> None:
        self._set(paused=False)

    def toggle_pause(self) -> None:
        self._set(paused=not self._paused)

    def set_fast(self, fast: bool) -> None:
        """Process frames as fast as possible (True) or at the file's own rate."""
        self._set(fast=fast)

    def seek(self, frame: int) -> None:
        """Go on from `frame` (clamped to the file), paused or not."""
        with self._changed:
            self._seek_to = max(0, frame)
            self._changed.notify_all()

    def restart(self) -> None:
        """From the first frame, playing."""
        with self._changed:
            self._seek_to, self._paused = 0, False
            self._changed.notify_all()

    def wake(self) -> None:
        """Let a paused reader look again (it was asked to stop)."""
        with self._changed:
            self._changed.notify_all()

    @property
    def seconds(self) -> tuple[float, float]:
        """(the position, the length) in seconds."""
        return self.position / self.fps, self.frame_count / self.fps

    def _set(self, *, paused: bool | None = None, fast: bool | None = None) -> None:
        with self._changed:
            if paused is not None:
                self._paused = paused
            if fast is not None:
                self._fast = fast
            self._changed.notify_all()

    # -- the reading thread ----------------------------------------------------------------
    def _take_seek(self) -> int | None:
        with self._changed:
            target, self._seek_to = self._seek_to, None
            return target

    def _hold(self, stop: threading.Event) -> None:
        """Wait while paused, until resumed, asked to seek, or stopped."""
        with self._changed:
            while self._paused and self._seek_to is None and not stop.is_set():
                self._changed.wait(0.5)


def play(spec: SourceSpec, control: PlaybackControl, stop: threading.Event,
         now: Callable[[], float] = time.monotonic) -> Iterator[Frame]:
    """The frames of a video file as `control` asks: paced by a MediaClock (unless fast),
    held while paused, read again from a sought position. A frame's index counts the
    frames yielded (it never goes back after a seek, so the pipeline's every-Nth-frame
    rhythm holds); `control.position` is the file's own frame number. Ends at the end of
    the file (`control.ended`) or when `stop` is set."""
    capture = open_capture(spec)
    try:
        control.fps = file_fps(capture)
        control.frame_count = max(0, int(capture.get(cv2.CAP_PROP_FRAME_COUNT)))
        clock = MediaClock(control.fps, now)
        position, count = 0, 0
        while not stop.is_set():
            target = control._take_seek()
            if target is not None:
                last = max(0, control.frame_count - 1)
                position = min(target, last) if control.frame_count else target
                capture.set(cv2.CAP_PROP_POS_FRAMES, position)
                clock.anchor(position)
            ok, image = capture.read()
            if not ok:
                control.ended = True
                return
            control.position = position
            if not control.fast:
                wait = clock.wait_before(position)
                if wait > 0 and stop.wait(wait):
                    return
            yield Frame(image, count, datetime.now())
            count += 1
            position += 1
            if control.paused and control._seek_to is None:
                control._hold(stop)
                clock.anchor(position)  # the pause is not lag: go on at the file's rate
            elif control.fast:
                clock.anchor(position)
    finally:
        capture.release()
