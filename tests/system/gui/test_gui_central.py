"""The window at a door of a site with a central database (issue 14): a person enrolled
at another door is recognised by the running video, and the row reaches the central log."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from attendance_app.app.workspace import Workspace
from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.records import CentralJournal
from attendance_app.config.settings import AppConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.video_worker import SourceState
from exports import ExcelWorkbook
from tests.support.faults_support import app_command, free_port
from tests.support.gui_process import App, assert_clean_exit
from tests.support.scenes import render, sequential_scene

STRANGERS = ("openface_adams.jpg", "openface_carell.jpg", "faceapi_happy.jpg")


def test_a_person_enrolled_at_another_door_is_recognised_by_the_running_window(
        qtbot, faces_dir: Path, tmp_path: Path, database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    people = [("stranger", faces_dir / "stranger" / name) for name in STRANGERS]
    people.append(("obama", faces_dir / "probe" / "obama" / "obama1.jpg"))
    video = render(sequential_scene(people, seconds_each=4, seconds_between=0.5),
                   tmp_path / "late_obama.mp4")
    workspace = Workspace.resolve(AppConfig(), tmp_path / "gate", None, database_url)
    window = MainWindow(workspace, str(video), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    assert "0 people enrolled" in window.people_label.text()
    qtbot.waitUntil(lambda: window.central_label.text() == "Central database: connected",
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.fps_label.text() != "", timeout=120_000)  # pipeline running

    enrolment = subprocess.run(app_command(
        "enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"), "--data-dir",
        str(tmp_path / "main"), "--database", database_url), capture_output=True, text=True,
        timeout=300)
    assert enrolment.returncode == 0, enrolment.stderr
    qtbot.waitUntil(lambda: "1 person enrolled" in window.people_label.text(), timeout=10_000)

    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED, timeout=120_000)
    assert window.panel.names() == ["obama"]
    opened: list[Path] = []
    monkeypatch.setattr("attendance_app.gui.attendance_panel.open_in_system",
                        lambda path: opened.append(path) or True)
    window.panel.open_workbook()  # this door keeps no workbook: it is written from the log
    assert opened == [workspace.workbook_path]
    assert [row.name for row in ExcelWorkbook(workspace.workbook_path).read_rows()] == ["obama"]
    window.close()
    [row] = CentralJournal(central, None).events()
    assert (row.name, row.camera) == ("obama", "Front door")


def test_a_door_that_cannot_reach_the_server_says_so_in_the_status_bar(
        qtbot, tmp_path: Path, database_url: str, postgres_server) -> None:
    schema.initialise(CentralDatabase(database_url))
    wrong = postgres_server.url(database_url.rsplit("/", 1)[1], password="not-this-one")
    workspace = Workspace.resolve(AppConfig(), tmp_path, None, wrong)
    window = MainWindow(workspace, "9", tmp_path / "config.yaml")
    qtbot.addWidget(window)
    assert not window.central_label.isHidden()
    qtbot.waitUntil(lambda: window.central_label.text() == "Central database: not connected",
                    timeout=10_000)
    assert "user name or password" in window.central_label.toolTip()
    assert "not-this-one" not in window.central_label.toolTip()
    window.close()
    alone = MainWindow(Workspace.resolve(AppConfig(), tmp_path / "alone", None), "9",
                       tmp_path / "config.yaml")
    qtbot.addWidget(alone)
    assert alone.central_label.isHidden(), "a single door shows no central database"
    alone.close()


@pytest.mark.parametrize("how", ["sigterm while playing", "close button at the end",
                                 "dialogs opened and cancelled", "server unreachable"])
def test_the_window_of_a_central_door_closes_cleanly_in_each_state(
        tmp_path: Path, database_url: str, faces_dir: Path, how: str) -> None:
    """The real app in a child process (tests/support/gui_driver.py) with a central database: its
    link's two threads and connections end with the window, exit code 0."""
    schema.initialise(CentralDatabase(database_url))
    url = (f"postgresql://attendance:door-secret@127.0.0.1:{free_port()}/site"
           if how == "server unreachable" else database_url)
    video = str(faces_dir / "video" / "walkers_royal_opera_house.mp4")
    environment = {"ATTENDANCE_DATABASE_URL": url}
    if how == "close button at the end":
        app = App(tmp_path, video, GUI_CLOSE_AT=SourceState.ENDED, **environment)
        app.wait_for("closing")
        code, errors = app.finish(terminate=False)
    elif how == "dialogs opened and cancelled":
        app = App(tmp_path, "9", GUI_DRIVE="dialogs", **environment)
        app.wait_for("dialogs: done")
        code, errors = app.finish()
    else:
        app = App(tmp_path, video, **environment)
        app.wait_for(f"state: {SourceState.PLAYING}")
        code, errors = app.finish()
    assert_clean_exit(code, errors)
    assert "door-secret" not in errors
