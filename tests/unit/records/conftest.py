"""The records tests' shared fixture: an empty journal in the test's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance_app.records.journal import Journal


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    """A new, empty journal (real SQLite) in `tmp_path`."""
    return Journal(tmp_path / "journal.sqlite3")
