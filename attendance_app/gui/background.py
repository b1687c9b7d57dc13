"""Work off the GUI thread that always reports back: success or any exception becomes a
Qt signal delivered on the GUI thread, and an uncaught exception in any thread reaches
the window's notices and the log.

Why: two background threads failed silently (issue 21, point 7). The Reports dialog
caught only the errors it expected, so anything else killed its thread and left it on
"Writing…" for good; the workbook rewrite after a void only logged. Following superqt's
WorkerBase (every outcome a signal) and napari's hook on threading.excepthook, no thread
of the window can now die without the user being told.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from shiboken6 import Shiboken

from attendance_app.i18n import _

log = logging.getLogger(__name__)

OWN_PACKAGES = ("attendance_app", "enrolment", "exports", "trackers")
"""Errors of these packages carry a message written for people (what to do); any other
exception is a bug, shown with its type."""


class BackgroundTask(QObject):
    """One call of `work` in its own thread. Connect to `succeeded(result)` and
    `failed(error)` before `start`; exactly one of them is emitted, then `finished()`.
    The task lives in the thread that made it (the GUI thread), so Qt queues the
    signals there: slots may touch widgets."""

    succeeded = Signal(object)
    failed = Signal(object)  # the exception raised by `work`
    finished = Signal()

    def __init__(self, work: Callable[[], Any], name: str) -> None:
        # A child of the application, not of the dialog that starts it: closing the
        # dialog must not delete the task while its thread still emits (that crashed);
        # it deletes itself once its thread has ended.
        super().__init__(QCoreApplication.instance())
        self._work = work
        self._name = name
        self._thread: threading.Thread | None = None
        self._helpers: list[QObject] = []
        self.finished.connect(self._forget)  # queued: runs on the GUI thread

    def keep_until_done(self, helper: QObject) -> None:
        """Delete `helper` (a receiver of this task's signals) once the thread has ended:
        deleting a receiver while the thread may still emit crashed PySide."""
        self._helpers.append(helper)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def _forget(self) -> None:
        """After `finished` (on the GUI thread): the thread returns right after emitting
        it; once it has, the task and its helpers are deleted by the event loop."""
        if self._thread is not None:
            self._thread.join()
        for helper in self._helpers:
            if Shiboken.isValid(helper):  # its parent may have taken it along already
                helper.deleteLater()
        self._helpers.clear()
        self.deleteLater()

    def _run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - every failure must reach the window
            # In full in the log: the window shows one line, a bug report needs the rest.
            log.error("%s failed:\n%s", self._name, "".join(traceback.format_exception(error)))
            # Without its frames: they hold the dialog that started the work, and a garbage
            # collection run in some other thread must never be the one deleting a widget.
            self.failed.emit(error.with_traceback(None))
            del error
        else:
            self.succeeded.emit(result)
        self.finished.emit()


class _Receiver(QObject):
    """Hands a task's outcome to the callbacks on the GUI thread, for as long as its
    parent lives: when the dialog or window is gone, Qt drops the queued outcome."""

    def __init__(self, parent: QObject, on_success: Callable[[Any], object],
                 on_failure: Callable[[Exception], object]) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure

    @Slot(object)
    def succeeded(self, result: object) -> None:
        self._on_success(result)

    @Slot(object)
    def failed(self, error: Exception) -> None:
        self._on_failure(error)


def run_in_background(work: Callable[[], Any], name: str, parent: QObject,
                      on_success: Callable[[Any], object],
                      on_failure: Callable[[Exception], object]) -> BackgroundTask:
    """Start `work` in a thread named `name`; `on_success(result)` or
    `on_failure(error)` then runs on the GUI thread, unless `parent` is gone by then."""
    task = BackgroundTask(work, name)
    receiver = _Receiver(parent, on_success, on_failure)
    task.succeeded.connect(receiver.succeeded)
    task.failed.connect(receiver.failed)
    task.keep_until_done(receiver)
    task.start()
    return task


def describe_failure(error: BaseException) -> str:
    """One line for people: an expected error's own message (it says what to do); an
    unexpected one with its type, as a bug to report."""
    text = str(error).splitlines()[0] if str(error) else ""
    if isinstance(error, OSError) or type(error).__module__.split(".")[0] in OWN_PACKAGES:
        return text or type(error).__name__
    return _("unexpected error ({kind}: {text}); the log has the details").format(
        kind=type(error).__name__, text=text)


def install_thread_hook() -> Callable[[threading.ExceptHookArgs], Any]:
    """Route an exception that escapes any thread to the log in full and, as a warning of
    the app, to the window's notices (gui/notices.py hears every thread). Returns the
    previous hook, to put back with `threading.excepthook = previous`."""
    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "a thread"
        error = args.exc_value if args.exc_value is not None else args.exc_type()
        log.error("uncaught in %s:\n%s", name, "".join(
            traceback.format_exception(args.exc_type, error, args.exc_traceback)))
        log.warning(_("Background work “{name}” stopped: {reason}").format(
            name=name, reason=describe_failure(error)))

    threading.excepthook = hook
    return previous
