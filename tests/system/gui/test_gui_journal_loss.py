"""The window, like `run`, keeps a workbook whose rows its journal lacks (issue 20).

A real window (offscreen) on a real photo of an enrolled person, in a data folder whose
journal was deleted after it had written a workbook of 18 rows: the arrival must not
cost those rows. The warning goes through logging, which the terminal prints and the
window's notice area shows.
"""

from __future__ import annotations

import logging
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from exports import ExcelWorkbook
from tests.support.journals import PUPILS, fill_this_morning


def test_the_window_keeps_the_workbook_when_the_journal_was_deleted(
        qtbot, faces_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    engine = workspace.engine()
    workspace.store().enrol("obama", [enrolment_shot(
        engine, faces_dir / "enrol" / "obama" / "obama.jpg", 60)])
    fill_this_morning(Journal(workspace.journal_path), PUPILS)
    assert WorkbookSync(Journal(workspace.journal_path), workspace.workbook_path).flush()
    before = workspace.workbook_path.read_bytes()
    workspace.journal_path.unlink()

    window = MainWindow(workspace, str(faces_dir / "probe" / "obama" / "obama1.jpg"),
                        tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.panel.names() == ["obama"], timeout=120_000)
    window.close()

    kept = list(tmp_path.glob("attendance.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert len(ExcelWorkbook(kept[0]).read_rows()) == PUPILS
    assert [row.name for row in ExcelWorkbook(workspace.workbook_path).read_rows()] == ["obama"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(kept[0].name in w and "journal rebuild" in w for w in warnings), warnings
