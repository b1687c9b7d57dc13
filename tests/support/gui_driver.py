"""The real desktop app in a child process, with a driver for tests/system/gui/test_gui_shutdown.py.

    python tests/support/gui_driver.py [attendance-app options] --source SRC --data-dir DIR

runs `attendance_app.cli.main.main` as `attendance-app` does, and around the window it builds:

- prints `state: <text>` on stdout whenever the status bar's source state changes, so a
  test knows when to send SIGTERM (the video has ended, there is no camera…);
- with GUI_DRIVE=dialogs, opens the dialogs a user opens and cancels them, through their
  own buttons and the real file dialogs (Camera / video… -> Browse… -> Cancel -> Cancel,
  Settings -> Choose… -> Cancel -> Cancel, Enrol, People, Reports), then prints
  `dialogs: done`;
- with GUI_CLOSE_AT=<state>, closes the window itself when that state is reached, as the
  window's close button does (a QCloseEvent), then prints `closing`.

Nothing of the app is replaced: the driver only reads the window and clicks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _say(text: str) -> None:
    print(text, flush=True)


def _drive(window) -> None:  # noqa: ANN001 - the MainWindow, imported late
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton

    seen = {"state": ""}

    def watch() -> None:
        state = window.camera_label.text()
        if state != seen["state"]:
            seen["state"] = state
            _say(f"state: {state}")
            if state == os.environ.get("GUI_CLOSE_AT"):
                _say("closing")
                window.close()

    timer = QTimer(window)
    timer.timeout.connect(watch)
    timer.start(50)

    def cancel_modal(kind: type) -> None:
        """Cancel the modal dialog of `kind` once it is up (a file dialog by its own
        Cancel: reject() is what that button does)."""
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            dialog.reject()
        else:
            QTimer.singleShot(100, lambda: cancel_modal(kind))

    def click(dialog: QDialog, text: str) -> None:
        next(b for b in dialog.findChildren(QPushButton) if b.text() == text).click()

    def in_source_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or type(dialog).__name__ != "SourceDialog":
            QTimer.singleShot(100, in_source_dialog)
            return
        QTimer.singleShot(300, lambda: cancel_modal(QFileDialog))
        click(dialog, "Browse…")  # returns when the file dialog is cancelled
        QTimer.singleShot(100, lambda: cancel_modal(type(dialog)))

    def dialogs() -> None:
        QTimer.singleShot(200, in_source_dialog)
        window.choose_source()  # returns when the source dialog is cancelled
        settings = window.open_settings()
        QTimer.singleShot(200, in_source_dialog)
        click(settings, "Choose…")
        settings.reject()
        window.open_enrol().reject()
        window.open_people().close()
        window.open_reports().close()
        _say("dialogs: done")

    if os.environ.get("GUI_DRIVE") == "dialogs":
        QTimer.singleShot(500, dialogs)


def main() -> int:
    import attendance_app.gui.app as gui_app
    from attendance_app.cli.main import main as app_main

    attach = gui_app._StopSignals.attach

    def attach_and_drive(stop, window) -> None:  # noqa: ANN001
        attach(stop, window)
        _drive(window)

    gui_app._StopSignals.attach = attach_and_drive
    return app_main(sys.argv[1:])


if __name__ == "__main__":  # the face-encoder worker process imports this file again
    sys.exit(main())
