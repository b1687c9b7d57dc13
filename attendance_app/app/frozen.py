"""The downloadable app (a PyInstaller folder) gives the programs it starts the user's
environment, not its own.

To find its own libraries, PyInstaller's start-up points LD_LIBRARY_PATH at the app's
folder (keeping the user's value in LD_LIBRARY_PATH_ORIG, absent when there was none),
and its Qt hook points QT_PLUGIN_PATH and QML2_IMPORT_PATH at the app's Qt plugins. Every
program the app starts inherits them: "Open workbook" (LibreOffice through xdg-open),
"Open folder" (the file manager), xdg-mime. Such a program would then load the app's
copies of Qt, GLib or OpenSSL instead of its own, and fail or crash.

The running app does not need them any more once it is started: the dynamic loader reads
LD_LIBRARY_PATH once, when the process starts, and Qt reads its plugin path once, when the
QApplication is made. So each is put back as the user had it at that point: the library
paths first thing in `main`, the Qt paths right after the QApplication exists. The
encoder workers are the app's own program started anew, and get the app's paths anew.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, MutableMapping
from pathlib import Path

LIBRARY_PATHS = ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH")
"""Read by the dynamic loader when a process starts."""
QT_PATHS = ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")
"""Read by Qt when the QApplication is made."""
ORIGINAL_SUFFIX = "_ORIG"
"""PyInstaller keeps a variable's value from before its start-up under this suffix."""


def bundle_folders() -> tuple[Path, ...]:
    """The app's own folders when it runs as the downloadable app: its libraries and data
    (PyInstaller's sys._MEIPASS) and its program's folder (the same folder's parent on
    Linux and Windows; Contents/Frameworks and Contents/MacOS of the macOS .app); none
    when run from its source or an installed package."""
    if not getattr(sys, "frozen", False):
        return ()
    program = Path(sys.executable).resolve().parent
    data = Path(getattr(sys, "_MEIPASS", program)).resolve()
    return (program,) if data.is_relative_to(program) else (program, data)


def _outside(value: str, folders: tuple[Path, ...]) -> str:
    """`value`, a list of folders, without those inside `folders` (OpenCV's loader adds
    one such, `cv2/../../lib64`, when it is imported)."""
    kept = [entry for entry in value.split(os.pathsep)
            if entry and not any(Path(entry).resolve().is_relative_to(folder)
                                 for folder in folders)]
    return os.pathsep.join(kept)


def user_environment(environ: MutableMapping[str, str], names: Iterable[str],
                     folders: tuple[Path, ...]) -> None:
    """Put each variable of `names` in `environ` back as the user had it: the value
    PyInstaller kept (NAME_ORIG) when there is one, else the value without the folders
    inside `folders`; a variable left empty is removed, as it was before the app started."""
    for name in names:
        original = environ.pop(name + ORIGINAL_SUFFIX, None)
        value = original if original is not None else _outside(environ.get(name, ""), folders)
        if value:
            environ[name] = value
        else:
            environ.pop(name, None)


def restore_user_environment(names: Iterable[str]) -> None:
    """In the downloadable app, `user_environment` on this process's environment, so that
    every program started from now on gets the user's; nothing when run from source."""
    folders = bundle_folders()
    if folders:
        user_environment(os.environ, names, folders)
