"""The secret the session cookies are signed with: random, made once and kept in the data
folder, owner-only, so sessions outlive a restart of the server and nobody else on the
computer can forge one. Deleting the file logs everyone out."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE = "web-session.key"


def session_key(data_dir: Path) -> str:
    """The data folder's session secret, made on first use (64 hex digits)."""
    path = data_dir / KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 32:
            return key
        path.unlink()  # empty or cut short (a crash while it was written): a new one
        return session_key(data_dir)
    key = secrets.token_hex(32)
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(key)
    return key
