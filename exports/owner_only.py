"""Files and folders readable by their owner only, whatever the umask.

Workbooks, CSV reports and track files name people and when they came; with umask 000 they
were created 0666, readable and writable by every account on the computer. So every file
the app writes is 0600 (a file it rewrites too: an older version's 0666 workbook is
tightened at its next save) and every folder it creates 0700 (os.open and os.mkdir
apply the umask, which can only take bits away, and the mode is set again after creation
in case the file system ignored it). On Windows, where modes mean little, the calls are
harmless and the folder's access list decides.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def make_folder(path: Path) -> None:
    """Create `path` and any missing folders above it, each 0700; folders that exist
    already are left as they are (a data folder the user chose, such as a shared
    Documents folder, keeps the permissions they gave it)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(FOLDER_MODE)
        except FileExistsError:
            if folder.is_dir():  # made meanwhile by another process: theirs to set
                continue
            raise  # a file in the way: the caller says so
        os.chmod(folder, FOLDER_MODE)


def open_text(path: Path) -> TextIO:
    """`path` opened for writing text from its start (created, or emptied), 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.chmod(path, FILE_MODE)
    return os.fdopen(descriptor, "w", newline="", encoding="utf-8")


def tighten(path: Path) -> None:
    """Make an existing file 0600: a workbook moved aside keeps the people's rows."""
    os.chmod(path, FILE_MODE)
