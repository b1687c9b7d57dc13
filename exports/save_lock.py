"""One saver at a time per folder, across processes.

A running door writes its workbook in the background while `export`, `report` or `void`
may write the same files from another process. Each save goes through a temporary file
beside the target (exports.atomic), and a writer starting up removes the temporary files
an earlier, killed process left there. Without a lock, that clean-up could delete the
temporary file of a save under way in another process, whose rename then failed with a
false "No such file or directory" (issue 20: 3 commands in 100). With it, a save and a
clean-up never overlap: saves wait for each other (briefly: the lock is held only while
the bytes are written and renamed, never while a workbook is built), and the clean-up
skips a folder in which someone is saving.

The lock is the operating system's, so it goes with the process in any way it ends and a
killed save never leaves the folder locked. The workbook itself cannot carry it (a save
replaces that file), so on Linux and macOS the folder is locked (flock on the folder:
nothing is added to it); Windows locks only files (msvcrt), so there a small empty file,
`.attendance-app-saving.lock`, is kept in the folder for it.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".attendance-app-saving.lock"
WAIT_SECONDS = 30.0
"""How long a save waits for another process's save in the same folder. A save holds the
lock for the time it takes to write and rename one file (well under a second for a
month of a large school), so this is only reached when something is wrong."""
_POLL_SECONDS = 0.02
_BINARY = getattr(os, "O_BINARY", 0)


class FolderBusy(OSError):
    """Another process kept saving in the folder for longer than the wait allowed."""

    def __init__(self, folder: Path, waited: float) -> None:
        super().__init__(errno.EBUSY, f"another attendance-app process kept saving in {folder} "
                                      f"for {waited:.0f} s")


def try_lock(descriptor: int) -> bool:
    """Take the operating system's lock on `descriptor` without waiting; False if another
    process holds it. OSError where the file system has no locks (POSIX)."""
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


def _try_saving_lock(descriptor: int) -> bool:
    """try_lock, saving unlocked on a file system without locks (some network shares)."""
    try:
        return try_lock(descriptor)
    except OSError:
        return True


def _unlock(descriptor: int) -> None:
    """Let the next saver in (closing the descriptor does it too on POSIX)."""
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)


def _open_lock(folder: Path) -> int | None:
    """The descriptor that carries the lock: the folder's own, or on Windows its lock
    file's; None where there is none (a missing or, on Windows, read-only folder, in which
    no save can succeed anyway and the save reports why)."""
    try:
        if sys.platform == "win32":
            return os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | _BINARY, 0o666)
        return os.open(folder, os.O_RDONLY)
    except OSError:
        return None


@contextmanager
def saving(folder: Path, wait: float | None = None) -> Iterator[bool]:
    """Hold `folder`'s save lock inside the block, waiting up to `wait` seconds for it
    (default WAIT_SECONDS); FolderBusy when it is still held then. Yields False (no lock,
    and the block runs) only when the lock file cannot be made."""
    wait = WAIT_SECONDS if wait is None else wait
    descriptor = _open_lock(folder)
    if descriptor is None:
        yield False
        return
    try:
        deadline = time.monotonic() + wait
        while not _try_saving_lock(descriptor):
            if time.monotonic() >= deadline:
                raise FolderBusy(folder, wait)
            time.sleep(_POLL_SECONDS)
        try:
            yield True
        finally:
            _unlock(descriptor)
    finally:
        os.close(descriptor)
