"""DESIGN.md's direction of dependencies: trackers, enrolment and exports know nothing of
each other, of the app, of Qt or of the camera, so each can be tested and reused alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = ("attendance_app", "trackers", "enrolment", "exports", "PySide6", "cv2",
             "face_recognition", "dlib")


@pytest.mark.parametrize("package", ["trackers", "enrolment", "exports"])
def test_library_package_imports_nothing_it_must_not(package: str) -> None:
    others = [name for name in FORBIDDEN if name != package]
    probe = (f"import sys, {package}\n"
             f"print(','.join(m for m in {others!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"{package} pulled in {result.stdout.strip()}"
