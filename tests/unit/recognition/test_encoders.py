"""Encoding in a worker process: the same encodings as in-process, and no orphan worker
when the app is killed."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from attendance_app.camera.images import load_bgr
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.recognition.encoders import InlineEncoder, Look, ProcessEncoder, face_crop
from attendance_app.types import Box
from tests.support.held_engine import EngineThatHoldsFaces


def test_face_crop_keeps_the_face_and_maps_the_box() -> None:
    bgr = np.arange(200 * 300 * 3, dtype=np.uint8).reshape(200, 300, 3)
    box = Box(100, 50, 140, 100)
    crop, inner = face_crop(bgr, box)
    assert crop.flags["C_CONTIGUOUS"]
    assert inner.width == box.width and inner.height == box.height
    y, x = round(inner.y1), round(inner.x1)
    assert np.array_equal(crop[y:y + 50, x:x + 40], bgr[50:100, 100:140])


def test_worker_encodes_exactly_as_this_process(faces_dir: Path) -> None:
    bgr = load_bgr(faces_dir / "group" / "obama_and_biden.jpg")
    engine = FaceEngine()
    boxes = engine.detect_in_photo(bgr)
    assert len(boxes) >= 2
    looks = [(Look(number, 0, datetime.now()), box) for number, box in enumerate(boxes)]
    inline = InlineEncoder(engine)
    inline.submit(looks, bgr)
    expected = {look.track_id: encoding for look, encoding in inline.collect()}
    worker = ProcessEncoder(engine)
    try:
        worker.submit(looks, bgr)
        assert worker.pending == len(boxes)
        got = {look.track_id: encoding for look, encoding in worker.collect(wait_before=1)}
    finally:
        worker.close()
    assert worker.pending == 0 and got.keys() == expected.keys()
    for track_id, encoding in expected.items():
        assert np.linalg.norm(got[track_id] - encoding) < 1e-6


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split()[2] != "Z"


def _kill_app_and_wait_for_worker(setup: str) -> None:
    """Start an app with a worker, run `setup` in it, SIGKILL it; the worker must end."""
    script = ("from attendance_app.recognition.encoders import ProcessEncoder\n"
              "from attendance_app.faces.dlib_engine import FaceEngine\n"
              "import os, struct, time\n"
              "if __name__ == '__main__':\n"
              "    encoder = ProcessEncoder(FaceEngine())\n"
              f"    {setup}\n"
              "    print(encoder._worker.pid, flush=True)\n"
              "    time.sleep(600)\n")
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker_pid = int(app.stdout.readline())
    assert _alive(worker_pid)
    app.send_signal(signal.SIGKILL)
    app.wait()
    deadline = time.monotonic() + 30
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker_pid), "the worker outlived the killed app"


def test_worker_stops_by_itself_when_the_app_is_killed() -> None:
    _kill_app_and_wait_for_worker("pass")


def test_worker_stops_when_the_app_dies_halfway_through_sending_a_face() -> None:
    """The app killed while writing a face to the worker leaves half a message in the
    pipe; the worker, blocked reading the rest, must still end."""
    half_a_face = "struct.pack('!i', 1_000_000) + bytes(1000)"
    _kill_app_and_wait_for_worker(
        f"os.write(encoder._jobs._writer.fileno(), {half_a_face}); time.sleep(2)")


def _interrupt_children_for(seconds: float, hits: list[int]) -> None:
    """Send SIGINT to every child of this process as soon as it exists, for `seconds`,
    as a terminal's Ctrl-C reaches every process of the group."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for task in Path(f"/proc/{os.getpid()}/task").iterdir():
            for child in (task / "children").read_text().split():
                try:
                    os.kill(int(child), signal.SIGINT)
                    hits.append(int(child))
                except ProcessLookupError:
                    pass
        time.sleep(0.01)


def test_ctrl_c_while_the_worker_starts_does_not_kill_it() -> None:
    """Issue 20: Ctrl-C in a terminal reaches the worker while it still imports and loads
    its models, before it can ignore the signal itself: it died with a traceback of its
    own. Now it starts with Ctrl-C ignored, and only its parent stops it."""
    hits: list[int] = []
    sender = threading.Thread(target=_interrupt_children_for, args=(3.0, hits))
    sender.start()
    try:
        worker = ProcessEncoder(FaceEngine())
    finally:
        sender.join()
    try:
        assert hits, "the worker was sent Ctrl-C while it started"
        assert worker._worker.is_alive()
    finally:
        worker.close()


def test_a_worker_ended_while_holding_a_face_is_not_waited_for(tmp_path: Path) -> None:
    """A SIGTERM to the process group ends the worker with the app; the app, stopping,
    must not wait for the face the worker held (the window waited a minute for it, and
    gave its video worker up after 8 s)."""
    started = tmp_path / "encoding"
    encoder = ProcessEncoder(EngineThatHoldsFaces(started))
    try:
        encoder.submit([(Look(1, 0, datetime.now()), Box(0, 0, 10, 10))],
                       np.zeros((20, 20, 3), np.uint8))
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        worker_pid = int(started.read_text(encoding="ascii"))
        os.kill(worker_pid, signal.SIGTERM)
        assert encoder.collect(wait_before=math.inf) == []
        assert encoder.pending == 0
    finally:
        encoder.close()
