"""Where the shared sets beside the repository live (../shared/faces-scale: one photo per
person, thousands of people; ../shared/faces-video: real footage), read in place like
tests/conftest.py's faces, never copied. An environment variable says where each is when
it is elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_set(folder: str, variable: str, what: str) -> Path:
    """The shared `folder`, from the environment `variable` or beside the repository; the
    test fails loudly (never skips) when it is absent."""
    configured = os.environ.get(variable)
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / folder
    if not (root / "MANIFEST.tsv").is_file():
        pytest.fail(f"{what} not found at {root}: put shared/{folder} beside the repo or "
                    f"set {variable}")
    return root


def faces_scale_root() -> Path:
    """../shared/faces-scale (ATTENDANCE_TEST_FACES_SCALE)."""
    return shared_set("faces-scale", "ATTENDANCE_TEST_FACES_SCALE", "site-scale faces")


def faces_video_root() -> Path:
    """../shared/faces-video (ATTENDANCE_TEST_FACES_VIDEO)."""
    return shared_set("faces-video", "ATTENDANCE_TEST_FACES_VIDEO", "faces-video")
