"""Building the pipeline (issue 24, point 5): the tracker's import of filterpy and
scipy.stats (one to two seconds, more on a cold start) is paid while the encoder worker
loads its models on the other core, not before the worker starts (it was: the two added
up) and not on the first frame. A fresh interpreter, since this one may have imported
filterpy already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.imports import HEAVY

BUILD_AND_PROCESS = '''
import json, sys
from datetime import datetime
from pathlib import Path

import cv2

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition import encoders
from attendance_app.types import Frame

seen = {}
start, wait = encoders.ProcessEncoder.__init__, encoders.ProcessEncoder.wait_until_ready


def started(self, engine):
    start(self, engine)
    seen["filterpy when the worker has started"] = "filterpy.kalman" in sys.modules


def waiting(self):
    seen.setdefault("filterpy when waiting for the worker", "filterpy.kalman" in sys.modules)
    wait(self)


encoders.ProcessEncoder.__init__ = started
encoders.ProcessEncoder.wait_until_ready = waiting

if __name__ == "__main__":
    video, data = sys.argv[1:]
    pipeline = Workspace.resolve(AppConfig(), Path(data), None).pipeline(None)
    try:
        ok, image = cv2.VideoCapture(video).read()
        assert ok
        before = set(sys.modules)
        pipeline.process(Frame(image, 0, datetime.now()))
        seen["imported by the first frame"] = sorted(set(sys.modules) - before)
    finally:
        pipeline.close()
    print(json.dumps(seen))
'''


def test_the_tracker_imports_while_the_worker_loads_and_not_on_the_first_frame(
        faces_dir: Path, tmp_path: Path) -> None:
    video = faces_dir / "video" / "walkers_royal_opera_house.mp4"
    result = subprocess.run([sys.executable, "-c", BUILD_AND_PROCESS, str(video),
                             str(tmp_path / "data")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["filterpy when the worker has started"] is False
    assert seen["filterpy when waiting for the worker"] is True
    heavy = [name for name in seen["imported by the first frame"] if name.split(".")[0] in HEAVY]
    assert heavy == []
