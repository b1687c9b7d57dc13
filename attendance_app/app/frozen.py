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


def bundle_folder() -> Path | None:
    """The folder of the app's libraries and data when it runs as the downloadable app
    (PyInstaller's sys._MEIPASS), else None (run from its source or an installed package)."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)).resolve()


def _outside(value: str, folder: Path) -> str:
    """`value`, a list of folders, without those inside `folder`."""
    kept = [entry for entry in value.split(os.pathsep)
            if entry and not Path(entry).resolve().is_relative_to(folder)]
    return os.pathsep.join(kept)


def user_environment(environ: MutableMapping[str, str], names: Iterable[str],
                     folder: Path) -> None:
    """Put each variable of `names` in `environ` back as the user had it: the value
    PyInstaller kept (NAME_ORIG) when there is one, else the value without the folders
    inside `folder`; a variable left empty is removed, as it was before the app started."""
    for name in names:
        original = environ.pop(name + ORIGINAL_SUFFIX, None)
        value = original if original is not None else _outside(environ.get(name, ""), folder)
        if value:
            environ[name] = value
        else:
            environ.pop(name, None)


def restore_user_environment(names: Iterable[str]) -> None:
    """In the downloadable app, `user_environment` on this process's environment, so that
    every program started from now on gets the user's; nothing when run from source."""
    folder = bundle_folder()
    if folder is not None:
        user_environment(os.environ, names, folder)
