"""Will it keep up? Throughput, latency, idle cost, memory and where the time goes, per engine.

Synthetic door videos (benchmarks/door_video.py) at 640x360 and 1280x720 with 1, 3 and 6
faces in view are processed by the app's pipeline (what `run --headless` does) with each
face engine (`dlib`; `sface`: OpenCV YuNet + SFace), chosen through the settings as a user
chooses it, and once by face_recognition's example loop (detect and encode every face in
every frame with dlib, by the same dlib calls), the baseline for both. Every shared person walks by with a photo
other than the one they were enrolled with, between strangers, so the run also counts
right, missed and wrong attendance rows.

The sface engine runs its networks on OpenCV's threads (one per core by default) in the
app's process and in its encoder worker process alike, so on a small machine the two
compete. The last table runs it with other thread counts: cv2.setNumThreads in this
process, OPENCV_FOR_THREADS_NUM for the worker (which OpenCV reads when the worker starts).

    uv run python -m benchmarks.speed [--engine dlib|sface|both] [--quick]
        [--naive-frames 100] [--thread-repeats 5] [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import math
import multiprocessing
import os
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2

from attendance_app.app.workspace import Workspace
from attendance_app.camera.sources import SourceSpec, read_file_frames
from attendance_app.cli.enrol import enrol
from attendance_app.config.settings import AppConfig
from attendance_app.faces import dlib_engine
from attendance_app.recognition.pipeline import Pipeline
from attendance_app.types import Box
from benchmarks.headless_vs_naive import naive_fps
from tests.support.scenes import (
    DEFAULT_FACES,
    DoorScene,
    Person,
    crowd_scene,
    render,
    shared_strangers,
)

ENGINES = ("dlib", "sface")
SIZES = ((640, 360), (1280, 720))
FACES_FILE = "faces.sqlite3"
EVENT_GRACE_FRAMES = 25
"""A row may be written this long after its person left the picture (the encoder lags)."""
FACES_IN_VIEW = (1, 3, 6)
IDLE_FRAMES = 1000
"""Length of the empty-corridor video: several full-scan intervals, so their cost counts."""
THREADS_VARIABLE = "OPENCV_FOR_THREADS_NUM"
"""OpenCV's own setting for its default thread count, read by a process when it starts:
how a benchmark sets the encoder worker's threads without touching the app."""
DEFAULT_THREADS = cv2.getNumThreads()
"""OpenCV's thread count when this benchmark started (one per core unless
OPENCV_FOR_THREADS_NUM was set)."""
THREAD_SETTINGS: tuple[tuple[int | None, int | None], ...] = (
    (None, None), (1, 1), (DEFAULT_THREADS, 1), (1, DEFAULT_THREADS))
"""(app process, encoder worker) OpenCV threads tried with the sface engine; None is
OpenCV's default."""
THREAD_FACES = (3, 6)
"""Faces in view of the videos the thread settings are compared on."""


def engine_config(engine: str, base: AppConfig | None = None) -> AppConfig:
    """`base` (the built-in settings when None) with `engine` as the face engine, as a user
    would choose it in config.yaml (recognition.engine)."""
    base = base or AppConfig()
    return replace(base, recognition=replace(base.recognition, engine=engine))


def chosen_engines(choice: str) -> tuple[str, ...]:
    """The engines an `--engine dlib|sface|both` option names, in table order."""
    return ENGINES if choice == "both" else (choice,)


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


@contextlib.contextmanager
def opencv_threads(main: int | None, worker: int | None) -> Iterator[None]:
    """Run with `main` OpenCV threads in this process and `worker` in any encoder worker
    started meanwhile (None: OpenCV's default); both are put back afterwards."""
    before, variable = cv2.getNumThreads(), os.environ.get(THREADS_VARIABLE)
    cv2.setNumThreads(DEFAULT_THREADS if main is None else main)
    if worker is None:
        os.environ.pop(THREADS_VARIABLE, None)
    else:
        os.environ[THREADS_VARIABLE] = str(worker)
    try:
        yield
    finally:
        cv2.setNumThreads(before)
        if variable is None:
            os.environ.pop(THREADS_VARIABLE, None)
        else:
            os.environ[THREADS_VARIABLE] = variable


def _opencv_threads_here() -> int:
    return cv2.getNumThreads()


def worker_threads() -> int:
    """OpenCV's thread count in a process started now the way the encoder worker is
    (spawned, inheriting this process's environment)."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_opencv_threads_here)


def threads_label(main: int | None, worker: int | None) -> str:
    def one(count: int | None) -> str:
        return f"{DEFAULT_THREADS} (default)" if count is None else str(count)

    return f"{one(main)} / {one(worker)}"


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


@dataclass(frozen=True)
class Row:
    """One attendance row of a run: the frame being processed when it was written, the
    name on it, and the face whose look decided it (the frame that face was seen on and its
    box there, frame pixels) when the run could tell."""

    frame_index: int
    name: str
    seen_on: int | None = None
    box: Box | None = None


@dataclass
class PipelineRun:
    frames: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    decode_s: float = 0.0
    events: list[Row] = field(default_factory=list)
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


def follow_deciding_faces(pipeline: Pipeline) -> dict[int, tuple[int, Box]]:
    """From now on, note for each event the pipeline writes which face decided it: the
    returned dict maps id(event) to (frame the deciding look was taken on, the face's box
    there). The look that made a track's vote name a person is the last look of that track
    in the batch that produced the event; its box is the one sent to the encoder."""
    sent: dict[tuple[int, int], Box] = {}
    deciding: dict[int, tuple[int, Box]] = {}
    submit, vote = pipeline.encoder.submit, pipeline._vote  # noqa: SLF001

    def submitted(looks: list, rgb: object) -> None:
        for look, box in looks:
            sent[(look.track_id, look.frame_index)] = box
        submit(looks, rgb)

    def voted(looked: list) -> list:
        events = vote(looked)
        identities = pipeline._identities  # noqa: SLF001
        for event in events:
            for look, _ in reversed(looked):
                identity = identities.get(look.track_id)
                if identity is not None and identity.logged_person_id == event.person_id:
                    box = sent.get((look.track_id, look.frame_index))
                    if box is not None:
                        deciding[id(event)] = (look.frame_index, box)
                    break
        return events

    object.__setattr__(pipeline.encoder, "submit", submitted)
    object.__setattr__(pipeline, "_vote", voted)
    return deciding


def run_pipeline(workspace: Workspace, video: Path, in_worker: bool = True) -> PipelineRun:
    """Process every frame of `video` as `run --headless` does, timing each stage (encoding
    is only seen by the stopwatch when it runs in this process: `in_worker` False)."""
    # The wrappers below tie each pipeline (and its engine's models) into reference cycles:
    # free the earlier runs' ones now, outside the timed part, or they pile up.
    gc.collect()
    watch = Stopwatch()
    pipeline = instrumented_pipeline(workspace, watch, in_worker)
    deciding = follow_deciding_faces(pipeline)
    landmarks_unwrapped: Callable[[], None] = lambda: None  # noqa: E731
    if pipeline.engine.name == "dlib":
        # the dlib engine finds the landmarks inside face_encodings, through this function;
        # the sface engine finds its 5 landmarks with the face and aligns inside `encode`
        landmarks_unwrapped = watch.wrap(dlib_engine, "face_shapes", "landmarks")
    result = PipelineRun()

    def rows(frame_index: int, events: Sequence) -> list[Row]:
        return [Row(frame_index, event.name, *deciding.pop(id(event), (None, None)))
                for event in events]

    frames = read_file_frames(SourceSpec.parse(str(video)))
    started, cpu_started = time.perf_counter(), _cpu()
    try:
        while True:
            decode_started = time.perf_counter()
            frame = next(frames, None)
            result.decode_s += time.perf_counter() - decode_started
            if frame is None:
                break
            result.events += rows(frame.index, pipeline.process(frame).events)
            result.frames += 1
        result.events += rows(result.frames, pipeline.finish())
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


def enrolled_workspace(folder: Path, faces_dir: Path,
                       config: AppConfig | None = None) -> Workspace:
    """Everyone of known_people enrolled from their enrolment photo, with the engine
    `config` chooses in use (the store keeps every engine's encodings either way)."""
    workspace = Workspace.resolve(config or AppConfig(), folder, None)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for name, enrol_photo, _ in known_people(faces_dir):
            enrol(workspace, name, [enrol_photo])
    return workspace


def copy_of(enrolled: Workspace, data_dir: Path, config: AppConfig | None = None) -> Workspace:
    """A fresh workspace (empty journal and workbook) with the same people enrolled, and
    the settings of `enrolled` unless `config` is given."""
    data_dir.mkdir()
    (data_dir / FACES_FILE).write_bytes((enrolled.data_dir / FACES_FILE).read_bytes())
    return Workspace.resolve(config or enrolled.config, data_dir, None)


def who_was_there(scene: DoorScene, frame_index: int, box: Box) -> str | None:
    """The label of the walker whose face `box` is on at `frame_index`: among those in view,
    the one whose face patch is centred nearest the box, if within one patch height of
    its centre; None when no walker is there."""
    width, height = scene.size
    centre_x, centre_y = (box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2
    nearest, label = math.inf, None
    for walker in scene.walkers:
        placement = walker.placement(frame_index)
        if placement is None:
            continue
        x, y, patch = placement
        gap = math.hypot(x * width - centre_x, y * height - centre_y)
        if gap < nearest and gap <= patch * height:
            nearest, label = gap, walker.label
    return label


@dataclass
class Verdict:
    """Track-level attendance outcome of one video.

    wrong_person: rows naming an enrolled person for somebody else's face (another enrolled
    person's, or where nobody walked); strangers_logged: rows naming an enrolled person for
    a stranger's face."""

    expected: int
    logged_once: int
    logged_twice: int
    wrong_person: int
    strangers_logged: int
    latencies_s: list[float]

    @property
    def wrong_rows(self) -> int:
        return self.wrong_person + self.strangers_logged

    @property
    def missed(self) -> int:
        return self.expected - self.logged_once - self.logged_twice


def judge(scene: DoorScene, run: PipelineRun) -> Verdict:
    """Compare the rows with who walked by, and how soon each known walker was logged.
    A row is right when the face that decided it is the named person's; when the run
    could not tell which face that was, when the person it names was in view shortly
    before it was written."""
    walks = {w.label: w for w in scene.walkers if w.label != "stranger"}
    counts: dict[str, int] = defaultdict(int)
    latencies, wrong_person, strangers = [], 0, 0
    for row in run.events:
        walk = walks.get(row.name)
        seen = (who_was_there(scene, row.seen_on, row.box)
                if row.box is not None and row.seen_on is not None else None)
        if seen is not None:
            right = seen == row.name
        else:
            right = walk is not None and (walk.first_frame <= row.frame_index
                                          <= walk.last_frame + EVENT_GRACE_FRAMES)
        if not right:
            if seen == "stranger":
                strangers += 1
            else:
                wrong_person += 1
            continue
        counts[row.name] += 1
        if counts[row.name] == 1:
            latencies.append((row.frame_index - walk.first_frame) / scene.fps)
    return Verdict(len(walks), sum(1 for c in counts.values() if c == 1),
                   sum(1 for c in counts.values() if c > 1), wrong_person, strangers,
                   latencies)


def latency_cell(latencies_s: Sequence[float]) -> str:
    return (f"{statistics.median(latencies_s):.2f} / {max(latencies_s):.2f}"
            if latencies_s else "-")


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


@dataclass(frozen=True)
class DoorVideo:
    """A synthetic door video: who walks where and when, how many faces are in view at
    once, and the file."""

    scene: DoorScene
    faces_in_view: int
    path: Path


def door_videos(folder: Path, faces_dir: Path, sizes: Sequence[tuple[int, int]],
                counts: Sequence[int]) -> list[DoorVideo]:
    """The synthetic door videos: four walkers per face in view, a third of them strangers."""
    videos = []
    for width, height in sizes:
        for in_view in counts:
            scene = crowd_scene(walkers(faces_dir, 4 * in_view), in_view, (width, height))
            videos.append(DoorVideo(scene, in_view,
                                    render(scene, folder / f"door_{width}_{in_view}.mp4")))
    return videos


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--engine", choices=(*ENGINES, "both"), default="both",
                        help="which face engine to measure (default: both)")
    parser.add_argument("--quick", action="store_true", help="640x360 with 3 faces only")
    parser.add_argument("--naive-frames", type=int, default=100,
                        help="frames the (slow) naive loop is timed on; 0 leaves it out")
    parser.add_argument("--thread-repeats", type=int, default=5,
                        help="runs per OpenCV thread setting of the sface engine; 0 leaves "
                             "that table out")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    engines = chosen_engines(args.engine)
    sizes, counts = ((SIZES[0],), (3,)) if args.quick else (SIZES, FACES_IN_VIEW)
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"OpenCV {cv2.__version__}, {os.cpu_count()} CPUs; OpenCV threads: "
        f"{cv2.getNumThreads()} in this process, {worker_threads()} in a worker process "
        f"started as the encoder is ({THREADS_VARIABLE}="
        f"{os.environ.get(THREADS_VARIABLE, 'unset')}).")
    say()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        enrolled = {engine: enrolled_workspace(folder / f"enrolled_{engine}", args.faces,
                                               engine_config(engine))
                    for engine in engines}
        videos = door_videos(folder, args.faces, sizes, counts)
        say("## Throughput and attendance (synthetic door videos)")
        say()
        say("Naive: face_recognition's example loop (dlib, every face of every frame), the "
            "same baseline for both engines.")
        say()
        say(_row(["video", "faces in view", "engine", "frames", "naive frames/s",
                  "app frames/s", "speed-up", "CPU ms/frame", "logged once", "twice",
                  "wrong person", "strangers logged", "latency median / worst (s)"]))
        say(_row(["---"] * 13))
        profiles: list[tuple[str, PipelineRun]] = []
        # the naive loop compares with dlib encodings of the same people
        known = list(Workspace.resolve(engine_config("dlib"), enrolled[engines[0]].data_dir,
                                       None).gallery().table.vectors)
        for door in videos:
            scene, video, in_view = door.scene, door.path, door.faces_in_view
            width, height = scene.size
            naive = None
            if args.naive_frames > 0:
                naive_frames, naive_seconds = naive_fps(video, known, args.naive_frames)
                naive = naive_frames / naive_seconds
            for engine in engines:
                name = f"{engine}_{width}_{in_view}"
                ours = run_pipeline(copy_of(enrolled[engine], folder / f"run_{name}"), video)
                verdict = judge(scene, ours)
                # Everything in one process: CPU per frame without the worker's start-up.
                profile = run_pipeline(copy_of(enrolled[engine], folder / f"profile_{name}"),
                                       video, in_worker=False)
                say(_row([f"{width}x{height}", in_view, engine, ours.frames,
                          f"{naive:.1f}" if naive else "-", f"{ours.fps:.1f}",
                          f"{ours.fps / naive:.1f}x" if naive else "-",
                          f"{1000 * profile.cpu_s / profile.frames:.1f}",
                          f"{verdict.logged_once}/{verdict.expected}", verdict.logged_twice,
                          verdict.wrong_person, verdict.strangers_logged,
                          latency_cell(verdict.latencies_s)]))
                profiles.append((f"{engine}, {width}x{height}, {in_view} faces", profile))

        say()
        say("## Cost with nobody in view")
        say()
        say(_row(["video", "engine", "decode only, CPU ms/frame", "app, CPU ms/frame"]))
        say(_row(["---"] * 4))
        for width, height in sizes:
            empty = render(DoorScene((width, height), 25.0, IDLE_FRAMES, ()),
                           folder / f"empty_{width}.mp4")
            frames, decode_cpu = decode_only(empty)
            for engine in engines:
                workspace = Workspace.resolve(engine_config(engine),
                                              folder / f"empty_{engine}_{width}", None)
                idle = run_pipeline(workspace, empty, in_worker=False)  # nothing to encode
                say(_row([f"{width}x{height}", engine, f"{1000 * decode_cpu / frames:.2f}",
                          f"{1000 * idle.cpu_s / idle.frames:.2f}"]))

        say()
        say("## Where the time goes (everything in one process; share of wall time, "
            "ms per call)")
        say()
        say("sface finds its 5 landmarks with the face (or around the box, in `encode`): "
            "its landmarks are inside encoding.")
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
            cells = [f"{100 * timed[s] / run.wall_s:.0f}% "
                     f"({1000 * timed[s] / max(calls.get(s, 0), 1):.1f})" if s in timed else "-"
                     for s in stages]
            rest = run.wall_s - sum(timed.get(s, 0) for s in stages)
            say(_row([label, *cells, f"{100 * rest / run.wall_s:.0f}%"]))

        if "sface" in engines and args.thread_repeats > 0:
            thread_table(say, folder, enrolled["sface"],
                         [v for v in videos if v.faces_in_view in THREAD_FACES],
                         args.thread_repeats)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        say()
        say(f"Peak memory of the whole benchmark process: {peak_mb:.0f} MB")
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


def thread_table(say: Callable[[str], None], folder: Path, enrolled: Workspace,
                 videos: Sequence[DoorVideo], repeats: int) -> None:
    """The sface engine with each of THREAD_SETTINGS: frames/s as the app runs (encoder
    worker), median of `repeats` runs taken in turn so that a slow spell of the machine
    falls on every setting; and CPU per frame with everything in one process."""
    say("")
    say("## sface: OpenCV threads in the app process and in the encoder worker")
    say("")
    say(f"frames/s: median of {repeats} runs with the encoder worker (lowest-highest); "
        "'one process': one run each with encoding in the app process (only its thread "
        "count applies).")
    say("")
    fps: dict[tuple[int, int | None, int | None], list[float]] = defaultdict(list)
    verdicts: dict[tuple[int, int | None, int | None], list[Verdict]] = defaultdict(list)
    for repeat in range(repeats):
        for number, door in enumerate(videos):
            for main_threads, worker in THREAD_SETTINGS:
                key = (number, main_threads, worker)
                with opencv_threads(main_threads, worker):
                    run = run_pipeline(copy_of(enrolled, folder / (
                        f"threads_{repeat}_{number}_{main_threads}_{worker}")), door.path)
                fps[key].append(run.fps)
                verdicts[key].append(judge(door.scene, run))
    say(_row(["video", "faces in view", "OpenCV threads app / worker", "frames/s",
              "logged once (each run)", "wrong rows", "one process: frames/s",
              "one process: CPU ms/frame"]))
    say(_row(["---"] * 8))
    for number, door in enumerate(videos):
        width, height = door.scene.size
        for main_threads, worker in THREAD_SETTINGS:
            key = (number, main_threads, worker)
            with opencv_threads(main_threads, worker):
                inline = run_pipeline(copy_of(enrolled, folder / (
                    f"threads_inline_{number}_{main_threads}_{worker}")), door.path,
                    in_worker=False)
            rates = fps[key]
            say(_row([f"{width}x{height}", door.faces_in_view,
                      threads_label(main_threads, worker),
                      f"{statistics.median(rates):.1f} ({min(rates):.1f}-{max(rates):.1f})",
                      ", ".join(f"{v.logged_once}/{v.expected}" for v in verdicts[key]),
                      sum(v.wrong_rows for v in verdicts[key]),
                      f"{inline.fps:.1f}", f"{1000 * inline.cpu_s / inline.frames:.1f}"]))


if __name__ == "__main__":
    main()
