"""The app's private SQLite files: created owner-only, failures as one-line errors.

Both the face store and the attendance journal are SQLite files holding personal data.
They are created readable by their owner only, a file that could not be set up on first
start is removed again, and every SQLite or file-system failure (disk full, folder not
writable, a damaged file) becomes the caller's own one-line error instead of a traceback.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

Connect = Callable[[], sqlite3.Connection]


def storage_problem(path: Path, error: Exception) -> str:
    """One line saying why an SQLite file of ours failed and what the user can do."""
    if isinstance(error, sqlite3.DatabaseError) and "not a database" in str(error):
        return f"{path} is damaged or not a file of this app: move it aside or restore a backup"
    reason = getattr(error, "strerror", None) or str(error)
    return (f"{path} cannot be written or read ({reason}): check free disk space and that "
            "the folder is writable")


def remove_partial(path: Path) -> None:
    """Delete a database file this process has just created but could not set up, with
    SQLite's rollback journal, so a failed first start leaves nothing half-made behind."""
    for leftover in (path, path.with_name(path.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def connection(path: Path, connect: Connect, error: type[Exception]) -> Iterator[sqlite3.Connection]:
    """A connection from `connect` that is closed afterwards; SQLite errors become `error`."""
    try:
        with closing(connect()) as db:
            yield db
    except sqlite3.Error as failure:
        raise error(storage_problem(path, failure)) from None


def create_private(path: Path, schema: str, connect: Connect, error: type[Exception]) -> None:
    """Make sure `path` exists (created 0600, folders as needed) and holds `schema`."""
    created = False
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            created = True
        with connection(path, connect, error) as db, db:
            db.executescript(schema)
    except (error, OSError) as failure:
        if created:
            remove_partial(path)
        if isinstance(failure, error):
            raise
        raise error(storage_problem(path, failure)) from None
