"""Voiding a wrong row in the real window's today list (issue 13, part 1).

A door video plays in the window with a tolerance loose enough that a real stranger is
taken for an enrolled look-alike; the row is voided through the list's own button and
dialog while the video plays, and when the stranger walks by again later in the same
video he gets no row. After a restart the row is still shown void, and a row voided
with no video running reaches the workbook too.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from pathlib import Path

import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.faces.sface import SFaceEngine
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.video_worker import SourceState
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.records.voiding import current_user
from exports import ExcelWorkbook
from tests.support.gui_actions import void_selected
from tests.support.look_alike import LOOK_ALIKE, LOOSE_SFACE_TOLERANCE, PERSON
from tests.support.scenes import probe_photo, render, sequential_scene

VIDEO_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def door_video(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The look-alike walks by, then Obama, then the look-alike again."""
    stranger = ("look-alike", faces_dir / LOOK_ALIKE)
    obama = ("obama", probe_photo(faces_dir, "obama"))
    return render(sequential_scene([stranger, obama, stranger]),
                  tmp_path_factory.mktemp("video") / "door.mp4")


def loose_workspace(faces_dir: Path, data_dir: Path) -> Workspace:
    """Padraig Harrington and Obama enrolled, at a tolerance that takes the look-alike for
    Padraig (tests/support/look_alike.py says how near he is)."""
    defaults = AppConfig()
    config = replace(defaults, recognition=replace(defaults.recognition, engine="sface",
                                                   sface_tolerance=LOOSE_SFACE_TOLERANCE))
    workspace = Workspace.resolve(config, data_dir, None)
    store, engine = workspace.store(), SFaceEngine()
    for name, photo in ((PERSON, faces_dir / "lfw" / "enrol" / PERSON / f"{PERSON}_0001.jpg"),
                        ("obama", faces_dir / "enrol" / "obama" / "obama.jpg")):
        store.enrol(name, [enrolment_shot(engine, photo, 60)])
    return workspace


def voids_in_workbook(workspace: Workspace) -> list[str | None]:
    return [row.void for row in ExcelWorkbook(workspace.workbook_path).read_rows()]


def test_void_in_todays_list_sticks_in_the_running_window(qtbot, faces_dir: Path, tmp_path: Path,
                                                          door_video: Path) -> None:
    workspace = loose_workspace(faces_dir, tmp_path)
    window = MainWindow(workspace, str(door_video), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    panel = window.panel
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=VIDEO_TIMEOUT_MS)
    wrong = panel.event_at(0)
    assert wrong.name == PERSON and wrong.distance > 0.6, "premise: the look-alike was logged"
    assert window.camera_label.text() == SourceState.PLAYING, "premise: voided while it plays"
    assert not panel.void_button.isEnabled(), "nothing selected, nothing to void"

    panel.table.selectRow(0)
    void_selected(qtbot, window, "not Padraig: a visitor")
    name_cell = panel.table.item(0, 1)
    assert name_cell.text() == PERSON and name_cell.font().strikeOut()
    assert "not Padraig: a visitor" in name_cell.toolTip()
    assert panel.title.text().endswith("nobody yet (1 voided)")
    assert not panel.void_button.isEnabled(), "a void row cannot be voided again"
    marked = workspace.journal().event(wrong.event_id or 0)
    assert marked is not None and marked.void is not None
    assert (marked.void.by, marked.void.reason) == (current_user(), "not Padraig: a visitor")
    assert len(workspace.store().negative_table("sface").person_ids) >= 1
    qtbot.waitUntil(lambda: voids_in_workbook(workspace) == [marked.void.describe()],
                    timeout=30_000)

    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED,
                    timeout=VIDEO_TIMEOUT_MS)
    assert panel.names() == ["obama", PERSON], "the look-alike walked by again: no new row"
    assert [event.void is None for event in workspace.journal().events()] == [False, True]
    assert panel.title.text().endswith("1 arrival (1 voided)")
    window.close()

    restarted = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(restarted)
    assert restarted.panel.table.item(1, 1).font().strikeOut(), "loaded from the journal, void"
    assert not restarted.panel.table.item(0, 1).font().strikeOut()
    restarted.panel.table.selectRow(0)
    void_selected(qtbot, restarted, "test row")  # no video runs: the window writes the workbook
    qtbot.waitUntil(lambda: all(voids_in_workbook(workspace)), timeout=30_000)
    restarted.close()
