"""Commands that need no faces answer at once (issue 9, item 6): `attendance-app --help` and
`people` took about three seconds because the command line imported the whole pipeline,
and with it OpenCV, scipy and filterpy, before it parsed its arguments. The guard is the list
of modules a command imports, not a wall-clock time, so it holds on a slow machine too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.imports import HEAVY, imported_packages


@pytest.mark.parametrize(("command", "exit_code"), [
    (["--help"], 0), (["people"], 0), (["export"], 0), (["report"], 1),  # 1: nothing to report
    (["rename", "Ada", "Grace"], 1), (["forget", "Ada"], 1),  # 1: nobody of that name
    (["journal", "rebuild"], 1),  # 1: no workbook to rebuild from
    (["group", "list"], 0),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_commands_without_faces_import_no_face_work(command: list[str], exit_code: int,
                                                    tmp_path: Path) -> None:
    args = ["-m", "attendance_app", *command]
    if command != ["--help"]:
        args += ["--data-dir", str(tmp_path / "data")]
    loaded = imported_packages(args, tmp_path, exit_code)
    assert "attendance_app" in loaded
    assert not loaded & set(HEAVY), f"{' '.join(command)} imported {sorted(loaded & set(HEAVY))}"


def test_tracker_loads_filterpy_and_scipy_when_first_made_not_on_import(tmp_path: Path) -> None:
    """The window imports the pipeline's types before it appears; the Kalman filter's
    scipy.stats (about a second) must wait until a tracker is built, while models load."""
    probe = ("import sys, trackers\n"
             "before = {m.split('.')[0] for m in sys.modules}\n"
             "trackers.Sort()\n"
             "after = {m.split('.')[0] for m in sys.modules}\n"
             "print(sorted(before & {'filterpy', 'scipy', 'matplotlib'}), "
             "sorted(after & {'filterpy', 'scipy', 'matplotlib'}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[] ['filterpy', 'scipy']"
