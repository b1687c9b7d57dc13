"""Liveness (mode motion): do photo attacks log anybody, how soon do real people pass, at what cost.

Attacks: for each of the 32 shared people with a second photo (12 of the shared set, 20
of LFW), enrolled from their enrolment photo, that very photo printed and held up at
1280x720, and the other photo on a phone at 640x360, each moved across the frame, turned,
tilted and brought nearer by hand, 4 s each; half of them (alternately) with the print
bent by 60 degrees, the other half by 120 (benchmarks/liveness_parts/attacks.py); and a
door video of benchmarks/door_video.py, whose walkers are still photos sliding by. Each is
processed as `run --headless` does, with liveness off and motion: the rows written (with
motion, any row is an attack that got through), the refusals noted, and per attack video
the highest level its MotionCheck reached (MotionCheck.largest) against MOTION_DRIFT.

Real people: the TV family of ../shared/faces-video (six cast members enrolled from their
photos; they talk, nod and turn; shots cut between them) and the walkers video of
../shared/faces/video (walker_01 enrolled from the largest face of his photo, with the 32
attack people). Who got a row with liveness off and motion, and when (without liveness
the app writes a row as soon as it is sure who the face is: motion's delay over that is the
wait for the check). Then every face followed there is
checked as if it were enrolled (EveryFaceGate): of the tracks in view at least 1 s (and
2 s), at least once MOTION_MIN_FACE_PX tall, how many passed within 1 s, 2 s, at all, and
the pass times, counted from the track's first frame at MOTION_MIN_FACE_PX or more (when
the check can start). Seconds use each file's own frame rate.

Cost: frames/s of both real videos with liveness off and motion, and the time of one look
(Liveness.observe on a face big enough to check).

    uv run python -m benchmarks.liveness [--quick] [--part all|attacks|bent|real]
        [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import statistics
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.cli.enrol import enrol
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.liveness import MOTION_DRIFT, MOTION_MIN_FACE_PX
from benchmarks.liveness_parts.attacks import (
    ATTACK_FRAMES,
    BENDS,
    Attack,
    bent_attacks,
    flat_attacks,
)
from benchmarks.liveness_parts.runs import (
    Run,
    enrol_first_photos,
    enrol_largest_face,
    run_video,
    video_fps,
)
from benchmarks.speed import copy_of, known_people
from tests.support.live_truth import CAST
from tests.support.scenes import DEFAULT_FACES, render, sequential_scene
from tests.support.shared_sets import faces_video_root

WALKERS_VIDEO = Path("video") / "walkers_royal_opera_house.mp4"
TV_VIDEO = Path("video") / "tv_family_dinner.mp4"
WALKER = "walker_01"
QUICK_PEOPLE = 4
Say = Callable[[str], None]


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _p90(values: Sequence[float]) -> float:
    """The 90th percentile, nearest rank (of two values, the larger)."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _spread(values: Sequence[float], digits: int = 4) -> str:
    """Median / 90th percentile / largest."""
    if not values:
        return "-"
    return (f"{statistics.median(values):.{digits}f} / {_p90(values):.{digits}f}"
            f" / {max(values):.{digits}f}")


def attack_section(say: Say, folder: Path, enrolled: Workspace, attacks: list[Attack],
                   door: Path, door_people: int) -> None:
    """Rows, refusals and the levels reached, per set of attacks, liveness off and motion."""
    say("## Photo attacks\n")
    say(f"Each attack video is {ATTACK_FRAMES} frames (4 s at 25 frames/s) of an enrolled "
        "person's photo; the door video shows "
        f"{door_people} enrolled people's photos sliding by. Rows: attendance rows written "
        "(with motion, every one is an attack that got through); refused: refusal notes in "
        "the journal; level: per video the highest level its checks reached "
        f"(MotionCheck.largest; a check passes above MOTION_DRIFT = {MOTION_DRIFT}), "
        "median / 90th percentile / largest over the videos; passed: videos in which a "
        "followed face passed.\n")
    say(_row(["attacks", "videos", "rows, off", "rows, motion", "refused, motion",
              "passed, motion", "level: median / p90 / largest"]))
    say(_row(["---"] * 7))
    named: list[tuple[float, str]] = []
    through: list[str] = []
    sets: dict[str, list[tuple[Attack | None, Path]]] = {}
    for attack in attacks:
        sets.setdefault(attack.how, []).append((attack, attack.video))
    sets["door video (photos sliding by)"] = [(None, door)]
    for how, videos in sets.items():
        off = [run_video(copy_of(enrolled, folder / f"off_{how}_{n}"), video, "off")
               for n, (_, video) in enumerate(videos)]
        motion = [run_video(copy_of(enrolled, folder / f"motion_{how}_{n}"), video, "motion")
                  for n, (_, video) in enumerate(videos)]
        levels = [run.observed.largest_of_all() for run in motion]
        named += [(level, f"{attack.name}, {attack.how}")
                  for (attack, _), level in zip(videos, levels) if attack is not None]
        say(_row([how, len(videos), sum(len(run.rows) for run in off),
                  sum(len(run.rows) for run in motion),
                  sum(len(run.refused) for run in motion),
                  sum(bool(run.observed.passed_at) for run in motion), _spread(levels)]))
        through += [f"{attack.name if attack else how} ({how}): rows {run.names}"
                    for (attack, _), run in zip(videos, motion) if run.rows]
    say("\nGot through with motion: " + ("; ".join(through) if through else "none"))
    top = sorted(named, reverse=True)[:5]
    say("\nHighest levels of all attack videos: " + ", ".join(
        f"{level:.4f} ({what})" for level, what in top))


def rows_section(say: Say, label: str, runs: dict[str, Run], people: Sequence[str],
                 fps: float) -> None:
    """Per enrolled person: when liveness off and motion wrote their row, and the
    refusals."""
    say(f"\n### Rows: {label}\n")
    say(_row(["person", "off: row at (s)", "motion: row at (s)", "motion: later by (s)",
              "motion: refusals"]))
    say(_row(["---"] * 5))
    for person in people:
        off, motion = ([frame for name, frame in runs[mode].rows if name == person]
                       for mode in ("off", "motion"))
        say(_row([person, ", ".join(f"{frame / fps:.2f}" for frame in off) or "**none**",
                  ", ".join(f"{frame / fps:.2f}" for frame in motion) or "**none**",
                  f"{(motion[0] - off[0]) / fps:.2f}" if off and motion else "-",
                  runs["motion"].refused.count(person)]))
    others = {name for mode in ("off", "motion") for name in runs[mode].names} - set(people)
    if others:
        say(f"\nRows for people not in the video: {sorted(others)}")
    strangers = sorted(set(runs["motion"].refused) - set(people))
    if strangers:
        say(f"\nRefusals of people not in the video: {strangers}")


def pass_section(say: Say, runs: dict[str, Run], fps_of: dict[str, float]) -> None:
    """Per video, every face checked as if enrolled: pass rates and pass times."""
    say("\n## Real people: pass times\n")
    say("Every face followed, checked as if enrolled until it passed. Counted: the tracks "
        "in view at least 1 s (and 2 s), at least once "
        f"{MOTION_MIN_FACE_PX} px tall. Pass time: seconds from the track's first frame at "
        f"{MOTION_MIN_FACE_PX} px or more to the frame it passed on (the last column: from "
        "its first frame at all).\n")
    say(_row(["video", "frames/s of the file", "in view at least", "tracks",
              "passed within 1 s", "within 2 s", "at all", "pass time median / p90 (s)",
              "from first frame: median / p90 (s)"]))
    say(_row(["---"] * 9))
    never: list[str] = []
    times: list[str] = []
    for label, run in runs.items():
        fps = fps_of[label]
        for seconds in (1, 2):
            counted = [track for track, seen in run.seen.items()
                       if len(seen) >= seconds * fps
                       and max(h for _, h in seen) >= MOTION_MIN_FACE_PX]
            waits, waits_all = [], []
            for track in counted:
                seen = run.seen[track]
                if track in run.observed.passed_at:
                    big = next(f for f, h in seen if h >= MOTION_MIN_FACE_PX)
                    waits.append((run.observed.passed_at[track] - big) / fps)
                    waits_all.append((run.observed.passed_at[track] - seen[0][0]) / fps)
                elif seconds == 1:
                    never.append(_never_passed(label, track, run, fps))
            say(_row([label, f"{fps:.2f}", f"{seconds} s", len(counted),
                      sum(w <= 1 for w in waits), sum(w <= 2 for w in waits), len(waits),
                      _median_p90(waits), _median_p90(waits_all)]))
            if seconds == 1:
                times.append(f"{label}, pass times (s) of the tracks in view 1 s or more: "
                             f"{sorted(round(w, 2) for w in waits)}")
    for line in times:
        say(f"\n{line}")
    say("\nCounted tracks (1 s) that never passed: " + ("; ".join(never) if never else "none"))


def _median_p90(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.2f} / {_p90(values):.2f}" if values else "-"


def _never_passed(label: str, track: int, run: Run, fps: float) -> str:
    """A track that never passed: when and how long it was in view, how big, how near."""
    seen = run.seen[track]
    big = sum(h >= MOTION_MIN_FACE_PX for _, h in seen)
    return (f"{label} track {track}: frames {seen[0][0]}-{seen[-1][0]}, in view "
            f"{len(seen) / fps:.1f} s, {big} frames at {MOTION_MIN_FACE_PX} px or more (up to "
            f"{max(h for _, h in seen):.0f} px), highest level {run.observed.largest(track):.4f}")


def cost_section(say: Say, runs: dict[str, dict[str, Run]]) -> None:
    """Frames/s per video and mode, and the time of one look."""
    say("\n## Cost\n")
    say("Frames/s of the whole video (faces encoded in this process, on the 2-core machine "
        "shared with other work), with the enrolled people only (what the app does) and "
        "with every face checked (the worst case); looks: Liveness.observe calls on a face "
        f"{MOTION_MIN_FACE_PX} px or more, per frame, and the milliseconds of one.\n")
    say(_row(["video", "frames", "frames/s, off", "frames/s, motion", "looks per frame",
              "frames/s, motion, every face", "looks per frame, every face",
              "ms per look: median / p90 (every face)"]))
    say(_row(["---"] * 8))
    for label, by_mode in runs.items():
        off, motion, every = by_mode["off"], by_mode["motion"], by_mode["every"]
        looks = every.observed.observe_s
        say(_row([label, off.frames, f"{off.frames / off.seconds:.1f}",
                  f"{motion.frames / motion.seconds:.1f}",
                  f"{len(motion.observed.observe_s) / motion.frames:.2f}",
                  f"{every.frames / every.seconds:.1f}", f"{len(looks) / every.frames:.2f}",
                  f"{1000 * statistics.median(looks):.2f} / {1000 * _p90(looks):.2f}"
                  if looks else "-"]))


def real_section(say: Say, folder: Path, enrolled: Workspace, faces_dir: Path) -> None:
    """The TV family and the walkers: rows per mode, pass times, cost."""
    video_root = faces_video_root()
    tv = Workspace.resolve(AppConfig(), folder / "tv", None)
    enrol_first_photos(tv, video_root / "enrol", CAST)
    videos = {"TV family": (tv, video_root / TV_VIDEO, CAST),
              "walkers": (enrolled, faces_dir / WALKERS_VIDEO, (WALKER,))}
    say("\n## Real people: rows\n")
    say("The TV family with its six cast members enrolled from one photo each; the walkers "
        f"with {WALKER} (and the attack people) enrolled. Row at: the second of the video "
        "each row was written at; without liveness the app writes it as soon as it is sure "
        "who the face is, so motion's delay over that is the wait for the check; "
        "refusals: notes of a recognised face that left unpassed.")
    runs: dict[str, dict[str, Run]] = {}
    fps_of: dict[str, float] = {}
    for number, (label, (workspace, video, people)) in enumerate(videos.items()):
        fps = fps_of[label] = video_fps(video)
        by_mode = {mode: run_video(copy_of(workspace, folder / f"real{number}_{mode}"), video,
                                   mode) for mode in ("off", "motion")}
        by_mode["every"] = run_video(copy_of(workspace, folder / f"real{number}_every"), video,
                                     "motion", every_face=True)
        rows_section(say, f"{label} ({video.name}, {by_mode['off'].frames} frames at "
                     f"{fps:.2f} frames/s)", by_mode, people, fps)
        runs[label] = by_mode
    pass_section(say, {label: by_mode["every"] for label, by_mode in runs.items()}, fps_of)
    cost_section(say, runs)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--quick", action="store_true",
                        help=f"attacks of {QUICK_PEOPLE} people only (a smoke run)")
    parser.add_argument("--part", choices=("all", "attacks", "bent", "real"), default="all",
                        help="the photo attacks, the bent prints and door video only, the "
                             "real footage, or all")
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
        if args.part in ("all", "attacks", "bent"):
            videos = folder / "videos"
            attacks = [] if args.part == "bent" else flat_attacks(videos, people)
            for number, bend in enumerate(BENDS):
                attacks += bent_attacks(videos, people[number::len(BENDS)], bend)
            door_people = [(name, probe) for name, _, probe in people[:4]]
            door = render(sequential_scene(door_people), videos / "door.mp4")
            (folder / "attacks").mkdir()
            attack_section(say, folder / "attacks", enrolled, attacks, door, len(door_people))
        if args.part in ("all", "real"):
            (folder / "real").mkdir()
            real_section(say, folder / "real", enrolled, args.faces)
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
