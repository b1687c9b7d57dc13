"""Login attempts limited per account name and per client address: after FAILURES wrong
passwords within WINDOW, that name (from anywhere) and that address (for any name) are
refused until the oldest of those failures is WINDOW old. Guessing a password online
then takes years; a colleague who mistyped waits minutes, told how many.

Kept in web.sqlite3, so a restarted server still refuses, and an old failure is deleted
once it no longer counts.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from attendance_app.web.web_store import WEB_FILE, WebFile

FAILURES = 5
WINDOW = 15 * 60.0
"""Seconds: the failures within this long count."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    account TEXT NOT NULL,
    address TEXT NOT NULL
);
"""


class LoginLimit:
    """The failed logins in `<data folder>/web.sqlite3` and what they refuse."""

    def __init__(self, data_dir: Path) -> None:
        self.file = WebFile(data_dir / WEB_FILE, _SCHEMA)

    def wait(self, account: str, address: str, now: float | None = None) -> int:
        """Whole minutes until `account` may be tried from `address` again; 0: now."""
        now = time.time() if now is None else now
        key = account.strip().casefold()
        with self.file.open() as db:
            db.execute("DELETE FROM login_failures WHERE at < ?", (now - WINDOW,))
            longest = 0.0
            for column, value in (("account", key), ("address", address)):
                times = [row[0] for row in db.execute(
                    f"SELECT at FROM login_failures WHERE {column} = ? ORDER BY at DESC"  # noqa: S608
                    " LIMIT ?", (value, FAILURES))]
                if len(times) >= FAILURES:
                    longest = max(longest, times[-1] + WINDOW - now)
        return math.ceil(longest / 60) if longest > 0 else 0

    def failed(self, account: str, address: str, now: float | None = None) -> None:
        with self.file.open() as db:
            db.execute("INSERT INTO login_failures (at, account, address) VALUES (?, ?, ?)",
                       (time.time() if now is None else now, account.strip().casefold(),
                        address))

    def succeeded(self, account: str) -> None:
        """A right password clears the account's failures (not the address's: another
        name guessed from there still counts)."""
        with self.file.open() as db:
            db.execute("DELETE FROM login_failures WHERE account = ?",
                       (account.strip().casefold(),))
