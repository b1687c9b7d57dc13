"""Camera trouble: a network camera that stops sending frames and later comes back.

The camera is real as far as the app can tell: an MJPEG stream served over HTTP by a
separate process, the way cheap IP cameras serve one, which OpenCV opens by its URL.
Killing that process is a cut cable; starting it again on the same port is the camera
coming back. The app must say so, retry with growing pauses, and carry on by itself.
"""

from __future__ import annotations

import itertools
import logging
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import pytest

from attendance_app.camera.sources import CameraState, FrameGrabber, SourceSpec
from tests.support.faults_support import (
    BusyDoor,
    Camera,
    app_command,
    busy_door,
    free_port,
    wait_for,
)

__all__ = ["busy_door"]  # a fixture used below

@pytest.fixture
def camera() -> Iterator[Camera]:
    cam = Camera(free_port())
    cam.plug_in()
    yield cam
    cam.unplug()


def test_opencv_reads_the_local_mjpeg_stream(camera: Camera) -> None:
    """The premise of the tests below: this OpenCV build opens an HTTP MJPEG stream."""
    capture = cv2.VideoCapture(camera.url)
    try:
        assert capture.isOpened()
        ok, image = capture.read()
        assert ok and image.shape == (120, 160, 3)
    finally:
        capture.release()


def test_grabber_reconnects_with_backoff_and_frames_resume(
    camera: Camera, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="attendance_app.camera.sources")
    grabber = FrameGrabber(SourceSpec.parse(camera.url), retry_first_s=0.1, retry_max_s=0.4)
    grabber.start()
    try:
        wait_for(lambda: grabber.state is CameraState.CONNECTED and grabber.captured > 3, 15,
                  "the first frames")
        assert grabber.take(timeout=1) is not None

        camera.unplug()
        wait_for(lambda: grabber.state is CameraState.RECONNECTING, 10, "the loss to be noticed")
        time.sleep(1.5)  # several retries against a dead port
        lost_at = grabber.captured
        while grabber.take(timeout=0) is not None:
            pass
        assert grabber.take(timeout=0.3) is None, "no frames may come while unplugged"
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "stopped delivering frames; reconnecting" in warnings[0], (
            f"the outage must be reported once, not once per retry: {warnings}")

        camera.plug_in()
        wait_for(lambda: grabber.state is CameraState.CONNECTED and grabber.captured > lost_at + 3,
                  15, "frames after the camera came back")
        frame = grabber.take(timeout=2)
        assert frame is not None and frame.index >= lost_at
    finally:
        grabber.stop()
    assert grabber.state is CameraState.STOPPED


def test_retries_against_a_dead_camera_slow_down(caplog: pytest.LogCaptureFixture) -> None:
    """Back-off: attempts against a port nobody listens on get further apart."""
    attempts: list[float] = []
    caplog.set_level(logging.INFO, logger="attendance_app.camera.sources")
    spec = SourceSpec.parse(f"http://127.0.0.1:{free_port()}/stream.mjpg")
    grabber = FrameGrabber(spec, retry_first_s=0.05, retry_max_s=0.4)
    original = grabber._set_state

    def note(state: CameraState) -> None:
        attempts.append(time.monotonic())
        original(state)

    grabber._set_state = note  # type: ignore[method-assign]
    grabber.start()
    time.sleep(1.6)
    grabber.stop()
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert 4 <= len(attempts) <= 12, f"{len(attempts)} attempts in 1.6 s: no back-off"
    assert gaps[-1] > 3 * gaps[0], f"pauses did not grow: {gaps}"


def _stream(child: subprocess.Popen[str]) -> tuple[queue.Queue[tuple[str, str]], list[threading.Thread]]:
    """Merge a child's stdout and stderr lines into one queue of (stream name, line);
    the threads end when the child closes its pipes."""
    lines: queue.Queue[tuple[str, str]] = queue.Queue()

    def forward(name: str, pipe: object) -> None:
        for line in pipe:  # type: ignore[attr-defined]
            lines.put((name, line))

    readers = [threading.Thread(target=forward, args=(name, pipe), daemon=True)
               for name, pipe in (("out", child.stdout), ("err", child.stderr))]
    for reader in readers:
        reader.start()
    return lines, readers


def _until(lines: queue.Queue[tuple[str, str]], wanted: Callable[[str, str], bool],
           timeout: float, seen: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while True:
        name, line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        seen.append(f"{name}: {line.rstrip()}")
        if wanted(name, line):
            return


def test_headless_run_survives_a_cut_stream_and_logs_people_after_it_returns(
    busy_door: BusyDoor, tmp_path: Path
) -> None:
    data = busy_door.data_dir(tmp_path / "data")
    camera = Camera(free_port(), busy_door.video)
    camera.plug_in()
    child = subprocess.Popen(
        app_command("run", "--headless", "--source", camera.url, "--data-dir", str(data),
                    "--config", str(busy_door.config)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    (lines, readers), seen = _stream(child), []
    try:
        _until(lines, lambda name, line: " IN " in line, 90, seen)
        camera.unplug()
        _until(lines, lambda name, line: "stopped delivering frames; reconnecting" in line, 30, seen)
        before = sum(" IN " in s or " OUT " in s for s in seen)
        camera.plug_in()
        _until(lines, lambda name, line: line.rstrip().endswith(": connected"), 30, seen)
        _until(lines, lambda name, line: " IN " in line or " OUT " in line, 60, seen)
        child.send_signal(signal.SIGTERM)  # a service manager stopping the app
        child.wait(timeout=30)
        for reader in readers:
            reader.join(timeout=10)
        while not lines.empty():
            seen.append(": ".join(lines.get()).rstrip())
    finally:
        camera.unplug()
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 143, "\n".join(seen)  # stopped by SIGTERM, as shells expect
    assert sum(" IN " in s or " OUT " in s for s in seen) > before
    assert any(s.startswith("out: Processed") for s in seen), "SIGTERM ends with the summary"
    assert not [s for s in seen if "Connection refused" in s], "FFmpeg's per-retry noise"
