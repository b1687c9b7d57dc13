"""Does it keep up with a live camera? A door video served as a real-time network stream.

A synthetic door video is served as an HTTP MJPEG stream at its own frame rate (like an IP
camera), and `attendance-app run --source URL --headless` watches it in a child process.
A live source cannot wait for the app: the app must keep up or drop frames (never queue
them), and say how many it dropped. The script prints frames served, processed and
dropped, and who was logged.

    uv run python -m benchmarks.live_stream [--size 640x360] [--faces-in-view 3]
"""

from __future__ import annotations

import argparse
import http.server
import os
import re
import signal
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import cv2

from benchmarks.speed import enrolled_workspace, walkers
from tests.support.scenes import DEFAULT_FACES, crowd_scene, render

STARTUP_SECONDS = 10.0
"""The stream starts with an empty corridor for this long, while the app loads its models."""


def serve_video(video: Path, fps: float) -> tuple[socketserver.TCPServer, threading.Event,
                                                 list[float]]:
    """Start serving `video` as a live camera would, on a free local port: the picture moves
    on with the clock from the first request, whoever watches; the event is set when the
    video is over, the list holds the clock's start (perf_counter) once it has started."""
    done = threading.Event()
    clock_start: list[float] = []
    frames = []
    capture = cv2.VideoCapture(str(video))
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes())
    capture.release()

    class Stream(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if done.is_set():  # the video is live once; afterwards the camera is gone
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=frame")
            self.end_headers()
            if not clock_start:
                clock_start.append(time.perf_counter())
            number = int((time.perf_counter() - clock_start[0]) * fps)
            try:
                while number < len(frames):
                    jpeg = frames[number]
                    self.wfile.write(b"--frame\r\nContent-Type: image/jpeg\r\n"
                                     b"Content-Length: " + str(len(jpeg)).encode()
                                     + b"\r\n\r\n" + jpeg + b"\r\n")
                    number += 1
                    time.sleep(max(0.0, clock_start[0] + number / fps - time.perf_counter()))
                done.set()
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Stream)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, done, clock_start


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT")
    parser.add_argument("--faces-in-view", type=int, default=3)
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        enrolled_workspace(folder / "data", args.faces)
        scene = crowd_scene(walkers(args.faces, 4 * args.faces_in_view), args.faces_in_view,
                            (size[0], size[1]), empty_seconds=STARTUP_SECONDS)
        video = render(scene, folder / "door.mp4")
        server, done, clock_start = serve_video(video, scene.fps)
        url = f"http://127.0.0.1:{server.server_address[1]}/stream.mjpg"
        app = subprocess.Popen([sys.executable, "-m", "attendance_app", "run", "--source", url,
                                "--headless", "--data-dir", str(folder / "data")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
        lines: list[tuple[float, str]] = []
        reader = threading.Thread(target=lambda: lines.extend(
            (time.perf_counter(), line) for line in app.stdout), daemon=True)
        reader.start()
        done.wait(timeout=scene.frame_count / scene.fps + 120)
        time.sleep(2.0)  # let the last frames through
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=120)
        reader.join(timeout=10)
        err = app.stderr.read()
        server.shutdown()
    out = "".join(line for _, line in lines)
    walks = {w.label: w for w in scene.walkers if w.label != "stranger"}
    latencies = []
    for arrived, line in lines:
        match = re.search(r" IN +(.+?) \(id \d+\)", line)
        if match and match[1] in walks:
            in_view_since = clock_start[0] + walks[match[1]].first_frame / scene.fps
            latencies.append(arrived - in_view_since)
    names = [match[1] for match in re.finditer(r" IN +(.+?) \(id \d+\)", out)]
    known = set(walks)
    print(f"stream: {size[0]}x{size[1]} at {scene.fps:.0f} frames/s, {scene.frame_count} frames "
          f"served, {args.faces_in_view} faces in view")
    print(out.splitlines()[-1] if out else err)
    print(f"logged {len(set(names) & known)} of {len(known)} known walkers, "
          f"{len([n for n in names if n not in known])} wrong rows")
    if latencies:
        print(f"from first frame in view to the printed row: median "
              f"{statistics.median(latencies):.2f} s, worst {max(latencies):.2f} s")


if __name__ == "__main__":
    main()
