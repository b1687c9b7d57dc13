"""How soon the command line and the window answer, counted from launch.

Every case runs in a fresh interpreter (the one running this script, with its installed
packages), in an empty folder with an empty data folder and a config.yaml choosing the
engine (`--engine`, default sface), `--runs` times; the table gives the median wall time
from launch and the range:

- `--help`, `people`, `export`: the whole command;
- `identify` on one enrolment photo: until the face models start loading (all it costs
  before any face work) and the whole command (models loaded, the photo looked at);
- `run --headless` on a video: until the door session says the face models are loaded
  (this process's and the encoder worker's) and until the first frame has been through the
  pipeline;
- the window (Qt offscreen) on that video: until it is shown with its event loop running,
  until the face models are loaded, and until the first frame has been through the pipeline.

Import hooks report the marks, so the code measured is unchanged: "models start" is the
first model load of either engine (attendance_app/faces/sface.py's `_models`, or
dlib_models' loaders), "models loaded" is the door session's `models_ready` report (what
turns the window's "Loading face models…" off), "first frame" is the end of the first
`Pipeline.process`. A run ends at its first frame; whatever it started (its encoder worker)
is killed with it before the next run. `uv run` adds its own start (about 0.1-0.2 s) to
every figure.

With --cold, the pages of every file of the environment, of Python's standard library and
of the code measured are dropped from the page cache before each run (posix_fadvise
DONTNEED: only clean pages, nothing else on the machine is touched), so each run reads its
modules from the disk as after a reboot; without it the files are cached (warm).

    uv run python -m benchmarks.cli_startup [--runs 5] [--engine sface|dlib] [--cold]
                                            [--tree PATH [--tree PATH]]

--tree measures another copy of the code with this environment (for example the last commit:
`git archive HEAD | tar -x -C /tmp/before`); given twice, the two take turns run by run and
get a column each, to compare before and after a change on a machine whose load varies.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "faces"
DEFAULT_PHOTO = SHARED / "enrol" / "obama" / "obama.jpg"
DEFAULT_VIDEO = SHARED / "video" / "walkers_royal_opera_house.mp4"

WATCH = '''
import importlib.abc, importlib.util, os, sys, time

def mark(what):  # one write, so marks from two threads never share a line
    os.write(2, f"@@mark {what} {time.time()}\\n".encode())

def once(what):
    if what not in MARKED:
        MARKED.add(what)
        mark(what)

def marking(function, before=None, after=None):
    def call(*args, **kwargs):
        if before:
            once(before)
        result = function(*args, **kwargs)
        if after:
            after()
        return result
    return call

def watch_dlib(module):
    for loader in ("hog_detector", "cnn_detector", "shape_predictor", "encoder"):
        setattr(module, loader, marking(getattr(module, loader), "models-start"))

def watch_sface(module):
    module.SFaceEngine._models = marking(module.SFaceEngine._models, "models-start")

def watch_session(module):
    made = module.DoorSession.__init__
    def __init__(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.listener.models_ready = marking(self.listener.models_ready,
                                             after=lambda: once("models-loaded"))
    module.DoorSession.__init__ = __init__

def first_frame():
    once("first-frame")
    os._exit(0)  # measured what we came for

def watch_pipeline(module):
    module.Pipeline.process = marking(module.Pipeline.process, after=first_frame)

WATCHED = {"attendance_app.faces.dlib_models": watch_dlib,
           "attendance_app.faces.sface": watch_sface,
           "attendance_app.app.door_session": watch_session,
           "attendance_app.recognition.pipeline": watch_pipeline}

class Watch(importlib.abc.MetaPathFinder):
    """Wraps the functions marked, once their module is imported."""

    def find_spec(self, name, path, target=None):
        if name not in WATCHED:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            WATCHED[name](module)

        spec.loader.exec_module = exec_module
        return spec

MARKED = set()
sys.meta_path.insert(0, Watch())
'''

COMMAND = WATCH + '''
import runpy
sys.argv = ["attendance-app", *sys.argv[1:]]
runpy.run_module("attendance_app", run_name="__main__", alter_sys=True)
'''

WINDOW = WATCH + '''
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
QTimer.singleShot(0, lambda: mark("window-shown"))  # first turn of the event loop
from attendance_app.gui.app import run_gui
run_gui(Path("config.yaml"), True, Path(sys.argv[1]), None, sys.argv[2])
'''


def drop_from_cache(roots: Sequence[Path]) -> None:
    """Drop the cached pages of every file under `roots` (clean pages only)."""
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                try:
                    handle = os.open(os.path.join(folder, name), os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(handle, 0, 0, os.POSIX_FADV_DONTNEED)
                finally:
                    os.close(handle)


def run_once(script: str, args: Sequence[str], tree: Path | None, engine: str,
             cold: bool) -> dict[str, float]:
    """Seconds from launch to each mark the child printed, and to its end ("end")."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    if cold:
        paths = sysconfig.get_paths()
        drop_from_cache([Path(paths["purelib"]), Path(paths["platlib"]), Path(paths["stdlib"]),
                         tree or REPO])
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        Path(folder, "config.yaml").write_text(f"recognition:\n  engine: {engine}\n",
                                               encoding="utf-8")
        argv = [part.replace("{data}", str(data)) for part in args]
        started = time.time()
        child = subprocess.Popen([sys.executable, "-c", script, *argv], cwd=folder, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
        _, stderr = child.communicate()
        marks = {"end": time.time() - started}
        try:  # its encoder worker, left behind by os._exit, must not slow the next run
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr[-2000:]}")
    for line in stderr.splitlines():
        if line.startswith("@@mark "):
            _, name, stamp = line.split()
            marks[name] = float(stamp) - started
    return marks


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photo", type=Path, default=DEFAULT_PHOTO)
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--engine", choices=("sface", "dlib"), default="sface")
    parser.add_argument("--cold", action="store_true",
                        help="drop the code's files from the page cache before each run")
    parser.add_argument("--video-only", action="store_true",
                        help="only the cases on the video (to the first frame)")
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="a copy of the code to measure (default: the one this script is "
                             "in); give it twice to compare two, one column each")
    args = parser.parse_args(argv)
    trees: list[Path | None] = [tree.resolve() for tree in args.tree] or [None]
    photo, video = str(args.photo.resolve()), str(args.video.resolve())
    headless = ["run", "--headless", "--source", video, "--data-dir", "{data}"]
    cases = [  # (row, script, arguments, mark)
        ("`--help`", COMMAND, ["--help"], "end"),
        ("`people` (nobody enrolled)", COMMAND, ["people", "--data-dir", "{data}"], "end"),
        ("`export` (empty journal)", COMMAND, ["export", "--data-dir", "{data}"], "end"),
        ("`identify` 1 photo: until the models start loading", COMMAND,
         ["identify", photo, "--data-dir", "{data}"], "models-start"),
        ("`identify` 1 photo: whole command", COMMAND,
         ["identify", photo, "--data-dir", "{data}"], "end"),
        ("`run --headless` on a video: face models loaded", COMMAND, headless, "models-loaded"),
        ("`run --headless` on a video: first frame processed", COMMAND, headless, "first-frame"),
        ("window on a video: shown", WINDOW, ["{data}", video], "window-shown"),
        ("window on a video: face models loaded", WINDOW, ["{data}", video], "models-loaded"),
        ("window on a video: first frame processed", WINDOW, ["{data}", video], "first-frame"),
    ]
    if args.video_only:
        cases = [case for case in cases if video in case[2]]
    commands = list(dict.fromkeys((script, tuple(case_args)) for _, script, case_args, _ in cases))
    runs: dict[tuple[Path | None, str, tuple[str, ...]], list[dict[str, float]]] = {}
    for _ in range(args.runs):  # trees take turns, so a busy moment slows them alike
        for script, case_args in commands:
            for tree in trees:
                runs.setdefault((tree, script, case_args), []).append(
                    run_once(script, case_args, tree, args.engine, args.cold))
    print(f"Python {sys.version.split()[0]}; engine {args.engine}; "
          f"{'cold' if args.cold else 'warm'} file cache; median (min-max) of {args.runs} runs, "
          "seconds\n")
    print("| from launch to | " + " | ".join(str(tree or REPO) for tree in trees) + " |")
    print("| --- |" + " --- |" * len(trees))
    for row, script, case_args, mark in cases:
        cells = []
        for tree in trees:
            times = [marks[mark] for marks in runs[(tree, script, tuple(case_args))]]
            cells.append(f"{statistics.median(times):.2f} ({min(times):.2f}-{max(times):.2f})")
        print(f"| {row} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
