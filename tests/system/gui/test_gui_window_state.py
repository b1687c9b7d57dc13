"""The window remembers itself between starts (issue 27 point 1): its size, place,
maximised state and split, the People dialog's size; the first start fills most of the
screen, a place saved on a screen since gone is not restored, and a growing heading
wraps instead of widening today's list. Real windows, offscreen, with the remembered
state in the test's own settings folder (XDG_CONFIG_HOME, tests/conftest.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QRect, QSize

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.window_state import first_geometry, remembered, state_path
from attendance_app.types import AttendanceEvent, Void


def open_window(qtbot, tmp_path: Path) -> MainWindow:
    """A window on a video file that is not there: no worker, nothing to wait for."""
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    window = MainWindow(workspace, str(tmp_path / "gone.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_first_start_fills_most_of_the_screen_centred(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path)
    area = window.screen().availableGeometry()
    assert window.geometry() == first_geometry()
    assert window.width() >= 0.85 * area.width() and window.height() >= 0.85 * area.height()
    assert window.geometry().center() == area.center() or \
        (window.geometry().center() - area.center()).manhattanLength() <= 2


def test_size_place_and_split_come_back_after_a_restart(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path)
    window.setGeometry(QRect(40, 50, 720, 480))
    window.splitter.setSizes([380, 320])
    qtbot.wait(50)  # the layout settles
    sizes = window.splitter.sizes()
    assert sizes[1] < 350  # moved from the first start's split
    window.close()
    assert state_path().is_file()

    again = open_window(qtbot, tmp_path)
    assert again.geometry() == QRect(40, 50, 720, 480)
    assert again.splitter.sizes() == sizes
    assert not again.isMaximized()


def test_a_maximised_window_opens_maximised(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path)
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    window.close()
    again = open_window(qtbot, tmp_path)
    assert again.isMaximized()


def test_a_place_on_a_screen_no_longer_there_is_not_restored(qtbot, tmp_path: Path) -> None:
    settings = remembered()
    settings.setValue("window/normal_geometry", QRect(4000, 3000, 700, 500))  # a second screen
    settings.sync()
    window = open_window(qtbot, tmp_path)
    assert window.geometry() == first_geometry()
    assert window.screen().availableGeometry().contains(window.geometry().center())


def test_the_people_dialog_keeps_its_size(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path)
    dialog = window.open_people()
    dialog.resize(QSize(610, 470))
    dialog.close()
    window.close()
    again = open_window(qtbot, tmp_path)
    assert again.open_people().size() == QSize(610, 470)


def test_a_growing_heading_wraps_and_the_list_keeps_its_width(qtbot, tmp_path: Path) -> None:
    window = open_window(qtbot, tmp_path)
    window.splitter.setSizes([400, 300])  # a narrow list, as on a small screen
    qtbot.wait(50)
    before = window.panel.width()
    now = datetime.now()
    for number in range(3):
        window.panel.add_event(AttendanceEvent(now, number + 1, f"Person {number}", "0", 0.3,
                                               "in", event_id=number + 1))
    voided = AttendanceEvent(now, 1, "Person 0", "0", 0.3, "in", event_id=1,
                             void=Void(now, "secretary", "that was not Person 0"))
    window.panel.mark_void(voided)
    assert "(1 voided)" in window.panel.title.text()
    qtbot.wait(50)  # the layout settles
    assert window.panel.width() == before
    title = window.panel.title  # longer on one line than the list is wide: it wrapped
    assert title.fontMetrics().horizontalAdvance(title.text()) > window.panel.width()
    assert title.width() <= window.panel.width()
