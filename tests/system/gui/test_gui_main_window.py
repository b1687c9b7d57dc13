"""The main window on real faces: a door video in which enrolled people walk by must show
their names on the boxes and add one attendance row each, while the window stays live;
a missing camera must leave a usable window that says so."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import cv2
import pytest
from PySide6.QtWidgets import QMessageBox

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.video_worker import SourceState
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.types import TrackStatus
from exports import ExcelWorkbook
from tests.support.scenes import probe_people, render, sequential_scene

WALKERS = ("obama", "biden")


@pytest.fixture(scope="module")
def door_video(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two enrolled people walk by (probe photos, not their enrolment ones), then a stranger."""
    people = probe_people(faces_dir, WALKERS)
    people.append(("stranger", faces_dir / "stranger" / "openface_adams.jpg"))
    scene = sequential_scene(people, size=(640, 360), seconds_each=2.5, seconds_between=0.5)
    return render(scene, tmp_path_factory.mktemp("video") / "door.mp4")


def enrolled_workspace(faces_dir: Path, data_dir: Path) -> Workspace:
    workspace = Workspace.resolve(AppConfig(), data_dir, None)
    store, engine = workspace.store(), FaceEngine()
    for name in WALKERS:
        photo = next((faces_dir / "enrol" / name).iterdir())
        store.enrol(name, [enrolment_shot(engine, photo, 60)])
    return workspace


def test_door_video_shows_names_and_fills_todays_table(qtbot, faces_dir: Path, tmp_path: Path,
                                                         door_video: Path) -> None:
    workspace = enrolled_workspace(faces_dir, tmp_path)
    window = MainWindow(workspace, str(door_video), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    recognised: set[str] = set()
    unknown_seen: list[bool] = []

    def video_done() -> bool:
        for track in window.video.tracks:
            if track.status is TrackStatus.RECOGNISED:
                recognised.add(track.label)
            elif track.label.startswith("Unknown"):
                unknown_seen.append(True)
        return window.camera_label.text() == SourceState.ENDED

    qtbot.waitUntil(video_done, timeout=120_000)
    assert recognised == set(WALKERS)
    assert unknown_seen, "the stranger must be boxed as Unknown, never named"
    assert sorted(window.panel.names()) == sorted(WALKERS)
    assert window.panel.names()[0] == "biden", "newest arrival first"
    assert "2 people enrolled" in window.people_label.text()
    window.close()
    rows = ExcelWorkbook(workspace.workbook_path).read_rows()
    assert sorted(row.name for row in rows) == sorted(WALKERS)

    again = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(again)
    assert sorted(again.panel.names()) == sorted(WALKERS), "today's rows are loaded at start"
    again.close()


def test_missing_camera_opens_the_window_and_says_so(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, "9", tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.NO_CAMERA, timeout=20_000)
    assert window.banner.isVisible()
    assert "Camera 9 cannot be opened" in window.banner_text.text(), "a sentence, capitalised"
    window.start_source(str(tmp_path / "missing.mp4"))
    assert "missing.mp4” is not a webcam number" in window.banner_text.text()
    window.close()
    assert window.workers.running() == 0, "closing stops every worker, the retired one too"


def test_person_enrolled_in_the_window_is_recognised_by_the_running_video(
        qtbot, faces_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline started with nobody enrolled; the enrol dialog's Save must reach it."""
    people = [("stranger", faces_dir / "stranger" / name)
              for name in ("openface_adams.jpg", "openface_carell.jpg")]
    people.append(("obama", faces_dir / "probe" / "obama" / "obama1.jpg"))
    video = render(sequential_scene(people, seconds_each=2.5, seconds_between=0.5),
                   tmp_path / "late_obama.mp4")
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, str(video), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.fps_label.text() != "", timeout=120_000)  # pipeline running

    dialog = window.open_enrol()
    dialog.auto_check.setChecked(False)  # the video shows strangers, not the person enrolling
    for photo in (faces_dir / "enrol" / "obama" / "obama.jpg", faces_dir / "probe" / "obama" / "obama1.jpg"):
        with qtbot.waitSignal(dialog.verdict_shown, timeout=60_000):
            dialog.offer_frame(cv2.imread(str(photo)))
    assert len(dialog.shots) == 2
    dialog.name_edit.setText("obama")
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    dialog.save_button.click()
    assert window.enrol_dialog is None and "1 person enrolled" in window.people_label.text()

    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED, timeout=120_000)
    assert window.panel.names() == ["obama"]
    window.close()


def test_saved_settings_are_applied_to_the_running_window(qtbot, tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"
    config_path.write_text("# my camera\ncamera:\n  source: \"9\"\n")
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, "9", config_path)
    qtbot.addWidget(window)
    dialog = window.open_settings()
    dialog.camera_name.setText("Side door")
    dialog.tolerance.setValue(0.42)
    dialog.save()
    assert window.workspace.config.camera.name == "Side door"
    assert window.workspace.config.recognition.engine_tolerance == 0.42
    assert config_path.read_text().startswith("# my camera\n")
    window.close()
