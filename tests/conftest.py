"""Shared fixtures: where the real test faces live.

The face images and the video are never copied into the project; they are read from
``../shared/faces`` beside the repository, or from the folder named by the
``ATTENDANCE_TEST_FACES`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def faces_root() -> Path:
    """Return the face data folder, failing loudly (not skipping) when it is absent."""
    configured = os.environ.get("ATTENDANCE_TEST_FACES")
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / "faces"
    if not (root / "MANIFEST.tsv").is_file():
        pytest.fail(
            f"test faces not found at {root}: put shared/faces beside the repo "
            "or set ATTENDANCE_TEST_FACES"
        )
    return root


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    """The folder holding enrol/, probe/, stranger/, group/, noface/ and video/."""
    return faces_root()


@pytest.fixture(autouse=True)
def _own_user_settings(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test (and every app process it starts) gets an empty user config folder, so
    settings of whoever runs the suite (~/.config/attendance-app) never change a result."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("user-config")))
