"""Replacing a file so that readers see the old contents or the new, never a mix.

A crash or a full disk halfway through writing must not leave a half-written workbook
where the user's one used to be, nor stray temporary files beside it. Saves in one folder
take turns across processes (exports.save_lock), so cleaning up after a killed save never
touches the temporary file of a save under way.
"""

from __future__ import annotations

import glob
import os
import secrets
from pathlib import Path

from exports.owner_only import FILE_MODE
from exports.save_lock import FolderBusy, saving

# Windows opens descriptors in text mode unless told otherwise; elsewhere this is 0.
_BINARY = getattr(os, "O_BINARY", 0)


def replace_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, sync it, then move it over `path`.

    The temporary file lives in the same folder because os.replace is only atomic
    within one file system. The file is its owner's only (owner_only.FILE_MODE),
    whatever the umask and whatever mode the file it replaces had: workbooks, reports
    and settings name people. On any failure the temporary file is removed and the
    error propagates. The folder's save lock is held throughout (FolderBusy, an
    OSError, if another process holds it too long).
    """
    with saving(path.parent):
        temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, FILE_MODE)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, FILE_MODE)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise


def remove_leftovers(path: Path) -> list[Path]:
    """Delete temporary files that an earlier, killed process left beside `path`.

    A process killed between creating its temporary file and renaming it cannot clean
    up; the next writer does, before it starts. Only names that replace_atomically
    makes (".<name>.<16 hex digits>.tmp") are touched, and only while no process is
    saving in the folder (its temporary file is no leftover): if one is, nothing is
    removed now, the next writer's start does it. Returns the files removed.
    """
    removed: list[Path] = []
    try:
        with saving(path.parent, wait=0):
            for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
                token = leftover.name[len(path.name) + 2:-len(".tmp")]
                if len(token) == 16 and all(c in "0123456789abcdef" for c in token):
                    try:
                        leftover.unlink()
                    except OSError:
                        continue
                    removed.append(leftover)
    except FolderBusy:
        pass
    return removed
