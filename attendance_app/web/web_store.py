"""`<data folder>/web.sqlite3`: the web application's own file, one table per store
(accounts, their audit trail and failed logins here; the HTTP API's tokens beside them),
each made with CREATE TABLE IF NOT EXISTS by the store that owns it.

Its own file, apart from the journal, so that nothing the web does ever takes the lock a
door writes its rows under. Owner-only, like the rest of the data folder: it holds
password hashes. WAL, so the server's readers and its few writes never wait on each
other.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WEB_FILE = "web.sqlite3"


class WebFile:
    """The SQLite file at `path`, with `schema` (CREATE ... IF NOT EXISTS) applied once."""

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        with self.open() as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(schema)

    @contextmanager
    def open(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction (committed on success), closed afterwards."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()
