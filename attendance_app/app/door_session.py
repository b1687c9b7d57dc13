"""One door's run from start to stop, for every kind of source (issue 21, "one core").

`DoorSession.run` drives frames -> pipeline -> recorder -> side stages for a camera, a
stream or a video file, and takes a photo or a folder of photos (with its sub-folders) as
group pictures. The window's worker and `run --headless` both run it and differ only in
how they show what its DoorListener hears; before, each had its own loop and they had
drifted apart (a folder of class folders logged nobody in the window, its photo rows had
no expression, and it built the gallery again for every photo).

Start-up, in order: the message sender (with messages on), the recorder (journal,
workbook writer), a look at the camera, the pipeline (face models, encoder process,
unknowns saver), the grabber. Shut-down in the reverse order: grabber stopped, encoder
finished (or closed after a fault) with the unknown faces saved, the workbook writer
flushed, the sender's last pass (what it could not send waits for the next start). The central link and the data folder's
lock belong to the caller, who holds them across runs (the window) or around one (the
command line).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from attendance_app.app.door_photos import PhotoDoor
from attendance_app.app.door_report import (
    CAMERA_STATES,
    FINAL_STATES,
    DoorListener,
    RunSummary,
    Seen,
    SourceState,
)
from attendance_app.app.messaging import sender
from attendance_app.app.workspace import Workspace
from attendance_app.camera.playback import PlaybackControl, play
from attendance_app.camera.sources import (
    CameraState,
    FrameGrabber,
    SourceError,
    SourceKind,
    SourceSpec,
    open_capture,
)
from attendance_app.faces import PROFILES
from attendance_app.people.roster_watch import RosterWatch, brought_up_to_date
from attendance_app.recognition.liveness import withdrawn_note
from attendance_app.types import AttendanceEvent, Frame
from enrolment import StoreError

if TYPE_CHECKING:
    from attendance_app.central.link import CentralLink
    from attendance_app.faces.protocol import Engine
    from attendance_app.records.recorder import AttendanceRecorder
    from enrolment import FaceStore, Gallery


@dataclass(frozen=True)
class DoorOptions:
    """How a face wants the source played; what is looked at and logged is the same.

    pace_files: play a video file at its own frame rate (the window: people watch it),
      instead of as fast as frames are processed (the command line); the window's
      PlaybackControl, when given, decides instead (its "fast" choice, pause, seek).
    photo_seconds: how long each photo of a photo source stays before the next.
    wait_for_camera: a camera missing at start is retried until it comes (the window,
      which says "No camera" meanwhile); otherwise it is an error at once.
    watch_roster: notice people enrolled, renamed or forgotten by another process (or
      another door) and take them in between frames; off when the face watches the roster
      itself (the window, whose lists need it too) and says so with `roster_changed`.
    """

    pace_files: bool = False
    photo_seconds: float = 0.0
    wait_for_camera: bool = False
    watch_roster: bool = True


HEADLESS = DoorOptions()
WINDOW = DoorOptions(pace_files=True, photo_seconds=2.0, wait_for_camera=True, watch_roster=False)

PHOTO_KINDS = (SourceKind.IMAGE, SourceKind.IMAGE_FOLDER)


class _RosterReload:
    """Which gallery the next picture is looked at with: the one in use brought up to date
    when the roster changed (the face said so, the central link's copy took in another
    door's change, or a command beside the run changed the face store);
    None when nothing did. Only the people changed are read (brought_up_to_date), so the
    camera waits milliseconds, not the reading of every encoding."""

    def __init__(self, workspace: Workspace, store: FaceStore, link: CentralLink | None,
                 watch: bool) -> None:
        self.workspace = workspace
        self.store = store
        self.link = link
        self._seen = link.roster_version if link is not None else 0
        self._watch = RosterWatch(store) if watch and link is None else None
        self._watch_link = watch and link is not None
        self._lock = threading.Lock()
        self._told = False  # the roster changed: bring the gallery up to date
        self._counter = self._store_counter()  # what the gallery in use reflects

    def _store_counter(self) -> int:
        """The store's change counter now; -1 (unknown: the next change reads it all) when
        it cannot be read."""
        try:
            return self.store.change_counter()
        except StoreError:
            return -1

    def tell(self) -> None:
        """From any thread: the roster changed; the next picture takes it in."""
        with self._lock:
            self._told = True

    def fresh(self, engine: Engine | None = None,
              current: Gallery | None = None) -> Gallery | None:
        """`current`: the gallery in use, brought up to date; without it a changed roster
        is read whole."""
        with self._lock:
            changed, self._told = self._told, False
        if self._watch_link and self.link is not None and self.link.roster_version != self._seen:
            self._seen, changed = self.link.roster_version, True
        elif self._watch is not None and self._watch.changed():
            changed = True
        if not changed:
            return None
        if current is None or self._counter < 0:
            self._counter = self._store_counter()
            return self.workspace.gallery(self.store, engine)
        self._counter, gallery = brought_up_to_date(
            self.store, current, PROFILES[self.workspace.config.recognition.engine].name,
            self._counter, lambda: self.workspace.gallery(self.store, engine))
        return None if gallery is current else gallery


class DoorSession:
    """Runs one source until it ends or `stop` is called; reports to `listener`.

    store: the face store rows' faces go to and the gallery is read from (the window's,
      or the central link's copy); by default the link's copy or the data folder's store.
    link: with a central database, started by the caller: sends the rows, hears the
      other doors' roster changes.
    playback: for a video file, the window's pause, seek and "fast" commands.
    """

    def __init__(self, workspace: Workspace, spec: SourceSpec, listener: DoorListener,
                 store: FaceStore | None = None, link: CentralLink | None = None,
                 options: DoorOptions = HEADLESS,
                 playback: PlaybackControl | None = None) -> None:
        self.workspace = workspace
        self.spec = spec
        self.listener = listener
        self.link = link
        if store is None:
            store = link.store if link is not None else workspace.store()
        self.store = store
        self.options = options
        self.playback = playback or PlaybackControl(fast=not options.pace_files)
        self.recorder: AttendanceRecorder | None = None  # while it records
        self._stop = threading.Event()
        self._stopped_by: int | None = None
        self._state = ""
        self._events = 0
        self._roster = _RosterReload(workspace, self.store, link, options.watch_roster)

    # -- from any thread -------------------------------------------------------------------
    def stop(self, by_signal: int | None = None) -> None:
        """Ask the run to end after the picture it is on; `by_signal` (SIGINT, SIGTERM)
        is what asked, for the exit code. The camera is released and the workbook
        flushed by the run itself."""
        if self._stopped_by is None:
            self._stopped_by = by_signal
        self._stop.set()
        self.playback.wake()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def photo_seconds(self) -> float:
        return self.options.photo_seconds

    def roster_changed(self) -> None:
        """People were enrolled, renamed or forgotten (rows voided): the run's own thread
        takes in only what changed before the next picture, instead of the caller building
        a whole gallery (half a second at 20,000 people)."""
        self._roster.tell()

    # -- the run's own thread ----------------------------------------------------------------
    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True when a stop came meanwhile."""
        return self._stop.wait(seconds)

    def set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.listener.state_changed(state)

    def fresh_gallery(self, engine: Engine | None = None,
                      current: Gallery | None = None) -> Gallery | None:
        """The gallery to switch to before the next picture, None to keep `current`, the
        one in use (without it, a changed roster is read whole)."""
        return self._roster.fresh(engine, current)

    def _event_logged(self, event: AttendanceEvent) -> None:
        self._events += 1
        self.listener.event_logged(event)

    def run(self) -> RunSummary:
        """The whole run; returns (and reports) its summary. An error is raised after the
        recorder has saved what it holds."""
        self.set_state(SourceState.STARTING)
        messages = sender(self.workspace)  # None when off; what it holds outlives the run
        if messages is not None:
            messages.start()
        try:
            return self._run_recorded()
        finally:
            if messages is not None:
                messages.stop()

    def _run_recorded(self) -> RunSummary:
        recorder = self.recorder = self.workspace.recorder(
            on_event=self._event_logged, store=self.store, link=self.link,
            on_refusal=self.listener.refusal_noted)
        try:
            if self.spec.kind in PHOTO_KINDS:
                summary = PhotoDoor(self, recorder).run()
            else:
                if self.spec.is_live:
                    self._probe_camera()  # before the slow pipeline start, to say it at once
                summary = self._run_video(recorder)
        finally:
            self.recorder = None  # before its last save, which takes in every void so far
            recorder.close()
            if self._state not in FINAL_STATES:
                self.set_state(SourceState.STOPPED)
        summary = RunSummary(summary.frames, summary.seconds, self._events, summary.dropped,
                             self._stopped_by, summary.photos)
        self.listener.ended(summary)
        return summary

    def _probe_camera(self) -> None:
        """A camera that cannot be opened: an error, or said at once and then waited for."""
        try:
            open_capture(self.spec).release()
        except SourceError as error:
            if not self.options.wait_for_camera:
                raise
            self.set_state(SourceState.NO_CAMERA)
            self.listener.warning(str(error))

    def _run_video(self, recorder: AttendanceRecorder) -> RunSummary:
        """Frames through the pipeline. When the file ends or a stop is asked, the faces
        still being encoded are counted (`finish`: an arrival already seen is not lost);
        after a fault or a second Ctrl-C the encoder's state is not trusted and it is
        closed (`close`). So it is after a SIGTERM: sent to the process group (as service
        managers and terminals do), it ended the encoder process as well, and waiting
        for the face it held hung the stop for a minute."""
        # Its models loaded, the encoder worker's too; its gallery: the roster as it is now.
        pipeline = self.workspace.pipeline(recorder)
        grabber: FrameGrabber | None = None
        count, started = 0, time.perf_counter()
        try:
            self.listener.models_ready()
            note = withdrawn_note(self.workspace.config.liveness.mode)
            if note is not None:
                self.listener.warning(note)
            if self.spec.is_live:
                grabber = FrameGrabber(self.spec)
                grabber.start()
            started = time.perf_counter()
            for frame in self._frames(grabber):
                gallery = self.fresh_gallery(pipeline.engine, pipeline.gallery)
                if gallery is not None:
                    pipeline.set_gallery(gallery)
                result = pipeline.process(frame)
                self.listener.seen(Seen(frame.image, result))
                count += 1
                if self._stop.is_set():
                    break
        except KeyboardInterrupt:  # a second Ctrl-C: stop now
            self._stopped_by = self._stopped_by or signal.SIGINT
            self._stop_grabber(grabber)
            pipeline.close()
        except BaseException:
            self._stop_grabber(grabber)
            pipeline.close()
            raise
        else:
            self._stop_grabber(grabber)
            ended = not self._stop.is_set()
            if self._stopped_by == signal.SIGTERM:
                pipeline.close()  # the encoder process got the SIGTERM too: nobody to wait for
            else:
                pipeline.finish()
            if ended:
                self.set_state(SourceState.ENDED)
        return RunSummary(count, time.perf_counter() - started, 0,
                          grabber.dropped if grabber is not None else 0)

    @staticmethod
    def _stop_grabber(grabber: FrameGrabber | None) -> None:
        if grabber is not None:
            grabber.stop()

    def _frames(self, grabber: FrameGrabber | None) -> Iterator[Frame]:
        if grabber is not None:
            return self._live_frames(grabber)
        return self._file_frames()

    def _live_frames(self, grabber: FrameGrabber) -> Iterator[Frame]:
        """Frames from the grabber, which retries a missing or lost camera, with its state."""
        while not self._stop.is_set():
            frame = grabber.take(timeout=0.2)
            still_missing = (self._state == SourceState.NO_CAMERA
                             and grabber.state is not CameraState.CONNECTED)
            if not still_missing:
                self.set_state(CAMERA_STATES[grabber.state])
            if frame is not None:
                yield frame

    def _file_frames(self) -> Iterator[Frame]:
        """Every frame of the file (none skipped), as its PlaybackControl asks: at the
        file's rate or fast, paused, sought (attendance_app.camera.playback)."""
        self.set_state(SourceState.PLAYING)
        yield from play(self.spec, self.playback, self._stop)
