"""What a command imports: the guard that commands needing no faces stay quick.

A command's cost on a slow machine is mostly the packages it loads, so tests check the
list of modules it imports, not a wall-clock time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("dlib", "face_recognition", "cv2", "PySide6", "filterpy", "matplotlib", "scipy", "trackers")
"""Packages that cost seconds to load: face models, OpenCV, Qt, the tracker's maths."""


def imported_packages(args: list[str], cwd: Path, exit_code: int = 0) -> set[str]:
    """Top-level names of every module a fresh interpreter imports for `python -X importtime
    ARGS` (the report goes to stderr, one `import time: self | cumulative | name` per module)."""
    result = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=cwd,
                            capture_output=True, text=True, check=False)
    assert result.returncode == exit_code and "Traceback" not in result.stderr, result.stderr[-3000:]
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and not line.rstrip().endswith("imported package"):
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names
