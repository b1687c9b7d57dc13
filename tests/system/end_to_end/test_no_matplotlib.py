"""Nothing the app runs imports matplotlib (issue 24, point 5). filterpy and fer declare it,
so it was installed and bundled (with fontTools, kiwisolver and more, about 60 MB); it is
overridden away now (tests/unit/test_environment.py). An import of it would then fail, and
a caught ImportError would quietly lose a feature, so the check is stronger than "the
commands still work": every interpreter the app starts (the command, the window, their
encoder processes) notes each attempt to import matplotlib or a package only it brings,
through a sitecustomize module on PYTHONPATH, and no attempt may be noted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from attendance_app.app.door_report import SourceState
from tests.support.gui_process import App, assert_clean_exit

WATCH = '''
import importlib.abc, os, sys

LOG = os.environ["NO_MATPLOTLIB_LOG"]
WATCHED = {"matplotlib", "mpl_toolkits", "pylab", "fontTools", "kiwisolver", "contourpy", "cycler"}


def note(line):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(line + "\\n")


class Watch(importlib.abc.MetaPathFinder):
    """Notes an attempt to import a watched package; finds nothing itself."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in WATCHED:
            note(f"tried {name} in {os.getpid()}")
        return None


note(f"watching {os.getpid()}")
sys.meta_path.insert(0, Watch())
'''

COMMANDS = '''
import json, sys
from attendance_app.cli.main import main

if __name__ == "__main__":
    for argv in json.loads(sys.argv[1]):
        assert main(argv) == 0, argv
'''


def _watched(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The environment that makes every Python started with it note watched imports, and
    the file they are noted in."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(WATCH, encoding="utf-8")
    log = tmp_path / "imports.log"
    return {"PYTHONPATH": str(site), "NO_MATPLOTLIB_LOG": str(log)}, log


def _noted(log: Path) -> tuple[set[str], list[str]]:
    """The processes that watched, and the attempts they noted."""
    lines = log.read_text(encoding="utf-8").splitlines()
    return ({line.split()[1] for line in lines if line.startswith("watching ")},
            [line for line in lines if line.startswith("tried ")])


def test_the_watch_notes_an_import_of_matplotlib(tmp_path: Path) -> None:
    """The check below could fail: an attempt, even one that is caught, is noted."""
    environment, log = _watched(tmp_path)
    probe = "try:\n    import matplotlib.pyplot\nexcept ImportError:\n    pass\n"
    subprocess.run([sys.executable, "-c", probe], env=environment, check=True)
    assert _noted(log)[1] and _noted(log)[1][0].startswith("tried matplotlib ")


def test_commands_with_both_engines_never_try_to_import_matplotlib(
        faces_dir: Path, enrol_dir: Path, tmp_path: Path) -> None:
    """enrol, identify and `run --headless` on the real walkers' video, with the sface
    engine and then with dlib, the expression and age and gender on."""
    environment, log = _watched(tmp_path)
    video = str(faces_dir / "video" / "walkers_royal_opera_house.mp4")
    walker = str(next((enrol_dir / "walker_01").iterdir()))
    obama = str(faces_dir / "enrol" / "obama" / "obama.jpg")
    probe = str(faces_dir / "probe" / "obama" / "obama1.jpg")
    sface, dlib = tmp_path / "sface.yaml", tmp_path / "dlib.yaml"
    sface.write_text("recognition:\n  engine: sface\n", encoding="utf-8")
    dlib.write_text("recognition:\n  engine: dlib\n"
                    "analytics:\n  emotion: true\n  age_gender: true\n", encoding="utf-8")
    commands = []
    for config, data in ((sface, tmp_path / "sface"), (dlib, tmp_path / "dlib")):
        where = ["--config", str(config), "--data-dir", str(data)]
        commands += [["enrol", "walker_01", walker, *where], ["enrol", "obama", obama, *where],
                     ["identify", probe, *where], ["run", "--headless", "--source", video, *where]]
    result = subprocess.run([sys.executable, "-c", COMMANDS, json.dumps(commands)],
                            cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("Processed 105 frames") == 2, result.stdout
    watching, tried = _noted(log)
    assert len(watching) >= 3, "the command and its encoder processes should all watch"
    assert tried == []


def test_the_window_on_a_video_never_tries_to_import_matplotlib(
        faces_dir: Path, tmp_path: Path) -> None:
    environment, log = _watched(tmp_path)
    app = App(tmp_path, str(faces_dir / "video" / "walkers_royal_opera_house.mp4"),
              GUI_CLOSE_AT=SourceState.ENDED, **environment)
    app.wait_for("closing")
    assert_clean_exit(*app.finish(terminate=False))
    watching, tried = _noted(log)
    assert len(watching) >= 2, "the window and its encoder process should both watch"
    assert tried == []
