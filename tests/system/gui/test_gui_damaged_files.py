"""The window on a data folder whose journal and unknown visitors' store are damaged
(issue 20, point 6): both are moved aside with a warning each, and the window opens, plays
the door video and logs the enrolled person who walks by into a fresh journal."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
from pathlib import Path

import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import parse_config
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.video_worker import SourceState
from attendance_app.records.journal import Journal
from tests.support.faults_support import BusyDoor, busy_door
from tests.support.scenes import probe_photo, render, sequential_scene
from tests.support.sqlite_faults import (
    KEEP_UNKNOWNS,
    corrupt_middle_page,
    text_file,
    unknowns_with_faces,
)

__all__ = ["busy_door"]  # a fixture used below


def test_the_window_opens_and_logs_with_a_damaged_journal_and_unknowns_store(
        qtbot, busy_door: BusyDoor, faces_dir: Path, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    data = busy_door.data_dir(tmp_path / "data")
    text_file(data / "journal.sqlite3")
    unknowns_with_faces(data / "unknowns.sqlite3")
    corrupt_middle_page(data / "unknowns.sqlite3")
    config = parse_config(busy_door.config.read_text() + KEEP_UNKNOWNS)
    workspace = Workspace.resolve(config, data, None)
    video = render(sequential_scene([("obama", probe_photo(faces_dir, "obama"))],
                                    size=(480, 270), seconds_each=2.5), tmp_path / "door.mp4")
    with caplog.at_level(logging.WARNING):
        window = MainWindow(workspace, str(video), tmp_path / "config.yaml")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED, timeout=120_000)
        assert window.panel.names() == ["obama"]
        window.close()
    moved = [line for line in caplog.messages if "moved aside to" in line]
    assert len(moved) == 2 and all("\n" not in line for line in moved), caplog.messages
    assert [event.name for event in Journal(data / "journal.sqlite3").events()] == ["obama"]
    assert len(list(data.glob("journal.damaged-*.sqlite3"))) == 1
    assert len(list(data.glob("unknowns.damaged-*.sqlite3"))) == 1
