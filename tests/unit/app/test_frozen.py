"""The downloadable app hands the programs it starts the user's environment (issue 24,
point 1): PyInstaller points LD_LIBRARY_PATH and Qt's plugin path at the app's folder, and
a file manager or spreadsheet started from the window must not load the app's libraries.
The bundle itself is checked in tests/system/bundle/test_bundle.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.app import frozen


def test_the_users_library_path_kept_by_pyinstaller_is_put_back(tmp_path: Path) -> None:
    environ = {"LD_LIBRARY_PATH": f"{tmp_path}{os.pathsep}/opt/user/lib",
               "LD_LIBRARY_PATH_ORIG": "/opt/user/lib", "HOME": "/home/someone"}
    frozen.user_environment(environ, frozen.LIBRARY_PATHS, (tmp_path,))
    assert environ == {"LD_LIBRARY_PATH": "/opt/user/lib", "HOME": "/home/someone"}


def test_a_path_the_user_did_not_have_is_removed(tmp_path: Path) -> None:
    environ = {"LD_LIBRARY_PATH": str(tmp_path), "QT_PLUGIN_PATH": str(tmp_path / "PySide6" / "Qt" / "plugins")}
    frozen.user_environment(environ, (*frozen.LIBRARY_PATHS, *frozen.QT_PATHS), (tmp_path,))
    assert environ == {}


def test_the_users_own_folders_stay_and_only_the_apps_go(tmp_path: Path) -> None:
    bundle = tmp_path / "attendance-app" / "_internal"
    bundle.mkdir(parents=True)
    users = str(tmp_path / "my-plugins")
    environ = {"QT_PLUGIN_PATH": os.pathsep.join([str(bundle / "PySide6" / "Qt" / "plugins"), users]),
               "QML2_IMPORT_PATH": users}
    frozen.user_environment(environ, frozen.QT_PATHS, (bundle.parent,))
    assert environ == {"QT_PLUGIN_PATH": users, "QML2_IMPORT_PATH": users}


def test_a_folder_opencv_adds_inside_the_app_goes_too(tmp_path: Path) -> None:
    """OpenCV's loader puts `cv2/../../lib64` first in LD_LIBRARY_PATH when it is imported,
    after the start-up's value was put back: the program folder's, not the data folder's."""
    program, data = tmp_path / "attendance-app", tmp_path / "attendance-app" / "_internal"
    environ = {"LD_LIBRARY_PATH": os.pathsep.join([str(data / "cv2" / ".." / ".." / "lib64"),
                                                   "/opt/user/lib"])}
    frozen.user_environment(environ, frozen.LIBRARY_PATHS, (program,))
    assert environ == {"LD_LIBRARY_PATH": "/opt/user/lib"}


def test_run_from_source_the_environment_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/user/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/somewhere/else")
    assert frozen.bundle_folders() == ()
    frozen.restore_user_environment(frozen.LIBRARY_PATHS)
    assert os.environ["LD_LIBRARY_PATH"] == "/opt/user/lib"


def test_a_program_started_after_the_restore_sees_the_users_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the app's process would be after PyInstaller's start-up: frozen, its folder first
    in LD_LIBRARY_PATH; a child started afterwards sees only the user's value."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", f"{tmp_path}{os.pathsep}/opt/user/lib")
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/opt/user/lib")
    assert tmp_path.resolve() in frozen.bundle_folders()
    frozen.restore_user_environment(frozen.LIBRARY_PATHS)
    seen = subprocess.run(["/bin/sh", "-c", 'echo "$LD_LIBRARY_PATH|${LD_LIBRARY_PATH_ORIG-unset}"'],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert seen == "/opt/user/lib|unset"
