"""The app in the Linux applications menu: a desktop entry naming where this copy is.

A desktop entry must give its program by full path, and the downloaded app lives wherever
it was unpacked, so the entry is written by the app itself (`attendance-app menu add`, or
Help → Add to applications menu in the window) into the user's applications folder
($XDG_DATA_HOME/applications), from the template beside this module with this copy's
program and icon. Its TryExec names the program too: a desktop whose menu meets an entry
whose program is gone hides it, so deleting the app's folder still removes the app.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import platformdirs

from attendance_app.errors import AttendanceError
from attendance_app.i18n import _

FILES = Path(__file__).resolve().with_name("desktop_files")
TEMPLATE = FILES / "attendance-app.desktop"
ICON = FILES / "attendance-app.png"
"""The app's icon (256 px): the window's, the menu's, and PyInstaller's .ico and .icns."""
ENTRY_NAME = TEMPLATE.name
PROGRAM_NAME = "attendance-app"


class DesktopEntryError(AttendanceError):
    """The menu entry cannot be written here; the message says what to do instead."""


def program() -> Path:
    """This copy's program: the downloaded app's own, or the `attendance-app` script of
    the Python environment running the app."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve()
    script = shutil.which(PROGRAM_NAME, path=str(Path(sys.executable).parent))
    if script is None:
        raise DesktopEntryError(_("no {program} program beside {python}: install the app with the "
                                  "command in README.md")
            .format(program=PROGRAM_NAME, python=sys.executable))
    return Path(script).absolute()


def entry_path() -> Path:
    """The user's desktop entry of the app ($XDG_DATA_HOME/applications, by default
    ~/.local/share/applications)."""
    return Path(platformdirs.user_data_dir()) / "applications" / ENTRY_NAME


def exec_value(path: Path) -> str:
    """`path` as the Exec and TryExec keys take it: double-quoted, with the characters the
    Desktop Entry Specification reserves inside quotes escaped, then its backslashes
    doubled (the string escape applied before the quoting), and % doubled (a field code)."""
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", str(path)) + '"'
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def entry_text(program_path: Path, icon: Path = ICON) -> str:
    """The template with Exec and TryExec naming `program_path` and Icon the full path of
    `icon`."""
    lines = []
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        key = line.partition("=")[0]
        if key == "Exec":
            lines.append(f"TryExec={exec_value(program_path)}")
            line = f"Exec={exec_value(program_path)}"
        elif key == "Icon":
            line = f"Icon={icon}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _linux_only() -> None:
    if not sys.platform.startswith("linux"):
        raise DesktopEntryError(_("the applications menu entry is for Linux: on Windows pin "
                                  "Attendance.exe to Start, on macOS drag Attendance.app to "
                                  "Applications"))


def add_to_menu() -> Path:
    """Write (or rewrite, for a copy unpacked elsewhere) the user's menu entry of this copy;
    returns its path."""
    _linux_only()
    path = entry_path()
    text = entry_text(program())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise DesktopEntryError(_("cannot write {path} ({error}): check that folder's permissions")
            .format(path=path, error=error.strerror or error)) from None
    return path


def remove_from_menu() -> Path | None:
    """Remove the user's menu entry of the app; returns its path, or None if there was none."""
    _linux_only()
    path = entry_path()
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DesktopEntryError(_("cannot remove {path} ({error}): check that folder's permissions")
            .format(path=path, error=error.strerror or error)) from None
    return path
