"""Starting the desktop app: settings, data folder and window, with problems shown in a
message box (a double-clicked app has no terminal to print to) as well as on stderr.

A second start on the same data folder brings the running window to the front and exits
(gui/single_instance.py); `run --headless` holding the folder is still refused by the
folder's lock, which names it.

Closing is ordered (DESIGN.md rule 8): the window's closeEvent stops every worker and
waits for it; then, while Python is still whole, the window and everything it owns are
deleted here, the signal handlers and the exception hooks are put back, and no Qt object
of ours is left for PySide's clean-up at interpreter exit. That clean-up deletes the
objects Python owns in no particular order, and a dialog parented to the window but owned
by Python (QDialog.exec() hands a dialog to Python) was deleted twice there: "QObject:
shared QObject was deleted directly", then a segfault (issue 10).
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import Shiboken

from attendance_app.app.desktop_entry import ENTRY_NAME
from attendance_app.app.frozen import QT_PATHS, restore_user_environment
from attendance_app.app.instance_lock import AlreadyRunning, DataFolderLock
from attendance_app.app.workspace import Workspace, WorkspaceError
from attendance_app.config.settings import AppConfig, ConfigError, load_config
from attendance_app.gui import qt_messages
from attendance_app.gui.background import install_thread_hook
from attendance_app.gui.linux_desktop import desktop_problem
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.single_instance import FrontDoor, bring_running_to_front, server_name
from attendance_app.i18n import _, apply_locale, dates, ngettext

log = logging.getLogger(__name__)


def _report_uncaught(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error in a GUI slot: logged in full, shown in one line, app kept alive."""
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
    QMessageBox.critical(None, _("Unexpected error"), f"{kind.__name__}: {error}")


def run_gui(config_path: Path, config_exists: bool, data_dir: Path | None,
            workbook: Path | None, source: str | None, database: str | None = None) -> int:
    """Open the main window and run until it is closed; returns the exit code.

    config_path: the settings file to read (when `config_exists`) and to save to.
    source: as --source; None means camera.source from the settings.
    database: as --database; None means ATTENDANCE_DATABASE_URL or database.url.
    """
    previous = qt_messages.install()  # Qt's warnings reach the log file too
    try:
        return _run_gui(config_path, config_exists, data_dir, workbook, source, database)
    finally:
        qt_messages.restore(previous)


def _run_gui(config_path: Path, config_exists: bool, data_dir: Path | None,
             workbook: Path | None, source: str | None, database: str | None) -> int:
    if QApplication.instance() is None and (problem := desktop_problem()) is not None:
        print(problem, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Attendance")  # the program's name (settings, menus), not a word
    app.setDesktopFileName(ENTRY_NAME.removesuffix(".desktop"))  # the menu entry's, on Wayland
    restore_user_environment(QT_PATHS)  # Qt has read them; programs it opens must not
    config: AppConfig | None = None
    try:
        config = load_config(config_path if config_exists else None)
        workspace = Workspace.resolve(config, data_dir, workbook, database)
        front_door = server_name(workspace.data_dir)
        if bring_running_to_front(front_door):  # a window on this folder: to the front
            print(_("attendance-app is already running; its window was brought to the "
                    "front."), flush=True)
            return 0
        lock = DataFolderLock(workspace.journal_path)
        lock.acquire()  # one app per data folder: a second window would log people twice
    except (ConfigError, WorkspaceError, AlreadyRunning) as error:
        # In the user's language even so: the settings' when they were read, else the system's.
        locale = config.locale if config is not None else None
        _use_language(app, locale.language if locale else "auto", bool(locale and locale.iso_dates))
        print(_("error: {message}").format(message=error), file=sys.stderr)
        QMessageBox.critical(None, _("Attendance cannot start"), str(error))
        return 1
    _use_language(app, config.locale.language, config.locale.iso_dates)
    previous_hook, sys.excepthook = sys.excepthook, _report_uncaught
    previous_thread_hook = install_thread_hook()  # no thread dies unseen (issue 21)
    stop = _StopSignals()  # before the window is built, so a SIGTERM then is not lost
    window: MainWindow | None = None
    code = 0
    try:
        window = MainWindow(workspace, source or config.camera.source, config_path, data_dir,
                            workbook, database)
        stop.attach(window)
        FrontDoor(front_door, window)  # a second start brings this window to the front
        if not stop.requested:
            window.show()
            code = app.exec()
    finally:
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook
        stop.detach()
        stuck = dispose_window(window) if window is not None else 0
        stop.restore()
        if not stuck:
            lock.release()
    if stuck:
        # Deleting a QThread that still runs aborts the process; the events are already
        # in the journal, so leave without waiting longer for a camera that hangs.
        print(ngettext("warning: {count} camera or video worker did not stop in time; exiting "
                       "without it (every event is in the journal)",
                       "warning: {count} camera or video workers did not stop in time; exiting "
                       "without them (every event is in the journal)", stuck).format(count=stuck),
              file=sys.stderr, flush=True)
        os._exit(code)
    return code


def _use_language(app: QApplication, setting: str, iso_dates: bool) -> None:
    """The user's language and date format (issue 27 point 3), before any widget is made:
    Qt's own words (OK, Cancel, the file dialogs') from the qtbase translations PySide6's
    wheel ships, and Qt's date boxes in the same region as the app's dates."""
    chosen = apply_locale(setting, iso_dates, region_hint=QLocale.system().name())
    QLocale.setDefault(QLocale(dates.region()))
    translator = QTranslator(app)  # the app owns it: it lives as long as the window
    if translator.load(f"qtbase_{chosen}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)


def dispose_window(window: MainWindow) -> int:
    """Close `window` (stopping its workers) and delete it with all it owns; returns how
    many workers are still running, in which case nothing is deleted."""
    window.close()
    stuck = window.workers.running()
    if stuck:
        return stuck
    if Shiboken.isValid(window):
        Shiboken.delete(window)
    gc.collect()
    return 0


class _StopSignals:
    """Ctrl-C in the terminal or a service manager's SIGTERM closes the window the normal
    way (camera stopped, workbook flushed); one that comes while the window is being built
    closes it as soon as it exists. Python runs signal handlers only between bytecodes, so
    a timer lets it in now and then while Qt's loop runs. `restore` puts the previous
    handlers back."""

    def __init__(self) -> None:
        self.requested = False
        self._window: MainWindow | None = None
        self._timer: QTimer | None = None
        self._previous = {number: signal.signal(number, self._handle)
                          for number in (signal.SIGINT, signal.SIGTERM)}

    def _handle(self, *_: object) -> None:
        self.requested = True
        if self._window is not None:
            self._window.close()

    def attach(self, window: MainWindow) -> None:
        self._window = window
        self._timer = QTimer(window)
        self._timer.timeout.connect(_let_python_in)
        self._timer.start(250)
        if self.requested:
            window.close()

    def detach(self) -> None:
        """Forget the window (about to be deleted); a signal now only sets `requested`."""
        if self._timer is not None:
            self._timer.stop()
        self._window = self._timer = None

    def restore(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)


def _let_python_in() -> None:
    """The signal timer's slot: doing nothing returns to Python, which runs its handlers."""
