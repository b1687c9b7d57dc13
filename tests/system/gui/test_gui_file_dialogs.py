"""Each kind of file dialog opens where it was last used (issue 27 point 1): the first
time in the user's own folder for the kind (Videos, Pictures, Documents), never the home
folder when that folder exists; a folder chosen is remembered for that kind only, across
a restart of the settings (a fresh QSettings), and a remembered folder since deleted is
passed over. The helpers are tested without a modal dialog: QFileDialog's static call is
answered in place, as the user would."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from attendance_app.gui.file_dialogs import (
    CSV_FOLDER,
    PHOTOS,
    VIDEO,
    choose_folder,
    open_file,
    remember_folder,
    start_folder,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's home with the usual folders (QStandardPaths reads HOME on each call)."""
    home = tmp_path / "home"
    for folder in ("Videos", "Pictures", "Documents"):
        (home / folder).mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return home


def test_the_first_time_each_kind_opens_in_the_users_folder_for_it(home: Path) -> None:
    assert start_folder(VIDEO) == home / "Videos"
    assert start_folder(PHOTOS) == home / "Pictures"
    assert start_folder(CSV_FOLDER) == home / "Documents"


def test_the_folder_chosen_is_remembered_for_that_kind_only(home: Path, tmp_path: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    remember_folder(VIDEO, clips / "door.mp4")
    assert start_folder(VIDEO) == clips
    assert start_folder(PHOTOS) == home / "Pictures"
    shutil.rmtree(clips)  # the folder went away: the kind's own folder again
    assert start_folder(VIDEO) == home / "Videos"


def test_a_dialog_starts_in_the_remembered_folder_and_records_the_new_one(
        qtbot, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shown_in: list[str] = []
    chosen = tmp_path / "term" / "assembly.mp4"
    chosen.parent.mkdir()
    chosen.write_bytes(b"")

    def answer(_parent, _title, folder, _filters):  # the user picks a file
        shown_in.append(folder)
        return str(chosen), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    assert open_file(parent, VIDEO, "Video file", "Videos (*.mp4)") == chosen
    assert open_file(parent, VIDEO, "Video file", "Videos (*.mp4)") == chosen
    assert shown_in == [str(home / "Videos"), str(chosen.parent)]


def test_a_cancelled_dialog_changes_nothing(qtbot, home: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: "")
    assert choose_folder(parent, CSV_FOLDER, "Save the reports as CSV files in") is None
    assert start_folder(CSV_FOLDER) == home / "Documents"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(tmp_path))
    assert choose_folder(parent, CSV_FOLDER, "Save the reports as CSV files in") == tmp_path
    assert start_folder(CSV_FOLDER) == tmp_path
