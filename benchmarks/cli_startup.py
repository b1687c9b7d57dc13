"""How soon the command line and the window answer, counted from launch.

Every case runs in a fresh interpreter (the one running this script, with its installed
packages), in an empty folder with an empty data folder, `--runs` times; the table gives the
median wall time from launch and the range:

- `--help`, `people`, `export`: the whole command;
- `identify` on one enrolment photo: until the face models start loading (all it costs
  before any face work) and the whole command (models loaded, the photo looked at);
- the window (Qt offscreen) on that photo: until it is shown with its event loop running,
  and until its worker has loaded the face models.

"Models loading" is from the first to the end of the last of the dlib engine's model loads
(attendance_app/faces/dlib_models.py: its detector, shape predictor, then encoder, as
`warm_up` loads them); an import hook reports it, so the code measured is unchanged.
`uv run` adds its own start (about 0.1-0.2 s) to every figure.

    uv run python -m benchmarks.cli_startup [--runs 5] [--tree PATH [--tree PATH]]

--tree measures another copy of the code with this environment (for example the last commit:
`git archive HEAD | tar -x -C /tmp/before`); given twice, the two take turns run by run and
get a column each, to compare before and after a change on a machine whose load varies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PHOTO = REPO.parent / "shared" / "faces" / "enrol" / "obama" / "obama.jpg"

WATCH_MODELS = '''
import importlib.abc, importlib.util, os, sys, time

def mark(what):  # one write, so marks from two threads never share a line
    os.write(2, f"@@mark {what} {time.time()}\\n".encode())

class WatchModels(importlib.abc.MetaPathFinder):
    """Marks the first model load of the dlib engine and the end of its encoder's (the last
    `warm_up` loads), by wrapping dlib_models' loaders once the module is imported."""

    def find_spec(self, name, path, target=None):
        if name != "attendance_app.faces.dlib_models":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            for loader in ("hog_detector", "cnn_detector", "shape_predictor", "encoder"):
                setattr(module, loader, watched(loader, getattr(module, loader)))

        spec.loader.exec_module = exec_module
        return spec

def watched(loader, load):
    def call(*args):
        if not MARKED:
            MARKED.append(mark("models-start"))
        model = load(*args)
        if loader == "encoder" and len(MARKED) == 1:
            MARKED.append(mark("models-loaded"))
            if AFTER_MODELS is not None:
                AFTER_MODELS()
        return model
    return call

MARKED = []
AFTER_MODELS = None
sys.meta_path.insert(0, WatchModels())
'''

COMMAND = WATCH_MODELS + '''
import runpy
sys.argv = ["attendance-app", *sys.argv[1:]]
runpy.run_module("attendance_app", run_name="__main__", alter_sys=True)
'''

WINDOW = WATCH_MODELS + '''
import os
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

AFTER_MODELS = lambda: os._exit(0)  # measured what we came for; the worker is mid-photo
app = QApplication([])
QTimer.singleShot(0, lambda: mark("window-shown"))  # first turn of the event loop
from attendance_app.gui.app import run_gui
run_gui(Path("config.yaml"), False, Path(sys.argv[1]), None, sys.argv[2])
'''


def run_once(script: str, args: Sequence[str], tree: Path | None) -> dict[str, float]:
    """Seconds from launch to each mark the child printed, and to its end ("end")."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        argv = [part.replace("{data}", str(data)) for part in args]
        started = time.time()
        result = subprocess.run([sys.executable, "-c", script, *argv], cwd=folder, env=env,
                                capture_output=True, text=True, check=False)
        marks = {"end": time.time() - started}
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    for line in result.stderr.splitlines():
        if line.startswith("@@mark "):
            _, name, stamp = line.split()
            marks[name] = float(stamp) - started
    return marks


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--photo", type=Path, default=DEFAULT_PHOTO)
    parser.add_argument("--tree", type=Path, action="append", default=[],
                        help="a copy of the code to measure (default: the one this script is "
                             "in); give it twice to compare two, one column each")
    args = parser.parse_args(argv)
    trees: list[Path | None] = [tree.resolve() for tree in args.tree] or [None]
    photo = str(args.photo.resolve())
    cases = [  # (row, script, arguments, mark)
        ("`--help`", COMMAND, ["--help"], "end"),
        ("`people` (nobody enrolled)", COMMAND, ["people", "--data-dir", "{data}"], "end"),
        ("`export` (empty journal)", COMMAND, ["export", "--data-dir", "{data}"], "end"),
        ("`identify` 1 photo: until the models start loading", COMMAND,
         ["identify", photo, "--data-dir", "{data}"], "models-start"),
        ("`identify` 1 photo: whole command", COMMAND,
         ["identify", photo, "--data-dir", "{data}"], "end"),
        ("window: shown", WINDOW, ["{data}", photo], "window-shown"),
        ("window: face models loaded", WINDOW, ["{data}", photo], "models-loaded"),
    ]
    commands = list(dict.fromkeys((script, tuple(case_args)) for _, script, case_args, _ in cases))
    runs: dict[tuple[Path | None, str, tuple[str, ...]], list[dict[str, float]]] = {}
    for _ in range(args.runs):  # trees take turns, so a busy moment slows them alike
        for script, case_args in commands:
            for tree in trees:
                runs.setdefault((tree, script, case_args), []).append(
                    run_once(script, case_args, tree))
    print(f"Python {sys.version.split()[0]}; median (min-max) of {args.runs} runs, seconds\n")
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
