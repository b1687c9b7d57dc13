"""Issue 20: the window shows every warning the terminal gets that a user must act on.

Before, with the workbook open in LibreOffice the window showed nothing while rows waited
in the journal: only a terminal, which a double-clicked app does not have, said why. On
the real offscreen window: the workbook's folder made really unwritable while a video
runs, the notice with its advice, and the notice gone once the rows are written.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QToolButton

from attendance_app.app.workspace import Workspace
from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.config.settings import AppConfig, load_config
from attendance_app.gui.main_window import MainWindow
from tests.support.faults_support import BUSY_CONFIG, cli, long_door, write_protected

__all__ = ["long_door"]  # a fixture used below

SCREENSHOT = Path(os.environ.get("NOTICE_SCREENSHOT", "")) if os.environ.get(
    "NOTICE_SCREENSHOT") else None
"""Set NOTICE_SCREENSHOT=/some/file.png to keep a picture of the window with its notice."""


def test_an_unwritable_workbook_is_a_notice_with_its_advice_until_it_is_writable_again(
        qtbot, long_door: Path, faces_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(BUSY_CONFIG)  # obama arrives every 5 s: a save at each arrival
    data, books = tmp_path / "data", tmp_path / "books"
    books.mkdir()
    photo = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    assert cli("enrol", "obama", photo, "--data-dir", str(data)).returncode == 0
    workspace = Workspace.resolve(load_config(config), data, books / "attendance.xlsx")
    window = MainWindow(workspace, str(long_door), config)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(window.panel.names()) >= 1, timeout=120_000)
    assert window.notices.isHidden()

    with write_protected(books):
        qtbot.waitUntil(lambda: bool(window.notices.texts()), timeout=20_000)
        [text] = window.notices.texts()
        assert "read-only" in text and "make it writable" in text, text
        assert window.notices.isVisible()
        if SCREENSHOT is not None:
            window.grab().save(str(SCREENSHOT))
    qtbot.waitUntil(lambda: window.notices.isHidden(), timeout=20_000)
    assert "writable again" in window.statusBar().currentMessage()
    window.close()


def test_any_warning_of_the_app_from_any_thread_is_shown_and_can_be_dismissed(
        qtbot, tmp_path: Path) -> None:
    """Warnings added by other parts (a file moved aside, a site mismatch) need nothing
    more than log.warning to be seen; a library's warnings are not the user's business."""
    window = MainWindow(Workspace.resolve(AppConfig(), tmp_path, None), "9",
                        tmp_path / "config.yaml")
    qtbot.addWidget(window)
    moved = ("unknowns.sqlite3 is damaged; moved aside to unknowns.damaged-x.sqlite3, "
             "the door goes on")
    worker = threading.Thread(
        target=lambda: logging.getLogger("attendance_app.unknowns.store").warning(moved))
    worker.start()
    worker.join()
    logging.getLogger("urllib3").warning("a library's own warning")
    qtbot.waitUntil(lambda: bool(window.notices.texts()), timeout=5_000)
    assert window.notices.texts() == ["Unknowns.sqlite3 is damaged; moved aside to "
                                      "unknowns.damaged-x.sqlite3, the door goes on"]
    logging.getLogger("attendance_app.unknowns.store").warning(moved)  # once, not twice
    qtbot.wait(100)
    assert len(window.notices.texts()) == 1
    window.notices.findChild(QToolButton).click()  # the notice's Dismiss button
    qtbot.waitUntil(window.notices.isHidden, timeout=5_000)
    window.close()
    logging.getLogger("attendance_app").warning("after close: nobody listens, nothing fails")


def test_an_unreachable_server_is_a_notice_without_the_password(
        qtbot, tmp_path: Path, database_url: str, postgres_server) -> None:
    schema.initialise(CentralDatabase(database_url))
    wrong = postgres_server.url(database_url.rsplit("/", 1)[1], password="not-this-one")
    window = MainWindow(Workspace.resolve(AppConfig(), tmp_path, None, wrong), "9",
                        tmp_path / "config.yaml")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(window.notices.texts()), timeout=10_000)
    shown = " ".join(window.notices.texts())
    assert "user name or password" in shown and "not-this-one" not in shown, shown
    window.close()
