"""Background work reports every outcome to the window (issue 21, point 7): the Reports
dialog's writes and the workbook rewrite after a void fail for real here, and the user
is told; an exception escaping any thread reaches the window's notices and the log."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
import threading
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import parse_config
from attendance_app.gui.background import BackgroundTask, install_thread_hook
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.reports_dialog import ReportsDialog
from attendance_app.types import AttendanceEvent
from tests.support.gui_actions import void_selected

WAIT_MS = 30_000


def _door(folder: Path) -> Workspace:
    """A door whose workbook is kept in folder/out, with Ada's row of today."""
    (folder / "out").mkdir(parents=True)
    config = parse_config(f'attendance:\n  workbook: "{folder / "out" / "book.xlsx"}"\n')
    workspace = Workspace.resolve(config, folder / "data", None)
    workspace.journal().record(AttendanceEvent(datetime.combine(date.today(), time(8, 10)), 1,
                                               "Ada", "Door", 0.4, "in"))
    return workspace


def _replace_with_a_file(folder: Path) -> None:
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    folder.write_text("not a folder\n")


def test_background_task_delivers_success_and_failure_on_the_gui_thread(qtbot) -> None:
    gui = QApplication.instance().thread()
    seen: list[tuple[str, object, bool]] = []
    good = BackgroundTask(lambda: threading.current_thread().name, "good")
    good.succeeded.connect(lambda result: seen.append(("ok", result, QThread.currentThread() is gui)))
    with qtbot.waitSignal(good.finished, timeout=WAIT_MS):
        good.start()
    bad = BackgroundTask(lambda: {}["missing"], "bad")
    bad.failed.connect(lambda error: seen.append(("failed", error, QThread.currentThread() is gui)))
    with qtbot.waitSignal(bad.finished, timeout=WAIT_MS):
        bad.start()
    assert seen[0] == ("ok", "good", True)
    assert seen[1][0] == "failed" and isinstance(seen[1][1], KeyError) and seen[1][2]


def test_reports_dialog_says_why_when_the_workbook_folder_became_a_file(
        qtbot, tmp_path: Path) -> None:
    workspace = _door(tmp_path)
    dialog = ReportsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    _replace_with_a_file(tmp_path / "out")
    with qtbot.waitSignal(dialog.write_failed, timeout=WAIT_MS) as failed:
        dialog.workbook_button.click()
    assert f"folder {tmp_path / 'out'}" in failed.args[0] and "does not exist" in failed.args[0]
    assert dialog.status.text() == failed.args[0] and "Writing" not in dialog.status.text()
    assert dialog.workbook_button.isEnabled() and dialog.csv_button.isEnabled()


def test_reports_dialog_reports_an_unexpected_error_and_leaves_writing(qtbot, tmp_path: Path,
                                                                        caplog) -> None:
    """A folder name the system refuses (a NUL byte: ValueError, which no code expects)
    used to kill the thread and leave "Writing…" for good."""
    dialog = ReportsDialog(_door(tmp_path))
    qtbot.addWidget(dialog)
    caplog.set_level(logging.WARNING, logger="attendance_app.gui.background")
    with qtbot.waitSignal(dialog.write_failed, timeout=WAIT_MS) as failed:
        dialog.write_csv(tmp_path / "csv\0files")
    assert "unexpected error (ValueError: embedded null byte)" in failed.args[0]
    assert "Writing" not in dialog.status.text() and dialog.csv_button.isEnabled()
    assert "Traceback" in caplog.text, "the log has the whole story"
    with qtbot.waitSignal(dialog.csv_written, timeout=WAIT_MS):  # and the dialog still works
        dialog.write_csv(tmp_path / "csv")


def _window(qtbot, workspace: Workspace, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - qtbot
    window = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_void_whose_workbook_rewrite_fails_tells_the_user(qtbot, tmp_path: Path) -> None:
    workspace = _door(tmp_path)
    window = _window(qtbot, workspace, tmp_path)
    _replace_with_a_file(tmp_path / "out")
    window.panel.table.selectRow(0)
    void_selected(qtbot, window, "not Ada: a visitor")
    qtbot.waitUntil(lambda: any("not rewritten after the void" in text
                                for text in window.notices.texts()), timeout=WAIT_MS)
    notice = next(t for t in window.notices.texts() if "after the void" in t)
    assert "does not exist" in notice and "the void is kept" in notice
    assert workspace.journal().events()[0].void is not None, "the void itself is kept"
    window.close()


def test_an_exception_escaping_any_thread_reaches_the_window(qtbot, tmp_path: Path,
                                                             caplog) -> None:
    window = _window(qtbot, _door(tmp_path), tmp_path)
    previous = install_thread_hook()
    try:
        caplog.set_level(logging.WARNING, logger="attendance_app.gui.background")
        thread = threading.Thread(target=lambda: [][1], name="stray")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: any("“stray” stopped" in text for text in window.notices.texts()),
                        timeout=WAIT_MS)
    finally:
        threading.excepthook = previous
    assert "unexpected error (IndexError: list index out of range)" in window.notices.texts()[-1]
    assert "uncaught in stray" in caplog.text and "IndexError" in caplog.text
    window.close()


@pytest.fixture(autouse=True)
def _no_hook_left() -> Iterator[None]:
    before = threading.excepthook
    yield
    assert threading.excepthook is before, "the test put the thread hook back"
