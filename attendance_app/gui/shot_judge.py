"""Judging enrolment shots off the GUI thread, so the enrol dialog never detects or
encodes there (a thorough photo detection takes a good fraction of a second).

The work runs in a one-thread Python pool, not a QThread: dlib's face encoder hung for
good inside a QThread that runs a Qt event loop (PySide6 6.12, dlib 20), while the same
call in a Python thread returns. Verdicts still arrive as Qt signals, which Qt queues
to the GUI thread.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from attendance_app.i18n import _
from attendance_app.people.enrolment import EnrolmentService

log = logging.getLogger(__name__)


class ShotJudge(QObject):
    """Judges requests one at a time, in order: `judged` (a ShotVerdict) per frame or
    photo, `failed` with one line if judging broke, and `done` after each request."""

    judged = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, service: EnrolmentService, parent: QObject) -> None:
        """service: the enrolment service whose rules judge every shot (only its shot
        judging runs in the pool: it reads no store). `parent` (the dialog) owns it, so the
        pool thread, whose requests hold it, never holds the last reference to it: a Qt
        object deleted in that thread crashes."""
        super().__init__(parent)
        self.service = service
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shot-judge")

    def judge_frame(self, rgb: np.ndarray, source: str, earlier: list[np.ndarray]) -> None:
        """Queue a camera frame (RGB), judged against the encodings of earlier shots."""
        self._pool.submit(self._judge_frame, rgb, source, earlier)

    def judge_photos(self, paths: list[Path]) -> None:
        """Queue photo files, judged by the command line's rules."""
        self._pool.submit(self._judge_photos, list(paths))

    def shutdown(self) -> None:
        """Drop queued requests and wait for the one being judged."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _judge_frame(self, rgb: np.ndarray, source: str, earlier: list[np.ndarray]) -> None:
        try:
            verdict = self.service.judge_frame(rgb, source, earlier)
            self.judged.emit(verdict)
        except Exception as error:  # noqa: BLE001 - shown to the user, not lost
            log.exception("judging a camera shot failed")
            self.failed.emit(_("The shot could not be checked: {problem}").format(problem=error))
        finally:
            self.done.emit()

    def _judge_photos(self, paths: list[Path]) -> None:
        try:
            for path in paths:
                verdict = self.service.judge_photo(path)
                self.judged.emit(verdict)
        except Exception as error:  # noqa: BLE001 - shown to the user, not lost
            log.exception("judging photos failed")
            self.failed.emit(_("The photos could not be checked: {problem}").format(problem=error))
        finally:
            self.done.emit()
