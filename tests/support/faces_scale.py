"""Where the site-scale faces live (../shared/faces-scale: one photo per person,
thousands of people), read in place like tests/conftest.py's faces, never copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def faces_scale_root() -> Path:
    """The faces-scale folder, from ATTENDANCE_TEST_FACES_SCALE or beside the repository;
    the test fails loudly (never skips) when it is absent."""
    configured = os.environ.get("ATTENDANCE_TEST_FACES_SCALE")
    root = Path(configured) if configured else REPO_ROOT.parent / "shared" / "faces-scale"
    if not (root / "MANIFEST.tsv").is_file():
        pytest.fail(f"site-scale faces not found at {root}: put shared/faces-scale beside "
                    "the repo or set ATTENDANCE_TEST_FACES_SCALE")
    return root
