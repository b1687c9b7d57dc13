"""The window opens before the face models are loaded and says it is loading them (issue 9,
item 6): loading takes seconds, and a window that appears only afterwards looks broken."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.faces.dlib_engine import FaceEngine
from attendance_app.faces.sface import SFaceEngine
from attendance_app.gui.main_window import LOADING_TEXT, MainWindow


def _held(warm_up: Callable[[Any], None], release: threading.Event) -> Callable[[Any], None]:
    """`warm_up` made to wait until `release` is set."""
    def held_warm_up(engine: Any) -> None:
        assert release.wait(60), "the test never let the models load"
        warm_up(engine)

    return held_warm_up


def test_window_says_models_are_loading_until_the_worker_has_loaded_them(
        qtbot, faces_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's model loading is held until the test lets it go, so "before the models
    are ready" is a fact of the test, not a matter of timing."""
    release = threading.Event()
    for engine_class in (FaceEngine, SFaceEngine):  # whichever the settings choose
        monkeypatch.setattr(engine_class, "warm_up", _held(engine_class.warm_up, release))
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    window = MainWindow(workspace, str(faces_dir / "enrol" / "obama" / "obama.jpg"),
                        tmp_path / "config.yaml")
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(200)  # let any signal the worker might (wrongly) have sent arrive
        assert window.isVisible()
        assert window.models_label.isVisible() and window.models_label.text() == LOADING_TEXT
        assert window.workers.current is not None
        # Not qtbot.waitSignal on the worker's signal: it is emitted in the worker's thread,
        # where pytest-qt's handler then runs, and when that comes before the test's event
        # loop has started, the loop is told to quit before it runs and waits forever. The
        # window's own slot runs in this thread, queued: wait for what it shows.
        release.set()
        qtbot.waitUntil(lambda: not window.models_label.isVisible(), timeout=60_000)
    finally:
        release.set()
        window.close()


def test_no_loading_message_when_the_source_cannot_be_used(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path / "data", None)
    window = MainWindow(workspace, str(tmp_path / "missing.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    assert window.banner.isVisible() and not window.models_label.isVisible()
    window.close()
