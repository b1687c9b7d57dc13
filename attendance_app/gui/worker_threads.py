"""The window's video worker threads: starting one, retiring it without waiting (the
window stays live while the old source closes), and waiting for all of them at close.

A worker that is asked to stop releases its camera and flushes the workbook before its
thread ends, which can take seconds; the window never waits for that except when it
closes, and never deletes a thread that still runs (deleting a running QThread aborts).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QThread

from attendance_app.gui.video_worker import VideoWorker
from attendance_app.i18n import _

log = logging.getLogger(__name__)

STOP_WAIT_MS = 8000
"""Longest wait for a worker at close: a camera being reopened may take a few seconds."""


class WorkerThreads:
    """The worker in charge (`current`) and every thread not yet finished."""

    def __init__(self, owner: QObject) -> None:
        self._owner = owner
        self.current: VideoWorker | None = None
        self._threads: list[tuple[QThread, VideoWorker]] = []

    def start(self, worker: VideoWorker) -> None:
        """Run `worker` in a thread of its own; it becomes the one in charge."""
        thread = QThread(self._owner)
        thread.setObjectName("video-worker")
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: quit from the worker thread itself, even while the GUI thread is blocked
        # in closeEvent waiting for it.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._forget_finished)
        self.current = worker
        self._threads.append((thread, worker))
        thread.start()

    def retire(self) -> None:
        """Ask the worker in charge to stop, without waiting for it."""
        if self.current is not None:
            self.current.stop()
            self.current = None

    def _forget_finished(self) -> None:
        self._threads = [(t, w) for t, w in self._threads if t.isRunning()]

    def running(self) -> int:
        """How many worker threads still run (after closing: those that did not stop)."""
        return sum(1 for thread, _worker in self._threads if thread.isRunning())

    def stop_all(self) -> None:
        """Stop every worker and wait for each (at close: no row is left behind)."""
        self.retire()
        for _thread, worker in self._threads:
            worker.stop()
        for thread, _worker in self._threads:
            if not thread.wait(STOP_WAIT_MS):
                log.warning(_("A video worker did not stop within {seconds} s.").format(
                    seconds=STOP_WAIT_MS // 1000))
        # A thread that did not stop is kept: deleting a running QThread aborts.
        self._threads = [(t, w) for t, w in self._threads if t.isRunning()]
