"""The API's tokens: made by `attendance-app web token add`, shown once, kept only as hashes.

They live in `<data folder>/web.sqlite3`, table `api_tokens` (the web pages keep their
accounts in the same file), created owner-only like the app's other files of personal data.

A token is `att_` followed by 32 random bytes (secrets.token_urlsafe: 43 characters, 256
bits): the prefix makes a leaked one recognisable (in a log, a chat, a secret scanner). It
is stored as its SHA-256. A password needs a slow, memory-hard hash (argon2) because
people choose guessable ones and a stolen hash can be tried against a dictionary; a token
of 256 random bits cannot be guessed whatever the speed of the hash, so one fast hash
suffices, and it lets every request find its token by an index lookup of the hash instead
of trying a slow hash against every row. The lookup of a hash tells an attacker nothing
useful by its timing: finding which stored hash a guess comes near would still leave 2^256
tokens to try.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from attendance_app.errors import AttendanceError

WEB_FILE = "web.sqlite3"
PREFIX = "att_"
ROLES = ("viewer", "admin")
"""viewer: events and reports; admin: also identify (a face search of the enrolled people)."""

LAST_USED_STEP = timedelta(minutes=1)
"""`last used` is written at most once a minute per token: a client polling many times a
second then costs one write a minute, not one per request."""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used TEXT
);
"""


class TokenError(AttendanceError):
    """A token command that cannot be done (a name taken, a bad name or role, the file
    unreadable); the message says what to do."""


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: never the token itself, nor its hash."""

    name: str
    role: str
    created_at: datetime
    last_used: datetime | None


def token_hash(token: str) -> str:
    """The SHA-256 of `token` in hex, as stored (see the module's docstring for why)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: tuple) -> TokenInfo:
    return TokenInfo(row[0], row[1], datetime.fromisoformat(row[2]),
                     None if row[3] is None else datetime.fromisoformat(row[3]))


class TokenBook:
    """The tokens in the web file at `path` (created owner-only when first written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._made = False  # the table, once per book rather than per request

    @contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction, committed and closed afterwards; the table is made
        if missing. SQLite and file errors become one TokenError line."""
        try:
            if not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            with closing(sqlite3.connect(self.path, timeout=10)) as db:
                if not self._made:
                    db.executescript(_SCHEMA)
                    self._made = True
                with db:
                    yield db
        except (sqlite3.Error, OSError) as error:
            raise TokenError(f"{self.path} cannot be read or written ({error}): check the "
                             "data folder's permissions and free space") from None

    def add(self, name: str, role: str) -> str:
        """Make a token called `name` with `role` and return it: the only time it is seen."""
        if not _NAME.fullmatch(name):
            raise TokenError(f"{name!r} is not a usable token name: use 1 to 64 letters, "
                             "digits, spaces, dots, dashes, @ or _, starting with a letter or digit")
        if role not in ROLES:
            raise TokenError(f"{role!r} is not a role: use {' or '.join(ROLES)}")
        token = PREFIX + secrets.token_urlsafe(32)
        with self._open() as db:
            if db.execute("SELECT 1 FROM api_tokens WHERE name = ?", (name,)).fetchone():
                raise TokenError(f"a token called {name!r} exists already: remove it first "
                                 f"(`attendance-app web token remove {name}`) or choose another name")
            db.execute("INSERT INTO api_tokens VALUES (?, ?, ?, ?, NULL)",
                       (name, role, token_hash(token), datetime.now().isoformat(timespec="seconds")))
        return token

    def tokens(self) -> list[TokenInfo]:
        """Every token's name, role and dates, by name."""
        if not self.path.exists():
            return []
        with self._open() as db:
            rows = db.execute("SELECT name, role, created_at, last_used FROM api_tokens"
                              " ORDER BY name").fetchall()
        return [_info(row) for row in rows]

    def remove(self, name: str) -> bool:
        """Remove the token called `name` (its clients get 401 from now on); False if none."""
        if not self.path.exists():
            return False
        with self._open() as db:
            return db.execute("DELETE FROM api_tokens WHERE name = ?", (name,)).rowcount > 0

    def check(self, token: str) -> TokenInfo | None:
        """The token's name and role, or None when it is not one of ours; notes the use
        (at most once a LAST_USED_STEP)."""
        if not token.startswith(PREFIX) or not self.path.exists():
            return None
        digest = token_hash(token)
        with self._open() as db:
            row = db.execute("SELECT name, role, created_at, last_used FROM api_tokens"
                             " WHERE token_sha256 = ?", (digest,)).fetchone()
            if row is None:
                return None
            info = _info(row)
            now = datetime.now()
            if info.last_used is None or now - info.last_used >= LAST_USED_STEP:
                db.execute("UPDATE api_tokens SET last_used = ? WHERE token_sha256 = ?",
                           (now.isoformat(timespec="seconds"), digest))
        return info
