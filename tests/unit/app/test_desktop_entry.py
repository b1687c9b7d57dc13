"""The app's entry in the Linux applications menu: written with this copy's program and
icon by full path, quoted as the Desktop Entry Specification asks, removed on request."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from attendance_app.app import desktop_entry
from attendance_app.app.desktop_entry import (
    ICON,
    TEMPLATE,
    add_to_menu,
    entry_path,
    entry_text,
    exec_value,
    program,
    remove_from_menu,
)
from tests.support.desktop_entries import keys, unquoted

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux menu")


@pytest.mark.parametrize("folder", ["/opt/attendance-app", "/home/ann/My Apps/v0.2",
                                    '/tmp/odd "quoted" $HOME `x` 100% \\ folder'])
def test_exec_names_the_program_exactly_whatever_its_folder(folder: str) -> None:
    path = Path(folder) / "attendance-app"
    assert unquoted(exec_value(path)) == [str(path)]


def test_the_entry_is_the_template_with_this_copys_program_and_icon() -> None:
    path = Path("/opt/Attendance 2/attendance-app")
    text = entry_text(path)
    entry = keys(text)
    assert unquoted(entry["Exec"]) == unquoted(entry["TryExec"]) == [str(path)]
    assert entry["Icon"] == str(ICON) and ICON.is_file()
    template = keys(TEMPLATE.read_text(encoding="utf-8"))
    assert {key: value for key, value in entry.items() if key not in {"Exec", "TryExec", "Icon"}} \
        == {key: value for key, value in template.items() if key not in {"Exec", "Icon"}}
    assert text.startswith("[Desktop Entry]\n")


def test_from_source_the_program_is_the_environments_attendance_app_script() -> None:
    script = program()
    assert script.parent == Path(sys.executable).parent
    assert script.name == "attendance-app" and os.access(script, os.X_OK)


def test_add_writes_the_users_entry_and_remove_takes_it_away(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert entry_path() == tmp_path / "share" / "applications" / "attendance-app.desktop"
    assert add_to_menu() == entry_path()
    assert unquoted(keys(entry_path().read_text(encoding="utf-8"))["Exec"]) == [str(program())]
    assert remove_from_menu() == entry_path() and not entry_path().exists()
    assert remove_from_menu() is None


def test_an_unwritable_applications_folder_is_one_line_saying_what_to_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "share"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    with pytest.raises(desktop_entry.DesktopEntryError, match="cannot write .*permissions"):
        add_to_menu()
