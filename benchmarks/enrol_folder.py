"""`enrol --folder` in one process against its pool of worker processes (issue 22, point 6):
people enrolled per second from real one-photo people, and whether both runs store the
same.

The folder holds the first N people of ../shared/faces-scale lfw/enrol, then lfw/pad
(one photo each, linked, never copied), enrolled with --names-from-folders into a fresh
data folder per run, with the default settings: each photo is detected and encoded by
the default engine, and its face by the other one. Each run is timed from the call of
`enrol_folder` to its summary, so the pool's start (spawning the workers, loading their
models) is counted in. The load average is read before each run, and the machine's idle
CPU time during it: the machine's other work takes cores from the pool, and "cores used"
(the run's CPU seconds over its wall seconds) says how many it got.

    uv run python -m benchmarks.enrol_folder [--people 200] [--repeat 2] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from contextlib import closing, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import numpy as np

from attendance_app.app.workspace import Workspace
from attendance_app.cli.enrol import enrol_folder
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photo_pool import worker_count

SCALE = Path(os.environ.get("ATTENDANCE_TEST_FACES_SCALE",
                            Path(__file__).resolve().parents[2] / "shared" / "faces-scale"))


def people_folder(people: int, folder: Path) -> int:
    """`folder` filled with links to the first `people` one-photo people; how many photos."""
    found = [p for kind in ("enrol", "pad") for p in sorted((SCALE / "lfw" / kind).iterdir())]
    if len(found) < people:
        raise SystemExit(f"only {len(found)} people in {SCALE / 'lfw'}")
    photos = 0
    for person in found[:people]:
        (folder / person.name).mkdir(parents=True)
        for photo in person.iterdir():
            (folder / person.name / photo.name).symlink_to(photo)
            photos += 1
    return photos


def stored(data_dir: Path) -> list[tuple[object, ...]]:
    """Each stored encoding's person, engine, source and vector, in the order stored."""
    with closing(sqlite3.connect(data_dir / "faces.sqlite3")) as db:
        return db.execute("SELECT p.name, e.engine, e.source, e.vector FROM encodings e "
                          "JOIN people p ON p.id = e.person_id ORDER BY e.id").fetchall()


@dataclass(frozen=True)
class Run:
    """One `enrol --folder`: wall seconds, CPU seconds of this process and its workers,
    the share of the machine's CPU time that stayed idle meanwhile (0 when other work
    took every core the run left), and its summary's first words."""

    seconds: float
    cpu_seconds: float
    machine_idle: float
    summary: str


def _cpu_jiffies() -> tuple[int, int]:
    """The machine's CPU time so far, in all and idle (Linux /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]


def timed_run(folder: Path, data_dir: Path, workers: int) -> Run:
    """`enrol --folder` of `folder` with `workers` processes, timed."""
    workspace = Workspace.resolve(AppConfig(), data_dir, None)
    out = StringIO()
    before, machine = os.times(), _cpu_jiffies()
    started = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(StringIO()):
        enrol_folder(workspace, folder, underscores_are_spaces=True, workers=workers)
    seconds = time.perf_counter() - started
    after, total_idle = os.times(), _cpu_jiffies()
    cpu = sum(getattr(after, f) - getattr(before, f)
              for f in ("user", "system", "children_user", "children_system"))
    idle = (total_idle[1] - machine[1]) / max(1, total_idle[0] - machine[0])
    summary = next(line for line in out.getvalue().splitlines() if line.startswith("Enrolled"))
    return Run(seconds, cpu, idle, summary.partition(" from ")[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=worker_count(),
                        help="the pool's workers (default: one per usable core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "people"
        photos = people_folder(args.people, folder)
        print(f"{args.people} people, {photos} photos; {os.cpu_count()} cores, pool of "
              f"{args.workers} workers")
        print("| run | workers | load (1 min) | seconds | people/s | CPU s | cores used | "
              "machine idle | summary |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for repeat in range(1, args.repeat + 1):
            speeds = {}
            for workers in (1, args.workers):
                data_dir = Path(temp) / f"data-{repeat}-{workers}"
                load = os.getloadavg()[0]
                run = timed_run(folder, data_dir, workers)
                speeds[workers] = args.people / run.seconds
                print(f"| {repeat} | {workers} | {load:.1f} | {run.seconds:.1f} | "
                      f"{speeds[workers]:.2f} | {run.cpu_seconds:.1f} | "
                      f"{run.cpu_seconds / run.seconds:.2f} | {run.machine_idle:.0%} | "
                      f"{run.summary} |", flush=True)
            serial, pooled = (stored(Path(temp) / f"data-{repeat}-{w}") for w in (1, args.workers))
            same = [row[:3] for row in serial] == [row[:3] for row in pooled] and all(
                np.allclose(np.frombuffer(a[3]), np.frombuffer(b[3]), atol=1e-5)
                for a, b in zip(serial, pooled))
            print(f"|  | ratio | | | {speeds[args.workers] / speeds[1]:.2f}x | | | | "
                  f"stores {'the same' if same else 'DIFFER'} ({len(serial)} encodings) |",
                  flush=True)


if __name__ == "__main__":
    main()
