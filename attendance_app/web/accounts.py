"""The people who may log in to the web application, their roles, and the audit trail of
what admins change there (accounts, unknown visitors deleted).

Passwords are kept as argon2id hashes (argon2-cffi's defaults: memory-hard, salted), never
as text; a wrong name costs the same hash as a wrong password, so the time a refusal
takes does not tell which names exist.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from attendance_app.errors import AttendanceError
from attendance_app.web.web_store import WEB_FILE, WebFile

ROLES = ("viewer", "admin")
"""viewer: Today and Reports; admin: also People, Unknown visitors, Corrections, Accounts."""
MIN_PASSWORD = 8
MAX_NAME = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);
"""

_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a password of anyone")


class AccountError(AttendanceError):
    """An account that cannot be made or changed; the message says what to do."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: datetime

    @property
    def admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    by: str
    action: str
    subject: str


def check_name(name: str) -> str:
    """The name without surrounding spaces, or AccountError saying how to write it."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ord(ch) < 32 or ch == "\x7f" for ch in name):
        raise AccountError(f"an account name is 1 to {MAX_NAME} characters on one line")
    return name


def check_password(password: str) -> str:
    """`password` as given, or AccountError when it is too short (never saying it)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"the role is viewer or admin, not {role!r}")
    return role


class AccountBook:
    """The accounts and the web audit trail in `<data folder>/web.sqlite3`."""

    def __init__(self, data_dir: Path) -> None:
        self.file = WebFile(data_dir / WEB_FILE, _SCHEMA)

    def accounts(self) -> list[Account]:
        with self.file.open() as db:
            rows = db.execute("SELECT name, role, created_at FROM accounts"
                              " ORDER BY name COLLATE NOCASE").fetchall()
        return [Account(name, role, datetime.fromisoformat(at)) for name, role, at in rows]

    def find(self, name: str) -> Account | None:
        return next((a for a in self.accounts() if a.name.casefold() == name.casefold()), None)

    def add(self, name: str, role: str, password: str, by: str) -> Account:
        """A new account; AccountError when the name is taken or a value is wrong."""
        name, role = check_name(name), check_role(role)
        hashed = _HASHER.hash(check_password(password))
        now = datetime.now().replace(microsecond=0)
        with self.file.open() as db:
            if db.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise AccountError(f'there is an account "{name}" already; change its '
                                   "password or remove it first")
            db.execute("INSERT INTO accounts VALUES (?, ?, ?, ?)",
                       (name, role, hashed, now.isoformat()))
            self._audit(db, by, f"added ({role})", name)
        return Account(name, role, now)

    def remove(self, name: str, by: str) -> None:
        with self.file.open() as db:
            if not db.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount:
                raise AccountError(f'there is no account "{name}"; '
                                   "`attendance-app web user list` shows them")
            self._audit(db, by, "removed", name)

    def set_password(self, name: str, password: str, by: str) -> None:
        hashed = _HASHER.hash(check_password(password))
        with self.file.open() as db:
            if not db.execute("UPDATE accounts SET password_hash = ? WHERE name = ?",
                              (hashed, name)).rowcount:
                raise AccountError(f'there is no account "{name}"; '
                                   "`attendance-app web user list` shows them")
            self._audit(db, by, "password changed", name)

    def verify(self, name: str, password: str) -> Account | None:
        """The account when `password` is its password, else None (a wrong name costs
        one hash too)."""
        with self.file.open() as db:
            row = db.execute("SELECT name, role, created_at, password_hash FROM accounts"
                             " WHERE name = ?", (name.strip(),)).fetchone()
        try:
            _HASHER.verify(row[3] if row else _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        return None if row is None else Account(row[0], row[1], datetime.fromisoformat(row[2]))

    def note(self, by: str, action: str, subject: str) -> None:
        """An admin's action other than an account change (an unknown visitor deleted)."""
        with self.file.open() as db:
            self._audit(db, by, action, subject)

    def audit(self, limit: int = 200) -> list[AuditLine]:
        """The newest lines of the web audit trail, newest first."""
        with self.file.open() as db:
            rows = db.execute("SELECT at, by, action, subject FROM web_audit"
                              " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [AuditLine(datetime.fromisoformat(at), by, action, subject)
                for at, by, action, subject in rows]

    @staticmethod
    def _audit(db: sqlite3.Connection, by: str, action: str, subject: str) -> None:
        db.execute("INSERT INTO web_audit (at, by, action, subject) VALUES (?, ?, ?, ?)",
                   (datetime.now().replace(microsecond=0).isoformat(), by, action, subject))
