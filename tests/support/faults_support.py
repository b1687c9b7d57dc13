"""Helpers shared by the fault tests: real child processes, real door videos, real locks.

The fault tests inject each failure for real (a killed process, a file the kernel refuses
to change, a stream server that dies), so they need the app running as a user runs it:
`python -m attendance_app` in a child process with its own data folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.scenes import probe_people, render, sequential_scene

WALKERS = ("obama", "biden", "lennon", "bbt_howard")
"""People whose probe photo either engine names surely (not clapton's, 0.55 from his photo
with sface at tolerance 0.575): the fault tests count on an event at every walk."""

# Events come every second or so: every walk is a new track, and a short cooldown lets
# the same person be logged again on their next walk (rows alternate in and out).
BUSY_CONFIG = """\
attendance:
  cooldown_minutes: 0.01
detection:
  every_n_frames: 2
recognition:
  votes_needed: 2
"""


def app_command(*args: str) -> list[str]:
    """The command line of the app, run by this interpreter in a child process."""
    return [sys.executable, "-m", "attendance_app", *args]


def cli(*args: str, timeout: float = 300, **options: object) -> subprocess.CompletedProcess[str]:
    """Run the app to its end and return what it printed and its exit code."""
    return subprocess.run(app_command(*args), capture_output=True, text=True, timeout=timeout,
                          check=False, **options)  # type: ignore[call-overload]


@dataclass(frozen=True)
class BusyDoor:
    """WALKERS enrolled in a face store, a video of them passing, and BUSY_CONFIG."""

    faces_store: Path
    video: Path
    config: Path

    def data_dir(self, folder: Path) -> Path:
        """A fresh data folder holding a copy of the enrolled face store."""
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.faces_store, folder / self.faces_store.name)
        return folder


_made: dict[Path, BusyDoor] = {}


@pytest.fixture(scope="session")
def busy_door(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> BusyDoor:
    """Made once per session: enrolling and rendering cost about ten seconds. (Each test
    module that imports this fixture gets its own copy of it, hence the cache.)"""
    if faces_dir not in _made:
        root = tmp_path_factory.mktemp("busy_door")
        enrol_walkers(faces_dir, root / "data", root / "photos")
        config = root / "config.yaml"
        config.write_text(BUSY_CONFIG)
        _made[faces_dir] = BusyDoor(root / "data" / "faces.sqlite3",
                                    busy_door_video(faces_dir, root / "door.mp4"), config)
    return _made[faces_dir]


@pytest.fixture(scope="session")
def long_door(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minute and a half of corridor with obama walking by now and then: a run that lasts
    several seconds (the first arrival comes within the first two)."""
    people = [("obama", faces_dir / "probe" / "obama" / "obama1.jpg")] * 18
    scene = sequential_scene(people, seconds_each=2.0, seconds_between=3.0)
    return render(scene, tmp_path_factory.mktemp("long") / "long.mp4")


def enrol_walkers(faces_dir: Path, data_dir: Path, folder: Path) -> None:
    """Enrol WALKERS from their enrolment photos in one child process (`enrol --folder`)."""
    for name in WALKERS:
        person = folder / name
        person.mkdir(parents=True)
        for photo in (faces_dir / "enrol" / name).iterdir():
            shutil.copy(photo, person / photo.name)
    result = cli("enrol", "--folder", str(folder), "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr


def busy_door_video(faces_dir: Path, path: Path, rounds: int = 3) -> Path:
    """A small, quick door video in which each walker passes `rounds` times."""
    people = probe_people(faces_dir, WALKERS)
    scene = sequential_scene(people * rounds, size=(480, 270), seconds_each=1.2, seconds_between=0.2)
    return render(scene, path)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def write_protected(path: Path) -> Iterator[None]:
    """Make `path` (file or folder) really unwritable while inside the block.

    chmod does not stop root, so as root the kernel's immutable flag (`chattr +i`) is
    used; without chattr there is no real lock to take and the test is skipped.
    """
    if is_root():
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: no way to make a file really unwritable")
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False).returncode:
            pytest.skip(f"chattr +i is not supported on the file system of {path}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


# The camera: run with `python -c SERVER PORT [VIDEO]`; importing only what it needs
# keeps its start (and restart, after an "unplug") quick.
SERVER = """
import http.server, socketserver, sys, time
import cv2, numpy as np

port, video = int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else ""

def frames():
    # The video's frames over and over, or a changing grey picture without a video.
    index = 0
    while not video:
        yield np.full((120, 160, 3), index % 250, np.uint8)
        index += 1
    while True:
        capture = cv2.VideoCapture(video)
        while (grabbed := capture.read())[0]:
            yield grabbed[1]
        capture.release()

class Stream(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
        self.end_headers()
        for image in frames():
            jpeg = cv2.imencode(".jpg", image)[1].tobytes()
            try:
                self.wfile.write(b"--frame\\r\\nContent-Type: image/jpeg\\r\\nContent-Length: "
                                 + str(len(jpeg)).encode() + b"\\r\\n\\r\\n" + jpeg + b"\\r\\n")
            except (BrokenPipeError, ConnectionResetError):
                return  # the viewer hung up
            time.sleep(1 / 25)

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

Server(("127.0.0.1", port), Stream).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class Camera:
    """A network camera as far as the app can tell: an MJPEG stream served over HTTP by a
    separate process at 25 frames/s, the way cheap IP cameras serve one (the video given,
    over and over). It can be unplugged (SIGKILL) and plugged in again. Unlike a video
    file, which the app reads as fast as it can, it delivers frames at the camera's pace
    for as long as a test needs."""

    def __init__(self, port: int, video: Path | None = None) -> None:
        self.port = port
        self.video = str(video or "")
        self.url = f"http://127.0.0.1:{port}/stream.mjpg"
        self.process: subprocess.Popen[bytes] | None = None

    def plug_in(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(self.port), self.video])
        wait_for(self._answers, 30, "the stream server to listen")

    def unplug(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def _answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0
