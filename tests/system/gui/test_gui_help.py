"""The window's Help menu on the real offscreen window: the log folder (opened, or its
path shown to copy where nothing can open it), the About box with the licences of the
models and main libraries, and the full third-party notices; Qt's own messages reach the
log."""

from __future__ import annotations

import importlib.metadata
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt, QTimer, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox

from attendance_app.app.desktop_entry import program
from attendance_app.app.log_file import log_folder
from attendance_app.app.third_party import MODELS
from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui import qt_messages
from attendance_app.gui.about_dialog import AboutDialog
from attendance_app.gui.help_menu import open_log_folder
from attendance_app.gui.main_window import MainWindow
from tests.support.desktop_entries import keys, unquoted
from tests.support.message_boxes import answering


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    window = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    yield window
    window.close()


def _table_rows(table) -> list[tuple[str, ...]]:
    return [tuple(table.item(row, column).text() for column in range(table.columnCount()))
            for row in range(table.rowCount())]


def _help_action(window: MainWindow, text: str):
    return next(action for action in window.help_menu.actions() if action.text() == text)


def test_help_opens_the_about_box_with_licences_and_the_full_notices(qtbot, window) -> None:
    assert window.menuBar().actions()[0].text() == "&Help"
    _help_action(window, "About Attendance…").trigger()
    about = next(dialog for dialog in window.findChildren(AboutDialog) if dialog.isVisible())
    assert f"Attendance {importlib.metadata.version('attendance-app')}" in about.title.text()
    assert _table_rows(about.models) == [(model.purpose, model.licence) for model in MODELS]
    libraries = {row[0]: row for row in _table_rows(about.libraries)}
    assert "LGPL-3.0" in libraries["Qt for Python (PySide6) and Qt"][2]
    assert "Apache" in libraries["OpenCV"][2]
    assert "Boost" in libraries["dlib"][2]
    qtbot.mouseClick(about.notices_button, Qt.MouseButton.LeftButton)
    assert about.notices_dialog is not None and about.notices_dialog.isVisible()
    text = about.notices_dialog.text.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert "dlib_face_recognition_resnet_model_v1.dat" in text
    about.close()


def test_the_about_box_of_a_bundle_reads_its_shipped_notices(qtbot) -> None:
    shipped = ("\n".join(["=" * 72, "PySide6_Essentials 6.9.9", "Licence: LGPL-3.0-only"])
               + "\n")
    about = AboutDialog(notices=shipped)
    qtbot.addWidget(about)
    assert _table_rows(about.libraries) == [
        ("Qt for Python (PySide6) and Qt", "6.9.9", "LGPL-3.0-only")]


def test_open_log_folder_without_a_file_manager_shows_the_path_to_copy(
        qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no xdg-open, as on a bare system
    shown = answering(QMessageBox.StandardButton.Ok)
    _help_action(window, "Open log folder").trigger()
    assert len(shown) == 1 and str(log_folder()) in shown[0]
    assert log_folder().is_dir(), "made, so it can be opened and found"
    assert log_folder() == Path(os.environ["XDG_STATE_HOME"]) / "attendance-app" / "log"


def test_a_log_folder_that_cannot_be_made_is_still_named_to_copy(qtbot, window,
                                                                  tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    flags: list[Qt.TextInteractionFlag] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            flags.append(box.textInteractionFlags())
    QTimer.singleShot(0, look)
    shown = answering(QMessageBox.StandardButton.Ok)
    assert open_log_folder(window, blocked / "log") is False
    assert len(shown) == 1 and str(blocked / "log") in shown[0]
    assert flags and flags[0] & Qt.TextInteractionFlag.TextSelectableByMouse


def test_qt_messages_go_to_the_log(caplog: pytest.LogCaptureFixture) -> None:
    previous = qt_messages.install()
    try:
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning("a probe from Qt's own logging")
    finally:
        qt_messages.restore(previous)
    assert [(record.name, record.levelno, record.getMessage()) for record in caplog.records] == [
        ("qt", logging.WARNING, "a probe from Qt's own logging")]


def test_the_window_started_as_a_program_writes_its_own_log_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(state)}
    process = subprocess.Popen(
        [sys.executable, "-m", "attendance_app", "--source", str(tmp_path / "missing.mp4"),
         "--data-dir", str(tmp_path / "data")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = state / "attendance-app" / "log" / "window.log"
    deadline = time.monotonic() + 120
    while not (log.is_file() and "command: window" in log.read_text(encoding="utf-8")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    time.sleep(2)  # the window is up
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("command: window") and lines[-1].endswith("end: exit code 0")
    assert not (state / "attendance-app" / "log" / "commands.log").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux menu")
def test_help_puts_the_app_in_the_applications_menu(qtbot, window, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    said = answering(QMessageBox.StandardButton.Ok)
    _help_action(window, "Add to applications menu").trigger()
    entry = tmp_path / "share" / "applications" / "attendance-app.desktop"
    assert said and str(entry) in said[0]
    assert unquoted(keys(entry.read_text(encoding="utf-8"))["Exec"]) == [str(program())]
    assert not window.windowIcon().isNull()
