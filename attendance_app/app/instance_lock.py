"""One app per data folder: two running at once would log the same person twice.

The lock is the operating system's lock (flock) on the folder's journal, held for the
life of the process: it is released when the process ends in any way, so a killed run
never leaves a stale lock, and no file is added to the folder. SQLite locks the journal
with POSIX record locks, which flock does not touch. (A POSIX lock is dropped when any
descriptor of the file is closed in its process, so the descriptor kept here is opened
before SQLite opens the journal and closed only at the end of the run.) A second app
names the running one from the kernel's lock table (Linux). Commands that only read
(people, identify, report) do not take the lock and work beside a running app.
"""

from __future__ import annotations

import os
from pathlib import Path

from attendance_app.config.database_url import redact
from attendance_app.errors import AttendanceError
from attendance_app.i18n import _
from exports.owner_only import make_folder
from exports.save_lock import try_lock


class AlreadyRunning(AttendanceError):
    """Another app holds the data folder; the message names it and says what to do."""


def _holder(path: Path) -> str:
    """Who holds the flock on `path`: "process 1234: attendance-app run ...", from
    /proc/locks and the process's command line; "another process" where that is unknown."""
    try:
        inode = path.stat().st_ino
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            if len(fields) > 5 and fields[1] == "FLOCK" and fields[5].split(":")[-1] == str(inode):
                pid = fields[4]
                words = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
                args = words.split("\0")
                args = [redact(arg) if "://" in arg else arg for arg in args]  # --database
                shown = " ".join(args[args.index("attendance_app") + 1:]) \
                    if "attendance_app" in args else " ".join(args[1:])
                return f"process {pid}: attendance-app {shown}".strip()
    except (OSError, ValueError):
        pass
    return "another process"


class DataFolderLock:
    """The lock of one data folder, on its journal; `acquire` it before recording."""

    def __init__(self, journal: Path) -> None:
        self.journal = journal
        self._descriptor: int | None = None

    def acquire(self) -> None:
        """Hold the folder for this process; AlreadyRunning if another process holds it."""
        make_folder(self.journal.parent)
        descriptor = os.open(self.journal, os.O_RDWR | os.O_CREAT, 0o600)
        if not try_lock(descriptor):
            os.close(descriptor)
            raise AlreadyRunning(_("another attendance-app is using the data folder {folder} "
                                   "({holder}); stop it first, or give this one another --data-dir")
                .format(folder=self.journal.parent, holder=_holder(self.journal)))
        self._descriptor = descriptor

    def release(self) -> None:
        """Let another app use the folder (also happens when this process ends)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None
