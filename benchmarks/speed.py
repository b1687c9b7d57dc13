"""Will it keep up? Throughput, latency, idle cost, memory and where the time goes.

Synthetic door videos (benchmarks/door_video.py) at 640x360 and 1280x720 with 1, 3 and 6
faces in view are processed twice in one run: by the app's pipeline (what `run --headless`
does) and by face_recognition's example loop (detect and encode every face in every frame).
Every shared person walks by with a photo other than the one they were enrolled with,
between strangers, so the run also counts right, missed and wrong attendance rows.

    uv run python -m benchmarks.speed [--quick] [--naive-frames 100] [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from attendance_app import commands
from attendance_app.config import AppConfig
from attendance_app.pipeline import Pipeline
from attendance_app.sources import SourceSpec, read_file_frames
from attendance_app.workspace import Workspace
from benchmarks.door_video import (DEFAULT_FACES, DoorScene, Person, crowd_scene, render,
                                   shared_strangers)
from benchmarks.headless_vs_naive import naive_fps

SIZES = ((640, 360), (1280, 720))
FACES_FILE = "faces.sqlite3"
EVENT_GRACE_FRAMES = 25
"""A row may be written this long after its person left the picture (the encoder lags)."""
FACES_IN_VIEW = (1, 3, 6)
IDLE_FRAMES = 1000
"""Length of the empty-corridor video: several full-scan intervals, so their cost counts."""


def known_people(faces_dir: Path) -> list[tuple[str, Path, Path]]:
    """(name, enrolment photo, a different photo to walk by with) for every shared identity."""
    people = []
    for enrol_root, probe_root in ((faces_dir / "enrol", faces_dir / "probe"),
                                   (faces_dir / "lfw" / "enrol", faces_dir / "lfw" / "probe")):
        for folder in sorted(p for p in enrol_root.iterdir() if p.is_dir()):
            probes = sorted((probe_root / folder.name).iterdir()) if (
                probe_root / folder.name).is_dir() else []
            if probes:
                people.append((folder.name, sorted(folder.iterdir())[0], probes[0]))
    return people


def walkers(faces_dir: Path, count: int) -> list[Person]:
    """`count` walkers, about two known people to one stranger, nobody twice."""
    known = [(name, probe) for name, _, probe in known_people(faces_dir)]
    strangers = shared_strangers(faces_dir) + [
        ("stranger", p) for p in sorted((faces_dir / "lfw" / "stranger").iterdir())]
    mixed: list[Person] = []
    while len(mixed) < count and (known or strangers):
        source = strangers if (len(mixed) % 3 == 2 and strangers) or not known else known
        mixed.append(source.pop(0))
    return mixed


class Stopwatch:
    """Adds up the time spent in chosen methods of chosen objects, by stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, owner: object, method: str, stage: str) -> Callable[[], None]:
        """Time `owner.method` under `stage` from now on; returns what undoes it."""
        original: Callable[..., object] = getattr(owner, method)

        def timed(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started
                self.calls[stage] += 1

        object.__setattr__(owner, method, timed)  # frozen dataclasses too
        return lambda: object.__setattr__(owner, method, original)


@dataclass
class PipelineRun:
    frames: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    decode_s: float = 0.0
    events: list[tuple[int, str]] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    stage_calls: dict[str, int] = field(default_factory=dict)

    @property
    def fps(self) -> float:
        return self.frames / self.wall_s if self.wall_s else 0.0


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (the encoder worker)."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def instrumented_pipeline(workspace: Workspace, watch: Stopwatch, in_worker: bool) -> Pipeline:
    pipeline = workspace.pipeline(workspace.recorder(), encode_in_worker=in_worker)
    pipeline.engine.warm_up()
    watch.wrap(pipeline.engine, "detect", "detection, whole frame")
    watch.wrap(pipeline.engine, "detect_in_regions", "detection, changed regions")
    watch.wrap(pipeline.engine, "encode", "landmarks + encoding")  # split in the table
    watch.wrap(pipeline.tracker, "update", "tracking")
    watch.wrap(pipeline.tracker, "coast", "tracking")
    watch.wrap(pipeline._changes, "changed_boxes", "change finding")  # noqa: SLF001
    return pipeline


def run_pipeline(workspace: Workspace, video: Path, in_worker: bool = True) -> PipelineRun:
    """Process every frame of `video` as `run --headless` does, timing each stage (encoding
    is only seen by the stopwatch when it runs in this process: `in_worker` False)."""
    watch = Stopwatch()
    pipeline = instrumented_pipeline(workspace, watch, in_worker)
    # face_recognition finds the 68 landmarks inside face_encodings, through this function
    # (the engine has imported the module by now: warm_up above)
    api = importlib.import_module("face_recognition.api")
    landmarks_unwrapped = watch.wrap(api, "_raw_face_landmarks", "landmarks")
    result = PipelineRun()
    frames = read_file_frames(SourceSpec.parse(str(video)))
    started, cpu_started = time.perf_counter(), _cpu()
    try:
        while True:
            decode_started = time.perf_counter()
            frame = next(frames, None)
            result.decode_s += time.perf_counter() - decode_started
            if frame is None:
                break
            for event in pipeline.process(frame).events:
                result.events.append((frame.index, event.name))
            result.frames += 1
        result.events += [(result.frames, event.name) for event in pipeline.finish()]
        pipeline.recorder.sync.flush()
        result.wall_s, result.cpu_s = time.perf_counter() - started, _cpu() - cpu_started
    finally:
        landmarks_unwrapped()
    result.stages, result.stage_calls = dict(watch.seconds), dict(watch.calls)
    return result


def decode_only(video: Path) -> tuple[int, float]:
    """Frames and CPU seconds just to read the video: the floor for any pipeline."""
    capture, frames, cpu_started = cv2.VideoCapture(str(video)), 0, _cpu()
    while capture.read()[0]:
        frames += 1
    capture.release()
    return frames, _cpu() - cpu_started


def enrolled_workspace(folder: Path, faces_dir: Path) -> Workspace:
    workspace = Workspace.resolve(AppConfig(), folder, None)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for name, enrol_photo, _ in known_people(faces_dir):
            commands.enrol(workspace, name, [enrol_photo])
    return workspace


def copy_of(enrolled: Workspace, data_dir: Path) -> Workspace:
    """A fresh workspace (empty journal and workbook) with the same people enrolled."""
    data_dir.mkdir()
    (data_dir / FACES_FILE).write_bytes((enrolled.data_dir / FACES_FILE).read_bytes())
    return Workspace.resolve(AppConfig(), data_dir, None)


@dataclass
class Verdict:
    """Track-level attendance outcome of one video."""

    expected: int
    logged_once: int
    logged_twice: int
    wrong_rows: int
    latencies_s: list[float]


def judge(scene: DoorScene, run: PipelineRun) -> Verdict:
    """Compare the events with who walked by, and how soon each known walker was logged.
    A row is wrong unless the person it names was in view shortly before it was written."""
    walks = {w.label: w for w in scene.walkers if w.label != "stranger"}
    first_frame = {label: walk.first_frame for label, walk in walks.items()}
    counts: dict[str, int] = defaultdict(int)
    latencies, wrong = [], 0
    for frame_index, name in run.events:
        walk = walks.get(name)
        if walk is None or not (walk.first_frame <= frame_index
                                <= walk.last_frame + EVENT_GRACE_FRAMES):
            wrong += 1
            continue
        counts[name] += 1
        if counts[name] == 1:
            latencies.append((frame_index - first_frame[name]) / scene.fps)
    return Verdict(len(first_frame), sum(1 for c in counts.values() if c == 1),
                   sum(1 for c in counts.values() if c > 1), wrong, latencies)


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--quick", action="store_true", help="640x360 with 3 faces only")
    parser.add_argument("--naive-frames", type=int, default=100,
                        help="frames the (slow) naive loop is timed on")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    sizes, counts = ((SIZES[0],), (3,)) if args.quick else (SIZES, FACES_IN_VIEW)
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        enrolled = enrolled_workspace(folder / "enrolled", args.faces)
        known = list(enrolled.store().encoding_table().vectors)
        say("## Throughput and attendance (synthetic door videos)")
        say()
        say(_row(["video", "faces in view", "frames", "naive frames/s", "app frames/s",
                  "speed-up", "CPU ms/frame", "logged once", "twice", "wrong rows",
                  "latency median / worst (s)"]))
        say(_row(["---"] * 11))
        profiles: list[tuple[str, PipelineRun]] = []
        for width, height in sizes:
            for faces_in_view in counts:
                scene = crowd_scene(walkers(args.faces, 4 * faces_in_view), faces_in_view,
                                    (width, height))
                video = render(scene, folder / f"door_{width}_{faces_in_view}.mp4")
                name = f"{width}_{faces_in_view}"
                ours = run_pipeline(copy_of(enrolled, folder / f"run_{name}"), video)
                naive_frames, naive_seconds = naive_fps(video, known, args.naive_frames)
                naive = naive_frames / naive_seconds
                verdict = judge(scene, ours)
                latency = (f"{statistics.median(verdict.latencies_s):.2f} / "
                           f"{max(verdict.latencies_s):.2f}" if verdict.latencies_s else "-")
                # Everything in one process: CPU per frame without the worker's start-up.
                profile = run_pipeline(copy_of(enrolled, folder / f"profile_{name}"), video,
                                       in_worker=False)
                say(_row([f"{width}x{height}", faces_in_view, ours.frames, f"{naive:.1f}",
                          f"{ours.fps:.1f}", f"{ours.fps / naive:.1f}x",
                          f"{1000 * profile.cpu_s / profile.frames:.1f}",
                          f"{verdict.logged_once}/{verdict.expected}", verdict.logged_twice,
                          verdict.wrong_rows, latency]))
                profiles.append((f"{width}x{height}, {faces_in_view} faces", profile))

        say()
        say("## Cost with nobody in view")
        say()
        say(_row(["video", "decode only, CPU ms/frame", "app, CPU ms/frame"]))
        say(_row(["---"] * 3))
        for width, height in sizes:
            empty = render(DoorScene((width, height), 25.0, IDLE_FRAMES, ()),
                           folder / f"empty_{width}.mp4")
            frames, decode_cpu = decode_only(empty)
            data = folder / f"empty_{width}"
            workspace = Workspace.resolve(AppConfig(), data, None)
            idle = run_pipeline(workspace, empty, in_worker=False)  # no face, nothing to encode
            say(_row([f"{width}x{height}", f"{1000 * decode_cpu / frames:.2f}",
                      f"{1000 * idle.cpu_s / idle.frames:.2f}"]))

        say()
        say("## Where the time goes (everything in one process; share of wall time, "
            "ms per call)")
        say()
        stages = ["decoding", "change finding", "detection, whole frame",
                  "detection, changed regions", "landmarks", "encoding", "tracking"]
        say(_row(["run", *stages, "voting, journal, rest"]))
        say(_row(["---"] * (len(stages) + 2)))
        for label, run in profiles:
            encoding = run.stages.get("landmarks + encoding", 0) - run.stages.get("landmarks", 0)
            timed = {**run.stages, "decoding": run.decode_s, "encoding": encoding}
            calls = {**run.stage_calls, "decoding": run.frames,
                     "encoding": run.stage_calls.get("landmarks + encoding", 0)}
            cells = [f"{100 * timed.get(s, 0) / run.wall_s:.0f}% "
                     f"({1000 * timed.get(s, 0) / max(calls.get(s, 0), 1):.1f})" for s in stages]
            rest = run.wall_s - sum(timed.get(s, 0) for s in stages)
            say(_row([label, *cells, f"{100 * rest / run.wall_s:.0f}%"]))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say()
        say(f"Peak memory of the whole benchmark process: {peak_mb:.0f} MB")
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
