"""Where settings are read and saved (issue 11, item 11): the Settings dialog wrote
./config.yaml in whatever folder the app was started from, which in README's set-up is the
tracked config.yaml of the git clone.

The order is --config FILE > ./config.yaml > the user config folder > the built-in
defaults, except that the project's own top-level config.yaml (the reference of every
setting) is not read from the clone; edits found in it are copied once into the user
settings or named at start. Every test points the platform folders (XDG_CONFIG_HOME, HOME)
into its tmp folder, so none touches the real home.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.cli.main import main
from attendance_app.config.location import user_config_path
from attendance_app.config.save import NEW_FILE_HEADER
from attendance_app.config.settings import load_config
from attendance_app.gui.settings_dialog import SettingsDialog

REPO = Path(__file__).resolve().parents[3]
TRACKED_CONFIG = REPO / "config.yaml"

SAVE_FROM_THE_WINDOW = '''
"""Start attendance-app as its command does, open Settings from the window, set the
tolerance to 0.45, press Save, print what the dialog showed, and close the window."""
import sys

from PySide6.QtCore import QTimer

import attendance_app.gui.app as gui_app
from attendance_app.cli.main import main

attach = gui_app._StopSignals.attach


def attach_and_save(stop, window):
    attach(stop, window)

    def save():
        dialog = window.open_settings()
        print("shown:", dialog.location.text(), flush=True)
        dialog.tolerance.setValue(0.45)
        dialog.save()
        print("error:", dialog.error.text(), flush=True)
        window.close()

    QTimer.singleShot(0, save)


if __name__ == "__main__":
    gui_app._StopSignals.attach = attach_and_save
    sys.exit(main(sys.argv[1:]))
'''


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A home and config folder of the test's own, for this process and for children;
    returns the environment for a child process."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg" / "config"))
    if not user_config_path().is_relative_to(tmp_path):
        pytest.skip("this platform's user config folder is not set by environment variables")
    return {**os.environ}


def app(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`attendance-app ARGS` in a real process started in `cwd`."""
    return subprocess.run([sys.executable, "-m", "attendance_app", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def fake_clone(tmp_path: Path) -> Path:
    """A folder laid out as the git clone: the project's pyproject.toml and config.yaml."""
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy(REPO / "pyproject.toml", clone)
    shutil.copy(TRACKED_CONFIG, clone)
    return clone


def test_precedence_config_option_then_current_folder_then_user_settings_then_defaults(
        tmp_path: Path, home: dict[str, str]) -> None:
    """Each file that should lose is broken, so a process that read it would fail."""
    start = tmp_path / "start"
    start.mkdir()
    data = ["--data-dir", str(tmp_path / "data")]
    user = user_config_path()

    shown = app(["config", "path"], start, home)
    assert shown.returncode == 0 and shown.stdout == f"{user}\n"
    assert "does not exist yet, so the built-in defaults apply" in shown.stderr
    assert app(["people", *data], start, home).returncode == 0
    assert not user.exists(), "nothing is created before the first save"

    user.parent.mkdir(parents=True)
    user.write_text("recognition:\n  tolerance: 7\n")
    result = app(["people", *data], start, home)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {user} line 2: recognition.tolerance must be between")
    assert app(["config", "path"], start, home).stdout == f"{user}\n"

    local = start / "config.yaml"
    local.write_text("detection:\n  width: 1\n")
    result = app(["people", *data], start, home)
    assert result.returncode == 1
    assert f"error: {local} line 2: detection.width must be between" in result.stderr
    assert f"note: using the settings in {local} (config.yaml in the current folder)" in result.stderr
    assert app(["config", "path"], start, home).stdout == f"{local}\n"

    given = start / "mine" / "door.yaml"
    given.parent.mkdir()
    given.write_text("camera:\n  name: Side door\n")
    result = app(["people", "--config", "mine/door.yaml", *data], start, home)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", "a file asked for with --config needs no note"
    assert app(["config", "path", "--config", "mine/door.yaml"], start, home).stdout == f"{given}\n"


def test_the_clones_own_config_yaml_is_not_the_settings_file(home: dict[str, str]) -> None:
    assert app(["config", "path"], REPO, home).stdout == f"{user_config_path()}\n"
    asked = app(["config", "path", "--config", "config.yaml"], REPO, home)
    assert asked.stdout == f"{TRACKED_CONFIG}\n"
    assert "given with --config; the Settings dialog saves here" in asked.stderr


def test_settings_dialog_saves_into_the_user_settings_and_shows_their_path(
        qtbot, tmp_path: Path, home: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The window gets its settings file from the command line: no --config and no
    ./config.yaml means the user config file, whose folder does not exist yet."""
    monkeypatch.chdir(fake_clone(tmp_path))
    opened: list[tuple[Path, bool]] = []
    monkeypatch.setattr("attendance_app.gui.app.run_gui",
                        lambda path, exists, *rest: opened.append((path, exists)) or 0)
    assert main(["--data-dir", str(tmp_path / "data")]) == 0
    user = user_config_path()
    assert opened == [(user, False)] and not user.parent.exists()

    dialog = SettingsDialog(load_config(None), user, tmp_path / "data")
    qtbot.addWidget(dialog)
    assert dialog.location.text() == (f"Saved in {user} (a new file: until now the built-in "
                                      "defaults applied)")
    dialog.tolerance.setValue(0.45)
    dialog.camera_name.setText("Back door")
    dialog.save()
    assert dialog.error.text() == ""
    assert user.read_text().startswith(NEW_FILE_HEADER)
    saved = load_config(user)
    assert saved.recognition.engine_tolerance == 0.45 and saved.camera.name == "Back door"

    again = SettingsDialog(saved, user, tmp_path / "data")
    qtbot.addWidget(again)
    assert again.location.text() == f"Saved in {user}"


def test_saving_from_the_window_started_in_the_clone_leaves_config_yaml_byte_identical(
        tmp_path: Path, home: dict[str, str]) -> None:
    """The real app, started in the real clone without --config, saves a setting through
    its Settings dialog: the tracked config.yaml must not change by a byte."""
    before = TRACKED_CONFIG.read_bytes()
    script = tmp_path / "save_from_the_window.py"
    script.write_text(SAVE_FROM_THE_WINDOW)
    try:
        result = subprocess.run(
            [sys.executable, str(script), "--source", "9", "--data-dir", str(tmp_path / "data")],
            cwd=REPO, env=home, capture_output=True, text=True, timeout=120, check=False)
        after = TRACKED_CONFIG.read_bytes()
    finally:
        if TRACKED_CONFIG.read_bytes() != before:  # the bug: put the tracked file back
            TRACKED_CONFIG.write_bytes(before)
    assert result.returncode == 0, result.stderr[-3000:]
    user = user_config_path()
    assert f"shown: Saved in {user} (a new file" in result.stdout
    assert "error: \n" in result.stdout
    assert after == before
    assert load_config(user).recognition.engine_tolerance == 0.45


def test_edits_in_the_clones_config_yaml_are_copied_once_into_the_user_settings(
        tmp_path: Path, home: dict[str, str]) -> None:
    """Older versions read ./config.yaml in the clone: someone's edits there must carry over,
    with a note, and the clone's file is left as it is."""
    clone = fake_clone(tmp_path)
    edited = (clone / "config.yaml").read_text().replace("tolerance: 0.52", "tolerance: 0.5")
    (clone / "config.yaml").write_text(edited)
    data = ["--data-dir", str(tmp_path / "data")]
    user = user_config_path()

    first = app(["people", *data], clone, home)
    assert first.returncode == 0, first.stderr
    assert f"note: your settings in {clone / 'config.yaml'} were copied to {user}" in first.stderr
    assert load_config(user).recognition.tolerance == 0.5
    copied = user.read_text()
    assert copied.startswith(NEW_FILE_HEADER) and "the reference" not in copied
    assert "# dlib's largest face distance at which a face counts" in copied, "comments are kept"
    assert (clone / "config.yaml").read_text() == edited

    second = app(["people", *data], clone, home)
    assert second.returncode == 0 and second.stderr == "", "copied once, then nothing to say"


def test_clone_settings_that_differ_from_those_in_use_are_named_at_start(
        tmp_path: Path, home: dict[str, str]) -> None:
    clone = fake_clone(tmp_path)
    user = user_config_path()
    user.parent.mkdir(parents=True)
    user.write_text("recognition:\n  tolerance: 0.5\n")
    edited = (clone / "config.yaml").read_text().replace('name: "Front door"', 'name: "Hall"')
    (clone / "config.yaml").write_text(edited)

    result = app(["people", "--data-dir", str(tmp_path / "data")], clone, home)
    assert result.returncode == 0, result.stderr
    note = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert note == [f"note: {clone / 'config.yaml'} sets camera.name, recognition.tolerance "
                    "differently, but it is only the reference of every setting and is not "
                    f"read; the settings in use are in {user} (start with --config "
                    f"{clone / 'config.yaml'} to use that file instead)"]
    assert user.read_text() == "recognition:\n  tolerance: 0.5\n", "the user's file is kept"
