"""Track-level accuracy: is every enrolled walk-by logged once, and no stranger ever?

Every probe photo of the 33 shared people walks past the door once, between the 39
strangers, in synthetic videos (three faces in view) processed as `run --headless` does.
Each round is a fresh day (new journal), with at most one walk-by per person, so each
known walk-by should give exactly one row and nothing else should give any. Three ways
of enrolling are compared: from the enrolment photo only, and from it plus the person's
first one or two probe photos (which then do not walk by).

    uv run python -m benchmarks.door_accuracy
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

from attendance_app import commands
from attendance_app.config import AppConfig
from attendance_app.workspace import Workspace
from benchmarks.door_video import DEFAULT_FACES, Person, crowd_scene, render, shared_strangers
from benchmarks.speed import copy_of, judge, run_pipeline

FACES_IN_VIEW = 3


def identities(faces_dir: Path) -> list[tuple[str, Path, list[Path]]]:
    """(name, enrolment photo, probe photos) of every shared person."""
    people = []
    for root in (faces_dir, faces_dir / "lfw"):
        for folder in sorted(p for p in (root / "enrol").iterdir() if p.is_dir()):
            probe_folder = root / "probe" / folder.name
            probes = sorted(probe_folder.iterdir()) if probe_folder.is_dir() else []
            people.append((folder.name, sorted(folder.iterdir())[0], probes))
    return people


def all_strangers(faces_dir: Path) -> list[Person]:
    return shared_strangers(faces_dir) + [
        ("stranger", p) for p in sorted((faces_dir / "lfw" / "stranger").iterdir())]


def rounds(walk_bys: list[list[Person]], strangers: list[Person]) -> list[list[Person]]:
    """Round r walks everyone's r-th probe, with a share of the strangers mixed in."""
    count = max(len(w) for w in walk_bys)
    videos = []
    for number in range(count):
        known = [w[number] for w in walk_bys if len(w) > number]
        extra = strangers[number::count]
        mixed: list[Person] = []
        for index in range(max(len(known), len(extra))):
            mixed += known[index:index + 1] + extra[index:index + 1]
        videos.append(mixed)
    return videos


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=DEFAULT_FACES)
    args = parser.parse_args(argv)
    people, strangers = identities(args.faces), all_strangers(args.faces)
    print("| enrolment | walk-bys | logged once | logged twice | missed | wrong rows "
          "(stranger or wrong person) |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for photos_each in (1, 2, 3):
            enrolled = Workspace.resolve(AppConfig(), folder / f"enrolled_{photos_each}", None)
            walk_bys: list[list[Person]] = []
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                for name, enrol_photo, probes in people:
                    commands.enrol(enrolled, name, [enrol_photo, *probes[:photos_each - 1]])
                    walk_bys.append([(name, p) for p in probes[photos_each - 1:]])
            expected = once = twice = wrong = 0
            for number, walkers in enumerate(rounds(walk_bys, strangers)):
                scene = crowd_scene(walkers, FACES_IN_VIEW)
                video = render(scene, folder / f"round_{photos_each}_{number}.mp4")
                run = run_pipeline(copy_of(enrolled, folder / f"day_{photos_each}_{number}"),
                                   video)
                verdict = judge(scene, run)
                expected += verdict.expected
                once += verdict.logged_once
                twice += verdict.logged_twice
                wrong += verdict.wrong_rows
            label = f"{photos_each} photo{'s' * (photos_each > 1)} per person"
            print(f"| {label} | {expected} | {once} ({once / expected:.1%}) | {twice} | "
                  f"{expected - once - twice} | {wrong} |", flush=True)


if __name__ == "__main__":
    main()
