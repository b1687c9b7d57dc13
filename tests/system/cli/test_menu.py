"""`attendance-app menu add|remove` run as a user runs it: the entry it writes starts the
very program that wrote it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.desktop_entries import keys, unquoted
from tests.support.faults_support import app_command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux menu")


def _run(share: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(share)}
    return subprocess.run(app_command(*args), env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_menu_entry_starts_the_app_and_is_removed_on_request(tmp_path: Path) -> None:
    share = tmp_path / "share"
    added = _run(share, "menu", "add")
    assert added.returncode == 0, added.stderr
    entry = share / "applications" / "attendance-app.desktop"
    assert str(entry) in added.stdout
    command = unquoted(keys(entry.read_text(encoding="utf-8"))["Exec"])
    started = subprocess.run([*command, "--version"], capture_output=True, text=True,
                             timeout=60, check=False)
    assert started.returncode == 0 and started.stdout.startswith("attendance-app ")
    removed = _run(share, "menu", "remove")
    assert removed.returncode == 0 and not entry.exists()
    again = _run(share, "menu", "remove")
    assert again.returncode == 0 and "nothing to remove" in again.stdout
