"""Who encodes the faces the pipeline wants to look at: this process, or a second one.

Encoding a face (dlib's ResNet) is the slowest step, about 100 ms per face on the 2-core
machine this app is built for, and dlib holds Python's GIL while it runs, so a thread
would not help. `ProcessEncoder` runs it in a worker process on the other core while this
process keeps decoding, detecting and tracking; results come back a few frames later.
When faces queue up for the worker (several people arrived at once), this process takes
the next one back and encodes it itself, so both cores encode instead of one idling.
`InlineEncoder` encodes at once, for callers that want results on the same frame.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from attendance_app.faces.protocol import Engine
from attendance_app.i18n import _
from attendance_app.types import Box

CROP_MARGIN = 0.6
"""Part of the face size kept around a face sent to the worker: dlib's face chip reaches
a quarter of the face size beyond its landmarks, so the encoding is the same as on the
whole frame."""


READY = "ready"
STARTUP_TIMEOUT_S = 300.0
"""Loading the models in the worker takes a few seconds; much longer on a busy machine."""
ANSWER_TIMEOUT_S = 60.0
"""How long a living worker may take over one face before it counts as hung."""
WORKER_CHECK_S = 0.5
"""How often a wait for the worker checks that it still lives."""

log = logging.getLogger(__name__)


class EncoderError(Exception):
    """The worker process could not start or stopped answering."""


@dataclass(frozen=True)
class Look:
    """One request to encode a tracked face: whose track, the frame it was seen on, and
    whether the face was seen clearly there (attendance_app.faces.clarity)."""

    track_id: int
    frame_index: int
    timestamp: datetime
    clear: bool = True


class Encoder(Protocol):
    """What the pipeline needs from an encoder."""

    def submit(self, looks: list[tuple[Look, Box]], bgr: np.ndarray) -> None:
        """Queue the faces in `looks` (boxes in `bgr`, the frame they were seen on)."""

    def collect(self, wait_before: float = -math.inf) -> list[tuple[Look, np.ndarray]]:
        """Encodings finished so far, waiting for any seen on a frame before `wait_before`."""

    def close(self) -> None:
        """Release what the encoder holds."""


def face_crop(image: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """The part of the frame around `box` (a contiguous copy) and the box within it."""
    height, width = image.shape[:2]
    dx, dy = box.width * CROP_MARGIN, box.height * CROP_MARGIN
    x1, y1 = max(0, int(box.x1 - dx)), max(0, int(box.y1 - dy))
    x2, y2 = min(width, int(box.x2 + dx) + 1), min(height, int(box.y2 + dy) + 1)
    crop = np.ascontiguousarray(image[y1:y2, x1:x2])
    return crop, Box(box.x1 - x1, box.y1 - y1, box.x2 - x1, box.y2 - y1)


class InlineEncoder:
    """Encodes in the calling thread; results are ready on the next `collect`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._done: list[tuple[Look, np.ndarray]] = []

    @property
    def pending(self) -> int:
        return 0

    def submit(self, looks: list[tuple[Look, Box]], bgr: np.ndarray) -> None:
        encodings = self.engine.encode(bgr, [box for _, box in looks])
        self._done += [(look, encoding) for (look, _), encoding in zip(looks, encodings)]

    def collect(self, wait_before: float = -math.inf) -> list[tuple[Look, np.ndarray]]:
        done, self._done = self._done, []
        return done

    def close(self) -> None:
        """Nothing to stop."""


ORPHAN_CHECK_S = 0.5
"""How often the worker checks that the app that started it is still alive."""


def _exit_when_orphaned(parent_pid: int) -> None:
    """End this process as soon as the app that started it has gone."""
    while os.getppid() == parent_pid:
        time.sleep(ORPHAN_CHECK_S)
    os._exit(0)


def _serve(jobs: multiprocessing.Queue, results: multiprocessing.Queue, engine: Engine,
           parent_pid: int) -> None:
    """The worker: encode each face sent, until told to stop. A killed app cannot say stop,
    and may die halfway through writing (or taking back) a face, which leaves the worker
    waiting for bytes that never come; so a watchdog thread ends the worker once the app
    has gone, whatever it is waiting for (else it would linger, holding the app's output
    open and its memory)."""
    # Ctrl-C in a terminal reaches every process of the group; the app decides when the
    # worker stops (and reports it), so the worker must not die with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), name="orphan-check",
                     daemon=True).start()
    engine.warm_up()
    results.put(READY)
    while (job := jobs.get()) is not None:
        look, crop, box = job
        results.put((look, engine.encode(crop, [box])[0]))


def _start_deaf_to_ctrl_c(worker: multiprocessing.process.BaseProcess) -> None:
    """Start `worker` with Ctrl-C ignored from its first instruction: a terminal's Ctrl-C
    reaches every process of the group, and the seconds the worker spends importing and
    loading its models come before `_serve` can ignore it (it would die with a traceback
    of its own). The ignored disposition is inherited, and Python keeps it at start-up;
    this process's own handler is put back at once."""
    if threading.current_thread() is not threading.main_thread():
        worker.start()  # only the main thread may change handlers; the GUI's is not it
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        worker.start()
    finally:
        signal.signal(signal.SIGINT, previous)


class ProcessEncoder:
    """Encodes in a worker process; `collect` returns what has finished so far.

    Made, it has started the worker and returns at once: the worker imports and loads its
    models (seconds) on the other core while this process does its own start-up work
    (the tracker's imports, its own models), and `wait_until_ready` then waits only for
    what is left. `submit` and `collect` wait for it too, if nobody did."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self._jobs: multiprocessing.Queue = context.Queue()
        # At exit, multiprocessing waits for the queue's feeder thread to write what is
        # still queued; with the worker gone (a SIGTERM to the process group ends it first)
        # and the pipe full, that wait never ends and the app hangs on its way out. What is
        # queued then is never encoded anyway: leave without flushing it.
        self._jobs.cancel_join_thread()
        self._results: multiprocessing.Queue = context.Queue()
        self._worker = context.Process(target=_serve, name="face-encoder", daemon=True,
                                       args=(self._jobs, self._results, engine, os.getpid()))
        _start_deaf_to_ctrl_c(self._worker)
        self._sent: list[Look] = []  # in the order sent
        self._ready = False

    def wait_until_ready(self) -> None:
        """Return once the worker has loaded its models; EncoderError (the worker closed)
        when it died first or took longer than STARTUP_TIMEOUT_S."""
        if self._ready:
            return
        if self._first_word() != READY:
            self.close()
            raise EncoderError(_("the face encoder process did not start; reinstall with the "
                                 "command in README.md"))
        self._ready = True

    def _first_word(self) -> object:
        """The worker's first word (READY once its models are loaded); None when it died
        first (said at once, not after STARTUP_TIMEOUT_S) or took too long."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                return self._results.get(timeout=0.5)
            except queue.Empty:
                if not self._worker.is_alive():
                    return None
        return None

    @property
    def pending(self) -> int:
        """Faces sent but not yet collected."""
        return len(self._sent)

    def submit(self, looks: list[tuple[Look, Box]], bgr: np.ndarray) -> None:
        self.wait_until_ready()
        for look, box in looks:
            crop, box_in_crop = face_crop(bgr, box)
            self._jobs.put((look, crop, box_in_crop))
            self._sent.append(look)

    def collect(self, wait_before: float = -math.inf) -> list[tuple[Look, np.ndarray]]:
        """Finished encodings; waits for every face seen on a frame before `wait_before`
        (so the caller never runs too far ahead of the worker), not for the others.
        Faces queued behind the one the worker is on are encoded here meanwhile."""
        self.wait_until_ready()  # else its READY would be taken for an encoding
        done = []
        while self._sent:
            item = self._finished()
            if item is None and len(self._sent) > 1:
                item = self._encode_one_here()
            if item is None and self._sent[0].frame_index < wait_before:
                item = self._encode_one_here() or self._wait_for_worker()
                if item is None:  # the worker ended: what it held is lost, nothing to wait for
                    self._lost_with_worker()
            if item is None:
                break
            done.append(item)
            self._sent.remove(item[0])
        return done

    def _finished(self) -> tuple[Look, np.ndarray] | None:
        try:
            return self._results.get_nowait()
        except queue.Empty:
            return None

    def _encode_one_here(self) -> tuple[Look, np.ndarray] | None:
        """Take the next face off the worker's queue and encode it in this process; None
        when the queue is empty (the worker is busy with the last one, or has it)."""
        try:
            look, crop, box = self._jobs.get_nowait()
        except queue.Empty:
            return None
        return look, self.engine.encode(crop, [box])[0]

    def _wait_for_worker(self) -> tuple[Look, np.ndarray] | None:
        """The worker's next encoding; None as soon as the worker has ended (a SIGTERM to
        the process group ends it with the app, which then stops without waiting for it),
        EncoderError when it lives but stays silent for ANSWER_TIMEOUT_S."""
        deadline = time.monotonic() + ANSWER_TIMEOUT_S
        while True:
            try:
                return self._results.get(timeout=WORKER_CHECK_S)
            except queue.Empty:
                if not self._worker.is_alive():
                    return None
                if time.monotonic() > deadline:
                    raise EncoderError(_("the face encoder process stopped answering")) from None

    def _lost_with_worker(self) -> None:
        """Forget the faces the ended worker held (the others are still in its queue and
        are encoded here); said in the log, as a warning unless a signal ended it."""
        code = self._worker.exitcode
        signalled = code is not None and -code in (signal.SIGTERM, signal.SIGINT)
        log.log(logging.DEBUG if signalled else logging.WARNING,
                "the face encoder process ended (exit code %s); %d face(s) it held are not "
                "encoded, the rest are encoded in the app", code, len(self._sent))
        self._sent.clear()

    def close(self) -> None:
        """Stop the worker (it finishes the face it is on)."""
        if self._worker.is_alive():
            self._jobs.put(None)
            self._worker.join(timeout=5.0)
            if self._worker.is_alive():
                self._worker.terminate()
        self._jobs.close()
        self._results.close()
