"""A keyring backend for tests that keeps passwords in a JSON file named by the variable
ATTENDANCE_TEST_KEYRING: chosen in a child process through keyring's own switch,
PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring, so the app's `messages
password` and its e-mails go through the real keyring API, on machines with no Secret
Service (CI containers)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @staticmethod
    def _path() -> Path:
        return Path(os.environ["ATTENDANCE_TEST_KEYRING"])

    def _all(self) -> dict[str, str]:
        path = self._path()
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        stored = {**self._all(), f"{service}/{username}": password}
        self._path().write_text(json.dumps(stored), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        stored = self._all()
        stored.pop(f"{service}/{username}", None)
        self._path().write_text(json.dumps(stored), encoding="utf-8")
