"""Worker processes that read and encode photos, so that enrolling a folder uses every core.

Encoding an enrolment photo with both engines takes about 0.3 s on the 2-core machine
this app is built for, and dlib holds Python's GIL while it runs, so threads would not
help: `PhotoPool` starts one process per core (spawned: no fork of a process with
threads), each holding its own copy of the engines, and hands them photos. The caller
gets the results in the order it gave the photos, while the workers keep reading and
encoding a few photos ahead: only those few results wait in memory, whether the folder
holds 20 photos or 20,000. The caller keeps everything that must happen in order (the
enrolment rules, storing) in its own process, so a pooled run decides exactly as a
serial one.

Ctrl-C in a terminal reaches every process of the group: the workers ignore it, and the
caller stops them once each has finished the photo it is on (a fraction of a second). A
worker whose caller was killed ends itself, as the door's encoder worker does
(recognition.encoders); a worker that dies (killed, out of memory) ends the work with
PhotoPoolError rather than leaving the caller waiting for its photo.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import TypeVar

import cv2

from attendance_app.errors import AttendanceError
from attendance_app.faces.protocol import Engine
from attendance_app.i18n import _

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_WORKERS = 8
"""At most this many workers, whatever the core count: each holds both engines' models
(a few hundred MB), and the store takes one person at a time anyway."""

AHEAD_PER_WORKER = 4
"""Photos handed out per worker beyond the one it is on: enough that no worker waits for
the next photo, few enough that memory stays flat."""

ORPHAN_CHECK_S = 0.5
"""How often a worker checks that the process that started it is still alive."""

_engines: Mapping[str, Engine] = {}
"""In a worker process: the engines it encodes with, loaded once when it starts."""
_failure: Exception | None = None
"""In a worker process: why its engines could not be loaded (a missing model file),
raised by every job so that the caller gets that one-line message, not a broken pool."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(cores: int | None = None) -> int:
    """How many workers to start for `cores` (default: the usable ones), at most
    MAX_WORKERS; 1 means no pool is worth starting."""
    return max(1, min(MAX_WORKERS, usable_cores() if cores is None else cores))


def _exit_when_orphaned(parent_pid: int) -> None:
    """End this worker as soon as the process that started it has gone."""
    while os.getppid() == parent_pid:
        time.sleep(ORPHAN_CHECK_S)
    os._exit(0)


def _start_worker(engines: Mapping[str, Engine], parent_pid: int) -> None:
    """A worker's start: deaf to Ctrl-C (its caller decides when it stops), watching for
    its caller's end, with its engines' models loaded. OpenCV runs a network on every core
    by default; with one worker per core that only makes the workers take turns, so each
    keeps to one thread."""
    global _engines, _failure
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cv2.setNumThreads(1)
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), name="orphan-check",
                     daemon=True).start()
    try:
        for engine in engines.values():
            engine.warm_up()
    except Exception as error:  # noqa: BLE001 - handed to the caller by _work
        _failure = error
    _engines = engines


def _ready() -> None:
    """A job that does nothing: sent once per worker to start them all at once."""


def _work(job: Callable[[Mapping[str, Engine], Item], Result], item: Item) -> Result:
    if _failure is not None:
        raise _failure
    return job(_engines, item)


class PhotoPoolError(AttendanceError):
    """A worker process ended in the middle of the work (killed, out of memory)."""


class PhotoPool:
    """`workers` processes, each with a copy of `engines`, running `map`'s job.

    Use it in a `with` block: leaving it waits for the workers to end; leaving it by an
    exception (Ctrl-C) first drops the photos not yet begun, so each worker only finishes
    the one it is on.
    """

    def __init__(self, engines: Mapping[str, Engine], workers: int) -> None:
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            workers, multiprocessing.get_context("spawn"), initializer=_start_worker,
            initargs=(dict(engines), os.getpid()))
        # The executor starts a worker per job sent while none is idle: start them all
        # now, deaf to Ctrl-C from their first instruction, as importing and loading the
        # models takes seconds before _start_worker can ignore it (recognition.encoders).
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            for _ in range(workers):
                self._executor.submit(_ready)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def map(self, job: Callable[[Mapping[str, Engine], Item], Result],
            items: Iterable[Item]) -> Iterator[Result]:
        """`job(engines, item)` for each of `items`, in their order, computed by the
        workers a few items ahead (AHEAD_PER_WORKER). `job` must be a module-level
        function (it is sent to the workers by name); its exceptions are raised here,
        and PhotoPoolError when a worker ended without finishing its item."""
        ahead = self.workers * (1 + AHEAD_PER_WORKER)
        waiting: deque[Future[Result]] = deque()
        try:
            for item in items:
                waiting.append(self._executor.submit(_work, job, item))
                if len(waiting) >= ahead:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
        except BrokenProcessPool:
            raise PhotoPoolError(_("a process encoding the photos ended unexpectedly (out of "
                                   "memory?); what was enrolled before is kept: run the same "
                                   "command again to go on")) from None

    def __enter__(self) -> PhotoPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._executor.shutdown(wait=True, cancel_futures=kind is not None)
