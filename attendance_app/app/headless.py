"""`attendance-app run --headless`: a door session shown as printed lines.

The run itself is the DoorSession's, the same as the window's; here are only what the
command line shows of it (each row as it is written, warnings on stderr, the tracks
CSV) and how it is stopped: Ctrl-C or a service manager's SIGTERM end it after the
picture it is on, with the grabber stopped and the workbook flushed before exit.
"""

from __future__ import annotations

import csv
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.app.door_report import DoorListener, RunSummary, Seen
from attendance_app.app.door_session import HEADLESS, DoorSession
from attendance_app.app.event_lines import event_line, refusal_line
from attendance_app.app.log_file import file_only
from attendance_app.app.workspace import Workspace
from attendance_app.camera.sources import SourceSpec
from attendance_app.i18n import _
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AttendanceEvent, FrameResult
from exports.owner_only import open_text

if TYPE_CHECKING:
    from attendance_app.central.link import CentralLink
    from enrolment import FaceStore


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


class PrintedDoor(DoorListener):
    """What the command line shows of a session: rows and refusals on stdout as they are
    committed, warnings through `warn`, and with a TrackRecord every box of every video
    frame (photos have no tracks to record). The first Ctrl-C is taken as a stop request once
    the models are loaded (`models_ready`); before that it interrupts the loading."""

    def __init__(self, warn: Callable[[str], None], tracks: TrackRecord | None = None,
                 on_models_ready: Callable[[], None] = lambda: None) -> None:
        self.warn = warn
        self.tracks = tracks
        self.on_models_ready = on_models_ready

    def models_ready(self) -> None:
        self.on_models_ready()

    def seen(self, seen: Seen) -> None:
        if self.tracks is not None and seen.photo is None:
            self.tracks.add(seen.result)

    def event_logged(self, event: AttendanceEvent) -> None:
        print(event_line(event), flush=True)

    def refusal_noted(self, refusal: Refusal) -> None:
        print(refusal_line(refusal), flush=True)

    def warning(self, message: str) -> None:
        self.warn(message)

    def information(self, message: str) -> None:
        """One line on stderr, beside the warnings but not one of them."""
        line = _("note: {message}").format(message=message)
        print(line, file=sys.stderr, flush=True)
        file_only(logging.INFO, line)  # what people read is in the log file too


@contextmanager
def _stop_on_sigterm(session: DoorSession) -> Iterator[None]:
    """A service manager's SIGTERM ends the run as cleanly as Ctrl-C does."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: session.stop(signal.SIGTERM))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _CtrlC:
    """Once frames flow, Ctrl-C asks the session to stop after the picture it is on,
    instead of raising KeyboardInterrupt wherever the main thread happens to be: in the
    middle of encoding a face taken back from the worker, or of reading the worker's
    answer, an exception can leave the encoder waiting for a face nobody encodes, and the
    run would wait a minute for it and end with "the face encoder process stopped
    answering" (issue 20). A second Ctrl-C interrupts at once, and the encoder is then
    closed, not waited for."""

    def __init__(self, session: DoorSession) -> None:
        self.session = session
        self._previous: object = None

    def take(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def stop_here(*_: object) -> None:
            self.session.stop(signal.SIGINT)
            signal.signal(signal.SIGINT, signal.default_int_handler)

        self._previous = signal.signal(signal.SIGINT, stop_here)

    def give_back(self) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]


def run_headless(workspace: Workspace, spec: SourceSpec, warn: Callable[[str], None],
                 tracks_csv: Path | None = None, store: FaceStore | None = None,
                 link: CentralLink | None = None) -> RunSummary:
    """Run `spec` to its end (a file, photos) or until stopped (a camera, a stream).
    With a central `link`, people enrolled (renamed, forgotten) at any door are recognised
    (or not) from the next frame after the door's copy took them in; without one, those
    enrolled (renamed, forgotten) by a command beside the run within about a second."""
    tracks = TrackRecord(tracks_csv) if tracks_csv is not None else None
    listener = PrintedDoor(warn, tracks)
    session = DoorSession(workspace, spec, listener, store, link, HEADLESS)
    ctrl_c = _CtrlC(session)
    listener.on_models_ready = ctrl_c.take
    try:
        with _stop_on_sigterm(session):
            return session.run()
    finally:
        ctrl_c.give_back()
        if tracks is not None:
            tracks.close()
