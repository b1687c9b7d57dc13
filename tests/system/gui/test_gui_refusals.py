"""The liveness check's refusals in the window (offscreen, real widgets): a photo held up
to a door with liveness.mode on shows as a grey "refused" line under today's rows (and in
the status bar), never as a row; a restarted window reads them back from the journal; the
Reports dialog lists the refusals of the day chosen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, LivenessConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.refusals_list import refusal_line
from attendance_app.gui.reports_dialog import ReportsDialog
from attendance_app.gui.video_worker import SourceState
from attendance_app.i18n.dates import time_text
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.recognition.refusal import Refusal
from tests.support.photo_attack import HeldPhoto, render_attack

REASON = "no head movement seen"


def test_a_photo_held_up_shows_a_refused_line_not_a_row(qtbot, faces_dir: Path,
                                                        tmp_path: Path) -> None:
    config = replace(AppConfig(), liveness=LivenessConfig(mode="motion"))
    workspace = Workspace.resolve(config, tmp_path / "data", None)
    photo = faces_dir / "enrol" / "obama" / "obama.jpg"
    workspace.store().enrol("obama", [enrolment_shot(workspace.engine(), photo, 40)])
    video = render_attack([HeldPhoto(photo, 5, 104, seed=3)], tmp_path / "attack.mp4")
    window = MainWindow(workspace, str(video), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    assert not window.panel.refusals.isVisible(), "no refusal yet: no empty list either"
    status: list[str] = []

    def refused() -> bool:
        status.append(window.statusBar().currentMessage())
        return bool(window.panel.refusals.lines())

    qtbot.waitUntil(refused, timeout=120_000)
    qtbot.waitUntil(lambda: window.camera_label.text() == SourceState.ENDED, timeout=60_000)
    (noted,) = workspace.journal().refusals()
    line = f"{time_text(noted.timestamp, seconds=True)}  refused: obama – {REASON}"
    assert window.panel.refusals.lines() == [line] == [refusal_line(noted)]
    assert window.panel.refusals.isVisible()
    assert window.panel.refusals.title.text() == "Refused today (no attendance row): 1"
    assert noted.describe() in window.panel.refusals.list.item(0).toolTip()
    assert window.panel.names() == [] and "nobody yet" in window.panel.title.text()
    status.append(window.statusBar().currentMessage())
    assert f"{line} (no attendance row)" in status
    window.close()

    again = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(again)
    assert again.panel.refusals.lines() == [line], "today's refusals are loaded at start"
    again.close()


def test_the_reports_dialog_lists_the_refusals_of_the_day_chosen(qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    journal = workspace.journal()
    for when, name in ((datetime(2026, 12, 3, 8, 59, 30), "Ada Lovelace"),
                       (datetime(2026, 12, 3, 9, 5), "Grace Hopper"),
                       (datetime(2026, 12, 4, 7, 45), "Alan Turing")):
        journal.refuse(Refusal(when, 1, name, "door", 0.3, REASON))
    dialog = ReportsDialog(workspace)
    qtbot.addWidget(dialog)

    dialog.day.setDate(QDate(2026, 12, 3))

    assert dialog.refusals.lines() == [f"9:05:00\u202fAM  refused: Grace Hopper – {REASON}",
                                       f"8:59:30\u202fAM  refused: Ada Lovelace – {REASON}"]
    assert dialog.refusals.title.text() == ("Refused on Thursday, December 3, 2026 (no "
                                            "attendance row): 2")
    dialog.day.setDate(QDate(2026, 12, 2))
    assert dialog.refusals.lines() == []
    assert dialog.refusals.title.text().endswith("(no attendance row): none")
    dialog.day.setDate(QDate(2026, 12, 4))
    assert dialog.refusals.lines() == [f"7:45:00\u202fAM  refused: Alan Turing – {REASON}"]
