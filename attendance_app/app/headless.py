"""`attendance-app run --headless`: process a source without a window.

Video files are processed frame by frame to the end; cameras and streams until Ctrl-C,
after which the grabber is stopped and the workbook flushed before exiting. Photos and
folders of photos are taken as group pictures: every enrolled person in them is logged
once, strangers are not.
"""

from __future__ import annotations

import csv
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import ImageError, find_images, load_rgb
from attendance_app.camera.sources import (
    FrameGrabber,
    SourceKind,
    SourceSpec,
    live_frames,
    open_capture,
    read_file_frames,
)
from attendance_app.faces.expression import model_input
from attendance_app.people.roster_watch import RosterWatch
from attendance_app.recognition.photos import identify_photo
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.types import Frame, FrameResult
from attendance_app.wording import counted
from exports.owner_only import open_text

if TYPE_CHECKING:
    from attendance_app.central.link import CentralLink


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
        dropped = f", {self.dropped} dropped while busy" if self.dropped else ""
        stopped = {signal.SIGINT: " (stopped by Ctrl-C)", signal.SIGTERM: " (stopped)"}.get(
            self.stopped_by, "")
        logged = counted(self.events, "attendance event")
        if self.photos:
            done = "Photo done" if self.frames == 1 else f"Photos done: {counted(self.frames, 'photo')}"
            return f"{done} in {self.seconds:.1f} s; {logged}{stopped}"
        return (f"Processed {counted(self.frames, 'frame')} in {self.seconds:.1f} s "
                f"({self.fps:.1f} frames/s){dropped}; {logged}{stopped}")


def _photo_paths(spec: SourceSpec, warn: Callable[[str], None]) -> list[Path]:
    """The photo, or every photo in the folder and its sub-folders (saying so if none)."""
    if spec.kind is SourceKind.IMAGE:
        return [Path(spec.location)]
    photos = find_images(Path(spec.location))
    if not photos:
        warn(f"no photos in {spec.location} or its sub-folders (JPEG, PNG, BMP, WebP or TIFF); "
             "nothing to look at")
    return photos


def run_photos(workspace: Workspace, spec: SourceSpec, recorder: AttendanceRecorder,
               warn: Callable[[str], None]) -> RunSummary:
    """Group-photo attendance: log each accepted face once per photo (policy permitting)."""
    engine = workspace.engine()
    gallery = workspace.gallery(engine=engine)
    expressions = workspace.expression_reader()
    started, events, photos = time.perf_counter(), 0, 0
    for path in _photo_paths(spec, warn):
        try:
            rgb = load_rgb(path)
        except ImageError as error:
            warn(str(error))
            continue
        photos += 1
        for face in identify_photo(engine, gallery, rgb):
            match = face.match
            if match is not None and match.accepted and match.person_id is not None:
                expression = (expressions.read(model_input(rgb, face.box))
                              if expressions is not None else None)
                if recorder.record(match.person_id, match.name or "", match.distance,
                                   faces=[face.encoding], expression=expression) is not None:
                    events += 1
    return RunSummary(photos, time.perf_counter() - started, events, 0, photos=True)


def _stop_on_sigterm(stop: threading.Event, stopped_by: list[int]) -> None:
    """A service manager's SIGTERM ends the run as cleanly as Ctrl-C does."""
    def stop_here(*_: object) -> None:
        stopped_by.append(signal.SIGTERM)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop_here)


def _stop_on_ctrl_c(stop: threading.Event, stopped_by: list[int]) -> Callable[[], None]:
    """Once frames flow, Ctrl-C asks the loop to stop after the frame it is on, instead of
    raising KeyboardInterrupt wherever the main thread happens to be: in the middle of
    encoding a face taken back from the worker, or of reading the worker's answer, an
    exception can leave the encoder waiting for a face nobody encodes, and the run would
    wait a minute for it and end with "the face encoder process stopped answering" (issue
    20). A second Ctrl-C interrupts at once, and the encoder is then closed, not waited
    for. Returns what puts the previous handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop_here(*_: object) -> None:
        stopped_by.append(signal.SIGINT)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, stop_here)
    return lambda: signal.signal(signal.SIGINT, previous)


class TrackRecord:
    """Writes what the window would draw, one CSV line per box per frame: frame, track_id,
    x1, y1, x2, y2 (frame pixels), label, status. For tests, and to answer "why was I not
    logged?" after the fact."""

    COLUMNS = ("frame", "track_id", "x1", "y1", "x2", "y2", "label", "status")

    def __init__(self, path: Path) -> None:
        self._stream = open_text(path)  # owner-only: it says when each face passed
        self._out = csv.writer(self._stream)
        self._out.writerow(self.COLUMNS)

    def add(self, result: FrameResult) -> None:
        for view in result.tracks:
            box = view.box
            self._out.writerow((result.index, view.track_id, round(box.x1), round(box.y1),
                                round(box.x2), round(box.y2), view.label, view.status.value))

    def close(self) -> None:
        self._stream.close()


def run_video(workspace: Workspace, spec: SourceSpec, recorder: AttendanceRecorder,
              tracks_csv: Path | None = None, link: CentralLink | None = None) -> RunSummary:
    """Run the pipeline over a file (to its end) or a live source (until interrupted).
    With a central `link`, people enrolled (renamed, forgotten) at any door are recognised
    (or not) from the next frame after the door's copy took them in; without one, those
    enrolled (renamed, forgotten) by a command beside the run within about a second."""
    stop = threading.Event()
    stopped_by: list[int] = []
    _stop_on_sigterm(stop, stopped_by)
    grabber: FrameGrabber | None = None
    frames: Iterator[Frame]
    if spec.is_live:
        open_capture(spec).release()  # a camera missing at start is an error, not a wait
    pipeline = workspace.pipeline(recorder)  # models load before the first frame is read
    roster_seen = 0 if link is None else link.roster_version
    store = workspace.store() if link is None else link.store
    watch = RosterWatch(store) if link is None else None  # forget, enrol beside the run
    pipeline.engine.warm_up()
    if spec.is_live:
        grabber = FrameGrabber(spec)
        grabber.start()
        frames = live_frames(grabber, stop)
    else:
        frames = read_file_frames(spec)
    started, count, events = time.perf_counter(), 0, 0
    record = TrackRecord(tracks_csv) if tracks_csv is not None else None
    interrupted = False
    restore_ctrl_c = _stop_on_ctrl_c(stop, stopped_by)
    try:
        for frame in frames:
            if link is not None and link.roster_version != roster_seen:
                roster_seen = link.roster_version
                pipeline.set_gallery(workspace.gallery(store, pipeline.engine))
            elif watch is not None and watch.changed():
                pipeline.set_gallery(workspace.gallery(store, pipeline.engine))
            result = pipeline.process(frame)
            if record is not None:
                record.add(result)
            events += len(result.events)
            count += 1
            if stop.is_set():
                break
    except KeyboardInterrupt:  # a second Ctrl-C: the encoder's state is not to be trusted
        stopped_by.append(signal.SIGINT)
        interrupted = True
    finally:
        restore_ctrl_c()
        if grabber is not None:
            grabber.stop()
        if interrupted:
            pipeline.close()
        else:
            events += len(pipeline.finish())
        if record is not None:
            record.close()
    seconds = time.perf_counter() - started
    return RunSummary(count, seconds, events, grabber.dropped if grabber else 0,
                      stopped_by[0] if stopped_by else None)


def run_headless(workspace: Workspace, spec: SourceSpec, recorder: AttendanceRecorder,
                 warn: Callable[[str], None], tracks_csv: Path | None = None,
                 link: CentralLink | None = None) -> RunSummary:
    """Dispatch on the kind of source (photos have no tracks to record)."""
    if spec.kind in (SourceKind.IMAGE, SourceKind.IMAGE_FOLDER):
        return run_photos(workspace, spec, recorder, warn)
    return run_video(workspace, spec, recorder, tracks_csv, link)
