"""The smaller things a user noticed in the window (issue 10, item 6), each checked
through the real widgets: counts in words, the settings while a video plays, a long path
in the source dialog, "Open folder" without a file manager, the status bar, the toolbar,
and the enrol dialog after the video ended."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFrame, QMessageBox, QToolButton

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui import desktop
from attendance_app.gui.attendance_panel import AttendancePanel
from attendance_app.gui.enrol_dialog import ENDED_TEXT, PHOTOS_DONE_TEXT
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.people_dialog import PeopleDialog
from attendance_app.gui.settings_dialog import SettingsDialog
from attendance_app.gui.source_dialog import SourceDialog
from attendance_app.gui.video_worker import SourceState
from attendance_app.wording import counted, plural
from enrolment import FaceStore, NewEncoding
from tests.support.scenes import faceless_video

MODELS_TIMEOUT_MS = 120_000



def test_counts_in_words() -> None:
    assert counted(1, "person", "people") == "1 person"
    assert counted(2, "person", "people") == "2 people"
    assert counted(0, "photo") == "0 photos"
    assert plural(1, "minute") == "minute" and plural(30, "minute") == "minutes"


def test_people_dialog_says_1_person_enrolled(qtbot, tmp_path: Path) -> None:
    """It said "1 people enrolled"."""
    store = FaceStore(tmp_path / "faces.sqlite3")
    store.enrol("Ada Lovelace", [NewEncoding(np.full(128, 0.1), "test")])
    dialog = PeopleDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "1 person enrolled"
    dialog.search.setText("ada")
    assert dialog.summary.text() == "1 person enrolled, 1 matching “ada”"  # not "1 matches"


def test_settings_say_1_minute(qtbot, tmp_path: Path) -> None:
    """The cooldown said "1 minutes"."""
    dialog = SettingsDialog(AppConfig(), tmp_path / "config.yaml", tmp_path)
    qtbot.addWidget(dialog)
    dialog.cooldown.setValue(1)
    assert dialog.cooldown.text() == "1 minute"
    dialog.cooldown.setValue(5)
    assert dialog.cooldown.text() == "5 minutes"


def test_settings_say_what_plays_when_it_is_not_the_saved_camera(qtbot, tmp_path: Path) -> None:
    """Settings showed camera "0" while a video file played, with no word about the video."""
    video = str(tmp_path / "entrance.mp4")
    dialog = SettingsDialog(AppConfig(), tmp_path / "config.yaml", tmp_path, current_source=video)
    qtbot.addWidget(dialog)
    assert dialog.source_edit.text() == "0", "the field is still the camera the app starts with"
    assert video in dialog.now_showing.text()
    same = SettingsDialog(AppConfig(), tmp_path / "config.yaml", tmp_path, current_source="0")
    qtbot.addWidget(same)
    assert same.now_showing.text() == ""


def test_source_dialog_shows_a_long_path_whole(qtbot, tmp_path: Path) -> None:
    """The path box showed the path's tail, cut mid-word on the left."""
    video = "/home/ada/Videos/front door/2026-11-24 morning arrivals.mp4"
    dialog = SourceDialog(video)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.file_edit
    assert edit.width() >= edit.fontMetrics().horizontalAdvance(video), "the whole path fits"
    assert edit.toolTip() == video


def test_open_folder_without_a_file_manager_says_where_the_files_are(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt starts xdg-open and reports success even when no program shows folders: the
    click did nothing visible. Now the user is told, with the path (also copied)."""
    monkeypatch.setattr(desktop.sys, "platform", "linux")
    monkeypatch.setattr(desktop.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.delenv("XDG_CURRENT_DESKTOP", raising=False)
    monkeypatch.setattr(desktop.subprocess, "run", lambda *args, **kwargs:
                        subprocess.CompletedProcess(args, 0, stdout="", stderr=""))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    shown: list[str] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda parent, title, text, *rest: shown.append(text))
    panel = AttendancePanel(tmp_path / "attendance.xlsx")
    qtbot.addWidget(panel)

    panel.open_folder_button.click()

    assert len(shown) == 1 and str(tmp_path) in shown[0] and "No file manager" in shown[0]
    assert QGuiApplication.clipboard().text() == str(tmp_path)


def test_open_folder_in_a_desktop_with_a_file_manager_opens_it(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop.sys, "platform", "linux")
    monkeypatch.setattr(desktop.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: pytest.fail("nothing to say"))
    panel = AttendancePanel(tmp_path / "attendance.xlsx")
    qtbot.addWidget(panel)
    panel.open_folder_button.click()
    assert opened == [str(tmp_path)]


def test_toolbar_actions_are_buttons(qtbot, tmp_path: Path) -> None:
    """They were flat text ("auto-raise" tool buttons) that did not look clickable."""
    window = MainWindow(Workspace.resolve(AppConfig(), tmp_path, None), "9", tmp_path / "c.yaml")
    qtbot.addWidget(window)
    buttons = [window.toolbar.widgetForAction(action) for action in window.toolbar.actions()]
    assert len(buttons) == 7  # Source, Enrol, People, Unknown visitors, Reports, Calendar,
    # Settings
    assert all(isinstance(button, QToolButton) and not button.autoRaise() for button in buttons)
    window.close()


def _status_entries(window: MainWindow) -> tuple[list[str], int]:
    """The status bar's visible entries (texts) and how many separator lines show."""
    bar = window.statusBar()
    labels = [label.text() for label in (window.models_label, window.camera_label,
                                         window.fps_label, window.people_label)
              if label.isVisible()]
    lines = sum(1 for frame in bar.findChildren(QFrame)
                if frame.frameShape() == QFrame.Shape.VLine and frame.isVisible())
    return labels, lines


def test_status_bar_has_separators_and_forgets_the_old_rate(qtbot, tmp_path: Path) -> None:
    """The status bar kept the last video's frames/s while the next source started, and
    ran its entries together without separators."""
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, str(faceless_video(tmp_path / "long.mp4", seconds=30)), tmp_path / "c.yaml")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.fps_label.text() != "", timeout=MODELS_TIMEOUT_MS)
    labels, lines = _status_entries(window)
    assert labels[0] == SourceState.PLAYING and labels[1].endswith("frames/s")
    assert labels[2] == "0 people enrolled" and lines == 3, "| camera | frames/s | people"

    window.start_source("9")

    labels, lines = _status_entries(window)
    assert not [text for text in labels if "frames/s" in text], labels
    assert lines == len(labels), "one separator before each entry, none doubled"
    window.close()


def test_enrol_dialog_says_the_video_ended_and_offers_import(qtbot, tmp_path: Path) -> None:
    """It said "Waiting for the camera…" forever after the video ended."""
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, str(faceless_video(tmp_path / "short.mp4", seconds=2)), tmp_path / "c.yaml")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.source_state == SourceState.PLAYING, timeout=MODELS_TIMEOUT_MS)
    dialog = window.open_enrol()  # open while the video plays…
    qtbot.waitUntil(lambda: window.source_state == SourceState.ENDED, timeout=MODELS_TIMEOUT_MS)
    assert dialog.preview._message == ENDED_TEXT  # …it says so when the video ends
    assert not dialog.capture_button.isEnabled() and not dialog.auto_check.isChecked()
    assert dialog.import_button.isDefault()
    dialog.reject()

    again = window.open_enrol()  # and when opened after the end
    assert again.preview._message == ENDED_TEXT
    again.reject()
    window.close()


@pytest.mark.parametrize("folder", [False, True])
def test_photos_as_the_source_end_as_photos_not_as_a_video(
        qtbot, faces_dir: Path, tmp_path: Path, folder: bool) -> None:
    """Issue 11: a single photo said "Video finished"; it says "Photo done" (a folder of
    photos "All photos done"), and the enrol dialog says no more pictures are coming."""
    photo = faces_dir / "probe" / "obama" / "obama1.jpg"
    source = photo.parent if folder else photo
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, str(source), tmp_path / "c.yaml")
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []
    done = SourceState.PHOTOS_DONE if folder else SourceState.PHOTO_DONE

    def finished() -> bool:
        seen.append(window.source_state)
        return window.source_state == done

    qtbot.waitUntil(finished, timeout=MODELS_TIMEOUT_MS)
    assert SourceState.ENDED not in seen and window.camera_label.text() == done
    dialog = window.open_enrol()
    assert dialog.preview._message == PHOTOS_DONE_TEXT
    dialog.reject()
    window.close()
