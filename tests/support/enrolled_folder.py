"""A data folder with a few people enrolled from one real photo each, by the real
`enrol --folder`, and the command line run on it in a child process: what the command
line tests of groups, holidays and leave start from."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.faults_support import cli


def app_in(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`attendance-app ARGS --data-dir DATA`, run to its end."""
    return cli(*args, "--data-dir", str(data))


def enrolled_from_photos(faces_dir: Path, root: Path, people: dict[str, str]) -> Path:
    """`root`/data with `people` (name -> their folder in the test faces' enrol/) enrolled
    from the first photo of each (linked, never copied); returns the data folder."""
    photos = root / "photos"
    for name, folder in people.items():
        (photos / name).mkdir(parents=True)
        first = sorted((faces_dir / "enrol" / folder).iterdir())[0]
        (photos / name / first.name).symlink_to(first)
    done = app_in(root / "data", "enrol", "--folder", str(photos))
    assert done.returncode == 0, done.stderr
    return root / "data"
