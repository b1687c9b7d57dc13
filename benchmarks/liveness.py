"""Liveness per mode: do photo attacks log anybody, do real people pass, and at what cost.

Attacks: for each of the 32 shared people with a second photo (12 of the shared set, 20
of LFW), enrolled from their enrolment photo, that very photo printed and held up at
1280x720, and the other photo on a phone at 640x360, each moved across the frame, turned,
tilted and brought nearer by hand (benchmarks/photo_attack.py), 4 s each; and a door video of
benchmarks/door_video.py, whose walkers are still photos sliding by (flat by
construction). Each is processed as `run --headless` does, per liveness mode: the rows
written (any row is an attack that got through), the refusals noted, and whether any
track passed the check at all (whoever it was taken for).

Real people: the walkers video (../shared/faces/video, 1920x1080, 4.2 s), walker_01
enrolled from the largest face of his photo. His row, and on which frame, per mode. Then
every face in view there for MIN_SECONDS or more is checked as if it were enrolled
(everyone else there is a stranger, whose check would stop once they are settled as
unknown): how many pass, and how soon.

Distributions behind the thresholds, per track: motion's block residual (the largest
value whose four residuals all exceed it, as MotionCheck decides) and blink's lowest eye
aspect ratio relative to the open level, with the longest run of frames below
BLINK_CLOSED of it.
Cost: frames/s of the walkers video per mode, landmark passes per frame and their time.

    uv run python -m benchmarks.liveness [--quick] [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import numpy as np

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_rgb
from attendance_app.camera.sources import SourceSpec, read_file_frames
from attendance_app.cli.enrol import enrol
from attendance_app.config.settings import AppConfig, LivenessConfig
from attendance_app.faces.landmarks import Landmarker
from attendance_app.recognition.identity import TrackIdentity
from attendance_app.recognition.liveness import (
    BLINK_CLOSED,
    MODES,
    MOTION_LOOKS_KEPT,
    MOTION_MIN_FACE_PX,
    MOTION_RESIDUAL,
    Liveness,
    eye_aspect_ratio,
    planar_residual,
)
from attendance_app.recognition.liveness_gate import LivenessGate
from attendance_app.recognition.photos import face_thumbnail, faces_in_photo
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.types import AttendanceEvent, Box, Frame
from benchmarks.speed import copy_of, known_people
from enrolment import NewEncoding
from tests.support.photo_attack import HeldPhoto, render_attack
from tests.support.scenes import DEFAULT_FACES, render, sequential_scene
from trackers import Track

WALKERS_VIDEO = Path("video") / "walkers_royal_opera_house.mp4"
WALKER = "walker_01"
ATTACK_FRAMES = 100
"""4 s at 25 frames/s: longer than anyone waits at a door."""
MIN_SECONDS = 1
"""How long (at 25 frames/s) a real face must be in view, at least once MOTION_MIN_FACE_PX
tall, for its pass rate to count: shorter, nobody could pass."""
QUICK_PEOPLE = 6


@dataclass
class Observed:
    """What one run's liveness saw, per track: (frame, landmarks, face px) per look, the
    frame its check passed on, and the time spent finding landmarks."""

    looks: dict[int, list[tuple[int, np.ndarray, float]]] = field(
        default_factory=lambda: defaultdict(list))
    passed_at: dict[int, int] = field(default_factory=dict)
    landmark_s: list[float] = field(default_factory=list)


class RecordingLiveness(Liveness):
    """Liveness that also keeps what it saw (Observed) and times the landmark model."""

    def __init__(self, mode: str, landmarker: Landmarker, observed: Observed) -> None:
        super().__init__(mode, landmarker)
        self.observed = observed
        self._face_px = 0.0
        find = landmarker.landmarks

        def timed(rgb: np.ndarray, box: Box) -> np.ndarray:
            start = time.perf_counter()
            try:
                return find(rgb, box)
            finally:
                observed.landmark_s.append(time.perf_counter() - start)

        landmarker.landmarks = timed  # type: ignore[method-assign]

    def observe(self, track_id: int, frame_bgr: np.ndarray, box: Box, frame_index: int) -> None:
        self._face_px = box.height
        super().observe(track_id, frame_bgr, box, frame_index)

    def add(self, track_id: int, points: np.ndarray, frame_index: int) -> None:
        super().add(track_id, points, frame_index)
        self.observed.looks[track_id].append((frame_index, points, self._face_px))
        if self.passed(track_id):
            self.observed.passed_at.setdefault(track_id, frame_index)


class EveryFaceGate(LivenessGate):
    """A gate that checks every face until it passes, whoever it is (for pass rates), and
    notes the frames each track was seen on with its face's height (`seen`)."""

    def __init__(self, liveness: Liveness, recorder: AttendanceRecorder | None,
                 min_face_px: int) -> None:
        super().__init__(liveness, recorder, min_face_px)
        self.seen: dict[int, list[tuple[int, float]]] = defaultdict(list)

    def awaits(self, track_id: int, identity: TrackIdentity | None, when: datetime) -> bool:
        return not self.liveness.passed(track_id)

    def saw_frame(self, frame: Frame, boxes: list[Box], tracks: list[Track],
                  identities: Mapping[int, TrackIdentity], detected: bool) -> list[int]:
        for track in tracks:
            if track.time_since_update == 0:
                self.seen[track.track_id].append((frame.index, track.box[3] - track.box[1]))
        return super().saw_frame(frame, boxes, tracks, identities, detected)


@dataclass(frozen=True)
class Run:
    """One video through the pipeline: the names of the rows written, the refusals noted,
    what liveness saw, the frames and the seconds they took (without loading), the frame
    of the first row."""

    rows: list[str]
    refusals: int
    observed: Observed
    frames: int
    seconds: float
    first_row_frame: int | None
    seen: dict[int, list[tuple[int, float]]]
    """Every face's frames in view and heights (with every_face only)."""


def run_video(workspace: Workspace, video: Path, mode: str, every_face: bool = False) -> Run:
    """Process `video` as `run --headless` does (faces encoded in this process, so every
    run is the same), with liveness `mode`."""
    config = replace(workspace.config, liveness=LivenessConfig(mode))
    workspace = Workspace.resolve(config, workspace.data_dir, None)
    rows: list[str] = []
    frame_now = [0]
    first_row: list[int] = []

    def on_event(event: AttendanceEvent) -> None:
        rows.append(event.name)
        first_row.append(frame_now[0])

    recorder = workspace.recorder(on_event=on_event)
    pipeline = workspace.pipeline(recorder, encode_in_worker=False)
    observed = Observed()
    seen: dict[int, list[tuple[int, float]]] = {}
    if mode != "off":
        liveness = RecordingLiveness(mode, Landmarker(pipeline.engine.name), observed)
        gate_type = EveryFaceGate if every_face else LivenessGate
        gate = gate_type(liveness, recorder, workspace.config.detection.min_face_px)
        pipeline.stages = [gate if isinstance(stage, LivenessGate) else stage
                           for stage in pipeline.stages]
        seen = getattr(gate, "seen", {})
    pipeline.engine.warm_up()
    frames, start = 0, time.perf_counter()
    try:
        for frame in read_file_frames(SourceSpec.parse(str(video))):
            frame_now[0] = frame.index
            pipeline.process(frame)
            frames += 1
        seconds = time.perf_counter() - start
        pipeline.finish()
    finally:
        recorder.close()
    refusals = len(recorder.journal.refusals())
    return Run(rows, refusals, observed, frames, seconds, first_row[0] if first_row else None,
               seen)


def enrol_largest_face(workspace: Workspace, name: str, photo: Path) -> None:
    """Enrol `name` from the largest face of `photo` (walker_01's photo shows a woman
    behind him, so the app would refuse it; the tests crop it the same way)."""
    engine = workspace.engine()
    rgb = load_rgb(photo)
    face = faces_in_photo(engine, rgb, certain_only=True)[0]
    workspace.store().enrol(name, [NewEncoding(face.encoding, photo.name,
                                               face_thumbnail(rgb, face.box),
                                               hashlib.sha256(photo.read_bytes()).hexdigest(),
                                               engine.name)])


def attack_videos(folder: Path,
                  people: Sequence[tuple[str, Path, Path]]) -> list[tuple[str, str, Path]]:
    """(person, how, video) per attack: each enrolment photo printed at 1280x720, each
    other photo on a phone at 640x360; pictures of a face alone (150 to 250 px files) are
    held smaller than portraits, so the face is of a door camera's size."""
    videos = []
    for number, (name, enrol_photo, probe) in enumerate(people):
        for how, photo, phone, size in (("print, enrolment photo", enrol_photo, False, (1280, 720)),
                                        ("phone, other photo", probe, True, (640, 360))):
            small = max(load_rgb(photo).shape[:2]) <= 300
            held = HeldPhoto(photo, 0, ATTACK_FRAMES - 1, (0.3, 0.4) if small else (0.45, 0.6),
                             phone=phone, seed=number * 2 + phone)
            path = folder / f"attack_{number:02d}_{'phone' if phone else 'print'}.mp4"
            videos.append((name, how, render_attack([held], path, size)))
    return videos


def largest_block(looks: Sequence[np.ndarray]) -> float:
    """The largest r such that two consecutive looks both differ from two earlier
    consecutive looks (within MOTION_LOOKS_KEPT) by more than r: MotionCheck passes when
    this exceeds MOTION_RESIDUAL."""
    best = 0.0
    count = len(looks)
    residual = {(i, j): planar_residual(looks[i], looks[j])
                for j in range(count) for i in range(max(0, j - MOTION_LOOKS_KEPT + 1), j)}
    for newest in range(3, count):
        for first in range(max(0, newest - MOTION_LOOKS_KEPT + 1), newest - 2):
            best = max(best, min(residual[first, newest - 1], residual[first, newest],
                                 residual[first + 1, newest - 1], residual[first + 1, newest]))
    return best


def eye_dips(looks: Sequence[tuple[int, np.ndarray, float]]) -> tuple[float, int]:
    """(lowest eye aspect ratio over the median, longest run of consecutive frames below
    BLINK_CLOSED of the median) over a track's looks."""
    frames = [frame for frame, _, _ in looks]
    ratios = np.array([eye_aspect_ratio(points) for _, points, _ in looks])
    level = float(np.median(ratios))
    longest = run = 0
    for index, ratio in enumerate(ratios):
        consecutive = index > 0 and frames[index] == frames[index - 1] + 1
        run = (run + 1 if consecutive else 1) if ratio < BLINK_CLOSED * level else 0
        longest = max(longest, run)
    return float(ratios.min() / level), longest


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _spread(values: Sequence[float]) -> str:
    """Median / 90th percentile / largest."""
    if not values:
        return "-"
    ordered = sorted(values)
    return (f"{statistics.median(ordered):.3f} / {ordered[int(0.9 * (len(ordered) - 1))]:.3f}"
            f" / {ordered[-1]:.3f}")


def _range(values: Sequence[float]) -> str:
    """Lowest / median / largest."""
    if not values:
        return "-"
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def attack_table(say: Callable[[str], None], folder: Path, enrolled: Workspace,
                 videos: list[tuple[str, str, Path]], door: Path, door_people: int) -> dict:
    """Rows, refusals and passing tracks of the attacks per mode; returns the runs."""
    say("## Photo attacks\n")
    say(f"{len(videos)} attack videos of the enrolled people's own photos "
        f"({ATTACK_FRAMES} frames each) and one door video of {door_people} enrolled people's"
        " photos sliding by. Rows: attendance rows written (every one is an attack that got"
        " through); refused: refusal notes in the journal; passed: videos in which any "
        "followed face passed the check.\n")
    say(_row(["mode", "attack videos", "rows", "refused", "passed", "door video rows",
              "frames/s"]))
    say(_row(["---"] * 7))
    runs: dict[str, list[Run]] = {}
    for mode in MODES:
        mode_runs = []
        for number, (_, _, video) in enumerate(videos):
            workspace = copy_of(enrolled, folder / f"{mode}_{number}")
            mode_runs.append(run_video(workspace, video, mode))
        door_run = run_video(copy_of(enrolled, folder / f"{mode}_door"), door, mode)
        runs[mode] = mode_runs
        rows = sum(len(run.rows) for run in mode_runs)
        frames = sum(run.frames for run in mode_runs)
        seconds = sum(run.seconds for run in mode_runs)
        passed = sum(bool(run.observed.passed_at) for run in mode_runs)
        say(_row([mode, len(mode_runs), rows, sum(run.refusals for run in mode_runs),
                  "-" if mode == "off" else passed, len(door_run.rows),
                  f"{frames / seconds:.1f}"]))
    for mode in MODES[1:]:
        failed = [(name, how) for (name, how, _), run in zip(videos, runs[mode]) if run.rows]
        if failed:
            say(f"\nAttacks that got a row with {mode}: {failed}")
    return runs


def walkers_table(say: Callable[[str], None], folder: Path, enrolled: Workspace,
                  video: Path) -> dict[str, Run]:
    """walker_01's row and every real face's pass per mode; returns the every-face runs."""
    say("\n## Real people: the walkers video\n")
    say(f"{WALKER}'s row (frame of 105 it was written on; 25 frames/s) with only him "
        f"enrolled; then every face in view for {MIN_SECONDS} s or more, at least once "
        f"{MOTION_MIN_FACE_PX} px tall, checked as if enrolled: passed / followed, and the "
        "frames from its first sight to its pass (median, worst). Landmarks per frame: how "
        f"often a face's landmarks were found, with only {WALKER} enrolled (what the app "
        "does), and with every face checked (the worst case); frames/s of the whole video "
        "with faces encoded in this process, on a machine shared with other work; ms: one "
        "face's landmarks (two model runs), median.\n")
    say(_row(["mode", f"{WALKER} row (frame)", "frames/s, him enrolled",
              "landmarks per frame, him enrolled", "faces passed", "frames to pass",
              "frames/s, every face", "landmarks per frame, every face", "ms per landmarks"]))
    say(_row(["---"] * 9))
    every: dict[str, Run] = {}
    for mode in MODES:
        own = run_video(copy_of(enrolled, folder / f"walker_{mode}"), video, mode)
        others = len(own.rows) - own.rows.count(WALKER)
        row = (f"yes ({own.first_row_frame})" if WALKER in own.rows else "no") + (
            f", others {others}" if others else "")
        own_speed = f"{own.frames / own.seconds:.1f}"
        own_calls = f"{len(own.observed.landmark_s) / own.frames:.2f}"
        if mode == "off":
            say(_row([mode, row, own_speed, "-", "-", "-", "-", "-", "-"]))
            continue
        run = every[mode] = run_video(copy_of(enrolled, folder / f"every_{mode}"), video, mode,
                                      every_face=True)
        followed = [t for t, seen in run.seen.items()
                    if len(seen) >= MIN_SECONDS * 25
                    and max(h for _, h in seen) >= MOTION_MIN_FACE_PX]
        waits = [run.observed.passed_at[t] - run.seen[t][0][0]
                 for t in followed if t in run.observed.passed_at]
        calls = len(run.observed.landmark_s)
        say(_row([mode, row, own_speed, own_calls, f"{len(waits)} / {len(followed)}",
                  f"{statistics.median(waits):.0f}, {max(waits)}" if waits else "-",
                  f"{run.frames / run.seconds:.1f}", f"{calls / run.frames:.2f}",
                  f"{1000 * statistics.median(run.observed.landmark_s):.1f}" if calls else "-"]))
    return every


def distributions(say: Callable[[str], None], videos: list[tuple[str, str, Path]],
                  attacks: dict[str, list[Run]], real: dict[str, Run]) -> None:
    """Per track: motion's block residual and blink's eye dips, attacks against real faces."""
    say("\n## What the checks measured, per followed face\n")
    say("Motion: the largest block residual of each track (median / 90th percentile / "
        f"largest over tracks; it passes above {MOTION_RESIDUAL}). Blink: each track's lowest "
        "eye aspect ratio over its median (lowest / median / largest over tracks), and the "
        f"longest run of frames below {BLINK_CLOSED} of it (a blink: 2 to 8 frames), on "
        "faces of 80 px or more.\n")
    say(_row(["faces", "tracks", "motion: block residual", "blink: lowest/median",
              "blink: longest run closed"]))
    say(_row(["---"] * 5))
    for label, motion_runs, blink_runs in (
            ("photo attacks", attacks["motion"], attacks["blink"]),
            ("real (walkers video)", [real["motion"]], [real["blink"]])):
        blocks = [largest_block([p for _, p, _ in looks])
                  for run in motion_runs for looks in run.observed.looks.values()
                  if len(looks) >= 4]
        dips = [eye_dips([look for look in looks if look[2] >= 80])
                for run in blink_runs for looks in run.observed.looks.values()
                if sum(look[2] >= 80 for look in looks) >= 10]
        say(_row([label, len(blocks), _spread(blocks), _range([d[0] for d in dips]),
                  max((d[1] for d in dips), default="-")]))
    real_blocks = sorted(round(largest_block([p for _, p, _ in looks]), 3)
                         for looks in real["motion"].observed.looks.values() if len(looks) >= 4)
    say(f"\nReal tracks' block residuals, each (a track's looks stop when it passes): "
        f"{real_blocks}")
    worst = sorted(((largest_block([p for _, p, _ in looks]), name, how)
                    for (name, how, _), run in zip(videos, attacks["motion"])
                    for looks in run.observed.looks.values() if len(looks) >= 4), reverse=True)
    say("Largest attack block residuals: " + ", ".join(
        f"{block:.3f} ({name}, {how})" for block, name, how in worst[:5]))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--quick", action="store_true",
                        help=f"attacks of {QUICK_PEOPLE} people only")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    people = known_people(args.faces)[:QUICK_PEOPLE if args.quick else None]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        enrolled = Workspace.resolve(AppConfig(), folder / "enrolled", None)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for name, photo, _ in people:
                enrol(enrolled, name, [photo])
        enrol_largest_face(enrolled, WALKER, sorted((args.faces / "enrol" / WALKER).iterdir())[0])
        for part in ("attacks", "walkers"):
            (folder / part).mkdir()
        videos = attack_videos(folder / "videos", people)
        door_people = [(name, probe) for name, _, probe in people[:4]]
        door = render(sequential_scene(door_people), folder / "videos" / "door.mp4")
        attacks = attack_table(say, folder / "attacks", enrolled, videos, door, len(door_people))
        real = walkers_table(say, folder / "walkers", enrolled, args.faces / WALKERS_VIDEO)
        distributions(say, videos, attacks, real)
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
