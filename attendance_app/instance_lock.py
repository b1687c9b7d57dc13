"""One app per data folder: two running at once would log the same person twice.

The lock is the operating system's lock on `<data folder>/app.lock`, held for the life of
the process: it is released when the process ends in any way, so a killed run never leaves
a stale lock behind. The file also says who holds it (process id, command, since when), so
a second app can name the running one. Commands that only read (people, identify,
report) do not take it and work beside a running app.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

LOCK_FILE = "app.lock"


class AlreadyRunning(Exception):
    """Another app holds the data folder; the message names it and says what to do."""


def _try_lock(descriptor: int) -> bool:
    """Take the lock without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class DataFolderLock:
    """The lock of one data folder; `acquire` it before the app starts recording."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        self._descriptor: int | None = None

    def acquire(self, doing: str) -> None:
        """Hold the folder for this process (`doing` says what it runs, for the message a
        second app prints); AlreadyRunning if another process holds it."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(descriptor):
            holder = os.read(descriptor, 300).decode("utf-8", "replace").strip() or "unknown"
            os.close(descriptor)
            raise AlreadyRunning(
                f"another attendance-app is using the data folder {self.folder} ({holder}); "
                "stop it first, or give this one another --data-dir")
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"process {os.getpid()}: {doing}, since "
                             f"{datetime.now():%Y-%m-%d %H:%M}".encode())
        self._descriptor = descriptor

    def release(self) -> None:
        """Let another app use the folder (also happens when this process ends)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None
