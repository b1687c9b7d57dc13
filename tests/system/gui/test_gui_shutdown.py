"""Closing the desktop app never crashes (issue 10, item 4), and it starts on a Linux
desktop whatever OpenCV brings along (item 5).

The crashes were real processes dying at exit, so most tests here run the real app in a
child process (tests/support/gui_driver.py: the app's own `main`, with a driver that reports the
window's state and clicks through dialogs), close it by SIGTERM or as the close button
does, and require exit code 0 and a quiet stderr.

- "Fatal Python error: bool_dealloc" (exit 134) after a video: PySide6 6.12.0's
  Signal.emit() returns True without taking a reference, so every emitted frame took one
  reference from True; after a few thousand frames Python freed True itself, at the
  latest in the garbage collection at shutdown. pyproject.toml excludes that release and
  test_signal_emit_keeps_reference_counts checks whichever PySide6 is installed.
- "QObject: shared QObject was deleted directly", then a segfault (exit 139) after
  Camera / video -> Browse… -> Cancel: QDialog.exec() hands the dialog to Python while
  the window stays its C++ parent, and lambdas connected to its children's signals kept
  it alive. At exit PySide deletes every Python-owned object in no set order, and a child
  deleted first released the lambda, which released and deleted the dialog, which
  deleted the child again. Now the dialog is deleted after exec(), its slots are bound
  methods, and run_gui deletes the window before the interpreter winds down.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QPushButton
from shiboken6 import Shiboken

from attendance_app.app.instance_lock import DataFolderLock
from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui import linux_desktop
from attendance_app.gui.app import dispose_window
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.source_dialog import SourceDialog
from attendance_app.gui.video_worker import SourceState
from tests.support.gui_process import START_TIMEOUT_S, App, assert_clean_exit
from tests.support.scenes import faceless_video

# -- the causes ----------------------------------------------------------------------------------

def test_signal_emit_keeps_reference_counts() -> None:
    """PySide6 6.12.0 took a reference from True on every emit(): bool_dealloc after a
    video. The video worker emits every frame, so the installed PySide6 must not."""

    class Emitter(QObject):
        happened = Signal(object)

    emitter = Emitter()
    before = sys.getrefcount(True), sys.getrefcount(False)
    for number in range(1000):
        emitter.happened.emit(number)
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before


def test_source_dialog_browse_cancel_leaves_nothing_behind(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Camera / video -> Browse… -> Cancel -> Cancel: the dialog is deleted (not kept,
    owned by Python, under the window until exit), and closing deletes the window
    whole, so PySide's exit clean-up finds nothing of ours to delete twice."""
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    window = MainWindow(workspace, "9", tmp_path / "config.yaml")
    window.show()
    browsed: list[bool] = []

    def cancel_file_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        browsed.append(True)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", cancel_file_dialog)

    def in_dialog() -> None:
        dialog = next(d for d in window.findChildren(SourceDialog) if d.isVisible())
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "Browse…").click()
        dialog.reject()

    qtbot.waitUntil(lambda: window.source_state == SourceState.NO_CAMERA, timeout=20_000)
    QTimer.singleShot(100, in_dialog)
    window.choose_source()
    assert browsed, "Browse… was clicked"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(SourceDialog) == [], "the cancelled dialog is deleted"

    assert dispose_window(window) == 0, "every worker stopped"
    assert not Shiboken.isValid(window), "the window is deleted before Python winds down"


# -- closing the real app in each state -----------------------------------------------------------

def test_close_while_a_video_plays(tmp_path: Path) -> None:
    app = App(tmp_path, str(faceless_video(tmp_path / "long.mp4", seconds=60)))
    app.wait_for(f"state: {SourceState.PLAYING}")
    time.sleep(1.0)
    assert_clean_exit(*app.finish())


def test_close_after_the_video_ended(tmp_path: Path) -> None:
    app = App(tmp_path, str(faceless_video(tmp_path / "short.mp4", seconds=1)))
    app.wait_for(f"state: {SourceState.ENDED}")
    assert_clean_exit(*app.finish())


def test_close_button_after_the_video_ended(tmp_path: Path) -> None:
    app = App(tmp_path, str(faceless_video(tmp_path / "short.mp4", seconds=1)),
              GUI_CLOSE_AT=SourceState.ENDED)
    app.wait_for("closing")
    assert_clean_exit(*app.finish(terminate=False))


def test_close_with_no_camera_says_one_line_per_state(tmp_path: Path) -> None:
    """Camera 9 does not exist: the window says so; the terminal gets a line when the
    state changes, not OpenCV's WARN/ERROR dump on every retry."""
    app = App(tmp_path, "9")
    app.wait_for(f"state: {SourceState.NO_CAMERA}")
    time.sleep(4)  # several retries of the grabber (0.5 s, 1 s, 2 s)
    code, err = app.finish()
    assert_clean_exit(code, err)
    assert not [line for line in err.splitlines()
                if line.startswith(("[ WARN", "[ERROR", "OpenCV(", "[ INFO"))], err
    # Qt's messages come through the log ("WARNING: This plugin…", gui/qt_messages.py)
    ours = [line for line in err.splitlines() if "This plugin does not" not in line]
    assert len(ours) <= 3, err  # the warning, the reconnecting state; Qt's offscreen notes aside


def test_close_after_dialogs_opened_and_cancelled(tmp_path: Path) -> None:
    """The issue's segfault: Camera / video -> Browse… -> Cancel, then close; and every
    other dialog opened and cancelled, with the real file dialogs."""
    app = App(tmp_path, "9", GUI_DRIVE="dialogs")
    app.wait_for("dialogs: done")
    assert_clean_exit(*app.finish())


def test_a_second_window_on_a_folder_in_use_stops_with_one_line(tmp_path: Path) -> None:
    """One app per data folder (issue 11): while another process holds the folder, the
    window does not open; it says who holds it, before any camera is touched."""
    holder = DataFolderLock(tmp_path / "data" / "journal.sqlite3")
    holder.acquire()
    try:
        app = App(tmp_path, "9")
        assert app.process.stderr is not None
        ready, _, _ = select.select([app.process.stderr], [], [], START_TIMEOUT_S)
        line = app.process.stderr.readline().strip() if ready else ""
        app.process.kill()
        out, _ = app.process.communicate()
    finally:
        holder.release()
    assert line.startswith("error: another attendance-app is using the data folder"), line
    assert "state:" not in out, "the window must not start watching"


# -- starting on a Linux desktop ------------------------------------------------------------------

def test_qt_plugins_are_pyside6s_in_a_clean_environment(tmp_path: Path) -> None:
    """opencv-python pointed QT_QPA_PLATFORM_PLUGIN_PATH at its own Qt 5 plugins when cv2
    was imported ("Could not load the Qt platform plugin "xcb" in …/cv2/qt/plugins"). The
    headless build brings no Qt: importing the window (which imports cv2) must leave
    Qt's plugin path to PySide6, and no Qt 5 library may be loaded."""
    probe = (
        "import os, sys\n"
        "import attendance_app.gui.app, cv2, PySide6\n"
        "from pathlib import Path\n"
        "print(os.environ.get('QT_QPA_PLATFORM_PLUGIN_PATH', ''))\n"
        "print((Path(cv2.__file__).parent / 'qt' / 'plugins').exists())\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtCore import QLibraryInfo\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "print(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))\n"
        "print(Path(PySide6.__file__).parent)\n"
        "maps = Path('/proc/self/maps')\n"
        "print('libQt5' in maps.read_text() if maps.exists() else False)\n"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith("QT_")}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=clean,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    plugin_path, cv2_plugins, plugins, pyside, qt5_loaded = result.stdout.splitlines()
    assert plugin_path == "" or plugin_path.startswith(pyside), plugin_path
    assert cv2_plugins == "False", "cv2 must be the headless build, without Qt plugins"
    assert Path(plugins).resolve().is_relative_to(Path(pyside).resolve()), plugins
    assert qt5_loaded == "False", "OpenCV's Qt 5 libraries are loaded beside PySide6's Qt 6"


def test_missing_xcb_library_is_one_line_naming_the_package() -> None:
    missing = {"libxcb-cursor.so.0"}
    line = linux_desktop.desktop_problem(lambda soname: soname not in missing,
                                         environ={"DISPLAY": ":0"}, platform="linux",
                                         family="debian")
    assert line == ("error: the desktop window needs the system package libxcb-cursor0 "
                    "(Debian/Ubuntu: sudo apt install libxcb-cursor0; other systems: see "
                    "docs/user-guide.md, \"Desktop on Linux\"); or use the command line "
                    "(attendance-app run --headless)")
    fedora = linux_desktop.desktop_problem(lambda soname: not soname.startswith("libxcb-"),
                                           environ={"DISPLAY": ":0"}, platform="linux",
                                           family="fedora")
    assert "packages xcb-util-cursor xcb-util-wm xcb-util-keysyms" in fedora
    assert "sudo dnf install" in fedora and "\n" not in fedora


@pytest.mark.parametrize(("environ", "platform"), [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux"),
    ({}, "darwin"),
    ({}, "win32"),
])
def test_no_xcb_check_where_qt_does_not_use_xcb(environ: dict[str, str], platform: str) -> None:
    assert linux_desktop.desktop_problem(lambda soname: False, environ=environ,
                                         platform=platform) is None


def test_all_xcb_libraries_present_is_no_problem() -> None:
    assert linux_desktop.desktop_problem(lambda soname: True, environ={"DISPLAY": ":0"},
                                         platform="linux") is None


def test_distribution_family_from_os_release(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    for text, family in (('ID=ubuntu\nID_LIKE=debian\n', "debian"), ('ID="fedora"\n', "fedora"),
                         ("ID=manjaro\nID_LIKE=arch\n", "arch"), ("ID=alpine\n", "debian")):
        release.write_text(text)
        assert linux_desktop.distribution_family(release) == family
    assert linux_desktop.distribution_family(tmp_path / "missing") == "debian"


def test_app_stops_before_qt_when_an_xcb_library_is_missing(tmp_path: Path) -> None:
    """The real start-up path with no QT_QPA_PLATFORM: one line and exit code 1, before
    Qt tries the plugin and aborts with its page of advice."""
    probe = ("import sys\n"
             "from attendance_app.gui import linux_desktop\n"
             "linux_desktop.library_present = lambda soname: soname != 'libxcb-cursor.so.0'\n"
             "linux_desktop.distribution_family = lambda *args: 'debian'\n"
             "from attendance_app.cli.main import main\n"
             f"sys.exit(main(['--data-dir', {str(tmp_path / 'data')!r}]))\n")
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith("QT_") and key not in ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    clean["DISPLAY"] = ":99"
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=clean,
                            capture_output=True, text=True, timeout=120, check=False)
    if not sys.platform.startswith("linux"):
        pytest.skip("the xcb check is for Linux")
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.splitlines()[-1].startswith(
        "error: the desktop window needs the system package libxcb-cursor0 (Debian/Ubuntu: "
        "sudo apt install libxcb-cursor0"), result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr


def test_no_display_is_one_line_pointing_to_the_command_line(tmp_path: Path) -> None:
    """Issue 11: `attendance-app` over ssh or on a server aborted with Qt's plugin advice
    (exit 134); it says in one line that there is no display and what to use instead."""
    clean = {key: value for key, value in os.environ.items()
             if not key.startswith("QT_") and key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    clean["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    result = subprocess.run([sys.executable, "-m", "attendance_app", "--data-dir",
                             str(tmp_path / "data")], cwd=tmp_path, env=clean,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [linux_desktop.NO_DISPLAY]
    assert "run --headless" in linux_desktop.NO_DISPLAY
