"""Starting the desktop app: settings, data folder and window, with problems shown in a
message box (a double-clicked app has no terminal to print to) as well as on stderr."""

from __future__ import annotations

import logging
import signal
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from attendance_app.config import ConfigError, load_config
from attendance_app.gui.main_window import MainWindow
from attendance_app.workspace import Workspace, WorkspaceError

log = logging.getLogger(__name__)


def _report_uncaught(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error in a GUI slot: logged in full, shown in one line, app kept alive."""
    log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
    QMessageBox.critical(None, "Unexpected error", f"{kind.__name__}: {error}")


def run_gui(config_path: Path, config_exists: bool, data_dir: Path | None,
            workbook: Path | None, source: str | None) -> int:
    """Open the main window and run until it is closed; returns the exit code.

    config_path: the settings file to read (when `config_exists`) and to save to.
    source: as --source; None means camera.source from the settings.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Attendance")
    try:
        config = load_config(config_path if config_exists else None)
        workspace = Workspace.resolve(config, data_dir, workbook)
    except (ConfigError, WorkspaceError) as error:
        print(f"error: {error}", file=sys.stderr)
        QMessageBox.critical(None, "Attendance cannot start", str(error))
        return 1
    sys.excepthook = _report_uncaught
    window = MainWindow(workspace, source or config.camera.source, config_path, data_dir, workbook)
    window.show()
    _close_on_signals(window)
    return app.exec()


def _close_on_signals(window: MainWindow) -> None:
    """Ctrl-C in the terminal or a service manager's SIGTERM closes the window the normal
    way (camera stopped, workbook flushed). Python runs signal handlers only between
    bytecodes, so a timer lets it in now and then while Qt's loop runs."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: window.close())
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)
    timer.start(250)
