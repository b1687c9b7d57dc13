"""Soak test (not run in CI): the pipeline over a long synthetic door video.

A door camera runs for weeks; a slow leak (per-track state never dropped, a growing
cache, a journal read on every event) would only show after hours. This script feeds
the real pipeline, recorder, journal and workbook a long crowd scene of real face
photos, rendered frame by frame in memory, and prints the process's resident memory,
the live tracks and the per-track identities at regular intervals. Memory should level
off after warm-up and the track counts stay bounded by the faces in view.

    uv run python -m benchmarks.soak [--minutes 10] [--faces-in-view 3] [--size 640x360]
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.cli.enrol import enrol
from attendance_app.config.settings import AppConfig, AttendanceConfig
from attendance_app.types import Frame
from tests.support.scenes import (
    DEFAULT_FACES,
    crowd_scene,
    frames,
    shared_people,
    shared_strangers,
)


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size of a process now, in MiB (Linux /proc); NaN if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def workers_rss_mb() -> float:
    """Resident memory of this process's worker processes (the face encoder), in MiB."""
    return sum(rss_mb(child.pid) for child in multiprocessing.active_children() if child.pid)


def enrol_shared(workspace: Workspace, faces: Path) -> None:
    """Enrol everyone in the shared set's enrol/ folder (one person per sub-folder)."""
    for folder in sorted((faces / "enrol").iterdir()):
        if folder.is_dir():
            enrol(workspace, folder.name, sorted(folder.iterdir()))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the video")
    parser.add_argument("--faces-in-view", type=int, default=3)
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT")
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES, help="shared face folder")
    parser.add_argument("--report-every", type=float, default=30.0, help="video seconds between lines")
    parser.add_argument("--pipeline-only", action="store_true",
                        help="no journal or workbook, to tell their memory from the pipeline's")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    fps = 25.0

    walk = shared_people(args.faces) + shared_strangers(args.faces)
    people_needed = int(args.minutes * 60 / 4.4 * args.faces_in_view) + 1
    scene = crowd_scene((walk * (people_needed // len(walk) + 1))[:people_needed],
                        args.faces_in_view, (width, height), fps)
    with tempfile.TemporaryDirectory() as folder:
        # A short cooldown keeps events (journal commits, workbook saves) coming all along.
        config = replace(AppConfig(), attendance=AttendanceConfig(cooldown_minutes=0.5))
        workspace = Workspace.resolve(config, Path(folder), None)
        enrol_shared(workspace, args.faces)
        pipeline = workspace.pipeline(None if args.pipeline_only else workspace.recorder())
        pipeline.engine.warm_up()
        clock = datetime.now()
        every = int(args.report_every * fps)
        print(f"{scene.frame_count} frames ({scene.frame_count / fps / 60:.1f} min of video), "
              f"{len(scene.walkers)} walks, {args.faces_in_view} faces in view, {width}x{height}")
        print(f"{'video s':>8} {'wall s':>7} {'RSS MiB':>8} {'worker MiB':>10} {'tracks':>7} "
              f"{'identities':>10} {'events':>7}")
        started, events, peak_tracks = time.perf_counter(), 0, 0
        try:
            for index, image in enumerate(frames(scene)):
                # Video time, not wall time, drives the cooldown, as a live camera would.
                stamp = clock + timedelta(seconds=index / fps)
                events += len(pipeline.process(Frame(image, index, stamp)).events)
                tracks = len(pipeline.tracker.live_track_ids)
                peak_tracks = max(peak_tracks, tracks)
                if index % every == 0 or index == scene.frame_count - 1:
                    print(f"{index / fps:8.0f} {time.perf_counter() - started:7.0f} "
                          f"{rss_mb():8.1f} {workers_rss_mb():10.1f} {tracks:7d} "
                          f"{len(pipeline._identities):10d} {events:7d}", flush=True)
        finally:
            events += len(pipeline.finish())  # also stops the encoder's worker process
        print(f"peak live tracks {peak_tracks}; {events} events")


if __name__ == "__main__":
    main()
