"""One core, two faces (issue 21): the same sources through `run --headless` (a real
child process, as a user types it) and through the window's VideoWorker (the real
QObject in its own QThread, offscreen) give the same rows, the same expressions and the
same refusals, each into its own copy of one enrolled data folder.

The bug this guards against: the two doors had a loop each, and they drifted. A folder
of class folders logged 6 people on the command line and nobody in the window; the
window's photo rows had no expression.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QThread

from attendance_app.app.door_photos import liveness_note
from attendance_app.app.workspace import Workspace
from attendance_app.camera.sources import SourceSpec
from attendance_app.config.settings import load_config
from attendance_app.gui.video_worker import VideoWorker
from attendance_app.recognition.liveness import withdrawn_note
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.records.journal import Journal
from tests.support.faults_support import cli

PEOPLE = ("obama", "biden", "bbt_amy", "bbt_raj", "bbt_penny", "bbt_leonard")
"""In the class photos below: obama_and_biden.jpg has the first two, bbt4.jpg the rest
(with bbt_sheldon and bbt_bernadette, who are not enrolled)."""
WALKERS = Path("video") / "walkers_royal_opera_house.mp4"
WORKER_TIMEOUT_MS = 180_000


@dataclass(frozen=True)
class Door:
    """What one door left behind: its rows as (name, kind, expression label or None),
    the names it refused, and the warnings it gave."""

    rows: list[tuple[str, str, str | None]]
    refused: list[str]
    warnings: list[str]
    notes: list[str]  # information, such as liveness not checked for photos (issue 27)


def _left_behind(data: Path, warnings: list[str], notes: list[str]) -> Door:
    journal = Journal(data / "journal.sqlite3")
    rows = sorted((e.name, e.kind, e.expression.label if e.expression else None)
                  for e in journal.events())
    return Door(rows, sorted(r.name for r in journal.refusals()), warnings, notes)


@pytest.fixture(scope="module")
def enrolled(faces_dir: Path, enrol_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with PEOPLE and walker_01 enrolled from their enrolment photos."""
    data = tmp_path_factory.mktemp("enrolled")
    workspace = Workspace.resolve(load_config(None), data, None)
    store, engine = workspace.store(), workspace.engine()
    for name in PEOPLE:
        store.enrol(name, [enrolment_shot(engine, next((faces_dir / "enrol" / name).iterdir()), 40)])
    crop = next((enrol_dir / "walker_01").iterdir())
    store.enrol("walker_01", [enrolment_shot(engine, crop, 40)])
    return data


def _copy_of(enrolled: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(enrolled / "faces.sqlite3", folder / "faces.sqlite3")
    return folder


def _headless(source: Path, data: Path, settings: Path) -> Door:
    result = cli("run", "--headless", "--source", str(source), "--data-dir", str(data),
                 "--config", str(settings))
    assert result.returncode == 0, result.stderr
    warnings = [line.removeprefix("warning: ") for line in result.stderr.splitlines()
                if line.startswith("warning: ")]
    notes = [line.removeprefix("note: ") for line in result.stderr.splitlines()
             if line.startswith("note: ")]
    return _left_behind(data, warnings, notes)


def _window(qtbot, source: Path, data: Path, settings: Path) -> Door:  # noqa: ANN001
    workspace = Workspace.resolve(load_config(settings), data, None)
    worker = VideoWorker(workspace, SourceSpec.parse(str(source)), workspace.store())
    warnings: list[str] = []
    worker.failed.connect(warnings.append)
    notes: list[str] = []
    worker.informed.connect(notes.append)
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    with qtbot.waitSignal(worker.finished, timeout=WORKER_TIMEOUT_MS):
        thread.start()
    thread.quit()
    assert thread.wait(10_000)
    return _left_behind(data, warnings, notes)


def _both(qtbot, enrolled: Path, tmp_path: Path, source: Path,  # noqa: ANN001
          settings: str) -> tuple[Door, Door]:
    config = tmp_path / "config.yaml"
    config.write_text(settings, encoding="utf-8")
    headless = _headless(source, _copy_of(enrolled, tmp_path / "headless"), config)
    window = _window(qtbot, source, _copy_of(enrolled, tmp_path / "window"), config)
    return headless, window


def test_a_folder_of_class_folders_logs_the_same_people_with_expressions_at_both_doors(
        qtbot, faces_dir: Path, enrolled: Path, tmp_path: Path) -> None:
    """class_5b/a and class_5b/b hold one group photo each: both doors log the 6 enrolled
    people in them (the window logged nobody: it looked only at the folder itself), and
    with analytics.emotion on every row carries the same expression at both."""
    classes = tmp_path / "class_5b"
    for folder, photo in (("a", "obama_and_biden.jpg"), ("b", "bbt4.jpg")):
        (classes / folder).mkdir(parents=True)
        shutil.copy(faces_dir / "group" / photo, classes / folder / photo)

    headless, window = _both(qtbot, enrolled, tmp_path, classes, "analytics:\n  emotion: true\n")

    assert [name for name, _, _ in headless.rows] == sorted(PEOPLE)
    assert all(kind == "in" and label is not None for _, kind, label in headless.rows)
    assert window.rows == headless.rows
    assert window.warnings == headless.warnings == []


def test_a_group_photo_with_liveness_on_is_logged_at_both_doors_which_say_why(
        qtbot, faces_dir: Path, enrolled: Path, tmp_path: Path) -> None:
    """A photo cannot show it is alive: as `run --headless` always did, its people are
    logged; both doors now say that the liveness check does not apply to it."""
    photo = faces_dir / "group" / "two_people.jpg"

    headless, window = _both(qtbot, enrolled, tmp_path, photo, "liveness:\n  mode: motion\n")

    assert headless.rows == [("biden", "in", None), ("obama", "in", None)]
    assert window.rows == headless.rows and window.refused == headless.refused == []
    assert headless.warnings == window.warnings == []  # information, not a warning
    assert headless.notes == window.notes == [liveness_note("motion")]  # once


def test_the_real_video_gives_the_same_rows_and_refusals_at_both_doors(
        qtbot, faces_dir: Path, enrolled: Path, tmp_path: Path) -> None:
    """walker_01 looks down, talks and turns his head in the real walkers video: with
    liveness on (as `blink`, the mode earlier versions offered, now read as motion) both
    doors log him with his expression, refuse nobody, and say once that blink was
    withdrawn."""
    headless, window = _both(qtbot, enrolled, tmp_path, faces_dir / WALKERS,
                             "liveness:\n  mode: blink\nanalytics:\n  emotion: true\n")

    assert [(name, kind) for name, kind, _ in headless.rows] == [("walker_01", "in")]
    assert headless.rows[0][2] is not None and headless.refused == []
    assert window.rows == headless.rows and window.refused == headless.refused
    assert headless.warnings == window.warnings == [withdrawn_note("blink")]
