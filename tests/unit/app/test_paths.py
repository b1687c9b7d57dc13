"""Where things are (attendance_app.app.paths): each precedence, and each bad place said
in one line that names what to change. Nothing is built here: no store, no journal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from attendance_app.app.paths import DATABASE_URL_VARIABLE, Paths, WorkspaceError
from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig


def _config(workbook: str = "", url: str = "") -> AppConfig:
    config = AppConfig()
    return replace(config, attendance=replace(config.attendance, workbook=workbook),
                   database=replace(config.database, url=url))


def test_the_workbook_option_beats_the_settings_which_beat_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert Paths.resolve(_config(), data, None).workbook_path == data / "attendance.xlsx"
    set_in_settings = Paths.resolve(_config(workbook="class.xlsx"), data, None)
    assert set_in_settings.workbook_path == data / "class.xlsx"  # relative to the data folder
    option = tmp_path / "given.xlsx"
    assert Paths.resolve(_config(workbook="class.xlsx"), data, option).workbook_path == option


def test_the_database_option_beats_the_environment_which_beats_the_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = "postgresql://door@settings.example/attendance"
    environment = "postgresql://door@environment.example/attendance"
    option = "postgresql://door@option.example/attendance"
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    assert Paths.resolve(_config(url=settings), tmp_path, None).database_url == settings
    monkeypatch.setenv(DATABASE_URL_VARIABLE, environment)
    assert Paths.resolve(_config(url=settings), tmp_path, None).database_url == environment
    assert Paths.resolve(_config(url=settings), tmp_path, None, option).database_url == option


def test_a_workbook_that_is_no_excel_file_is_refused_naming_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"must end in \.xlsx; choose an Excel file name"):
        Paths.resolve(_config(), tmp_path, tmp_path / "attendance.csv")


def test_the_files_are_in_the_data_folder_and_a_workspace_resolves_to_itself(tmp_path: Path) -> None:
    """Workspace is the Paths of a run plus what is built from them: resolving it gives a
    Workspace, with the same places."""
    workspace = Workspace.resolve(_config(), tmp_path, None)
    assert type(workspace) is Workspace
    assert workspace.journal_path == tmp_path / "journal.sqlite3"
    assert workspace.faces_path == tmp_path / "faces.sqlite3"
    assert workspace.roster_copy_path == tmp_path / "central-roster.sqlite3"
    assert not workspace.faces_path.exists(), "resolving places builds nothing"
