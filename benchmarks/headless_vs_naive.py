"""Frames per second of `run --headless` against face_recognition's example loop.

The example loop (detect and encode every face in every frame, then compare) is how
most face-recognition attendance scripts work; this app detects every few frames on a
shrunken copy, tracks in between and encodes a face only until it is recognised. Both
run here on the same 640x360 video in one process, one after the other, and the script
prints both rates and their ratio.

    uv run python -m benchmarks.headless_vs_naive [--video PATH] [--size 640x360]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from attendance_app.app.door_report import DoorListener
from attendance_app.app.door_session import DoorSession
from attendance_app.app.workspace import Workspace
from attendance_app.camera.sources import SourceSpec
from attendance_app.cli.enrol import enrol
from attendance_app.config.settings import AppConfig
from attendance_app.faces.dlib_engine import bgr_to_rgb, face_encodings, face_locations

REPO = Path(__file__).resolve().parent.parent
FACES = REPO.parent / "shared" / "faces"


def resized_copy(video: Path, size: tuple[int, int], out: Path) -> Path:
    """Write `video` scaled to `size` (width, height) as mp4v; returns `out`."""
    capture = cv2.VideoCapture(str(video))
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        writer.write(cv2.resize(frame, size, interpolation=cv2.INTER_AREA))
    capture.release()
    writer.release()
    return out


def naive_fps(video: Path, known: list[np.ndarray],
              max_frames: int | None = None) -> tuple[int, float]:
    """face_recognition's example loop: every frame, every face, detect + encode + compare
    at its defaults (HOG upsampled once, 5-point alignment, tolerance 0.6), by the dlib
    engine's functions, which make the very dlib calls face_recognition makes; returns
    (frames, seconds) for the whole video or its first `max_frames`."""
    vectors = np.asarray(known, dtype=np.float64)
    capture = cv2.VideoCapture(str(video))
    frames, started = 0, time.perf_counter()
    while max_frames is None or frames < max_frames:
        ok, frame = capture.read()
        if not ok:
            break
        rgb = bgr_to_rgb(frame)
        locations = face_locations(rgb, 1, "hog")
        for encoding in face_encodings(rgb, locations, 1, "small"):
            np.linalg.norm(vectors - encoding, axis=1) <= 0.6  # compare_faces; unused here
        frames += 1
    capture.release()
    return frames, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, default=FACES / "video" / "walkers_royal_opera_house.mp4")
    parser.add_argument("--enrol", type=Path, default=FACES / "enrol" / "walker_01" / "walker_01_frame010_crop.png")
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT the video is scaled to")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        video = resized_copy(args.video, (size[0], size[1]), folder / "video.mp4")
        workspace = Workspace.resolve(AppConfig(), folder / "data", None)
        enrol(workspace, "walker_01", [args.enrol])
        known = list(workspace.store().encoding_table().vectors)

        ours = DoorSession(workspace, SourceSpec.parse(str(video)), DoorListener()).run()
        frames, seconds = naive_fps(video, known)
    naive = frames / seconds
    print(f"video: {args.video.name} scaled to {size[0]}x{size[1]}, {frames} frames")
    print(f"{'naive loop (detect+encode every frame)':<42} {naive:7.1f} frames/s")
    print(f"{'attendance-app run --headless':<42} {ours.fps:7.1f} frames/s")
    print(f"{'speed-up':<42} {ours.fps / naive:7.1f}x")


if __name__ == "__main__":
    main()
