"""The Reports dialog of the desktop app: a day's present, absent and late people, the
month's workbook and CSV files, written in the background of a real (offscreen) window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime, time
from pathlib import Path

import numpy as np
from openpyxl import load_workbook

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import parse_config
from attendance_app.gui.reports_dialog import ReportsDialog
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, NewEncoding


def _school(folder: Path) -> Workspace:
    """Three enrolled people; today Ada came at 08:10 and Cyd at 09:05, start time 08:30."""
    config = parse_config('attendance:\n  start_time: "08:30"\n')
    workspace = Workspace.resolve(config, folder, None)
    store = FaceStore(folder / "faces.sqlite3")
    for name, vector in zip(("Ada", "Bob", "Cyd"), np.random.default_rng(3).normal(size=(3, 128)),
                            strict=True):
        store.enrol(name, [NewEncoding(vector, "test")])
    journal = workspace.journal()
    today = date.today()
    for person, name, when in ((1, "Ada", time(8, 10)), (3, "Cyd", time(9, 5))):
        journal.record(AttendanceEvent(datetime.combine(today, when), person, name, "Door", 0.4, "in"))
    return workspace


def test_reports_dialog_shows_today_and_writes_the_workbook_and_csv(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    workspace = _school(tmp_path / "data")
    opened: list[Path] = []
    monkeypatch.setattr("attendance_app.gui.reports_dialog.open_in_system",
                        lambda path: opened.append(path) or True)
    dialog = ReportsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()

    text = dialog.day_text.toPlainText()
    assert "2 present, 1 absent, 1 late" in text
    assert "Absent: Bob" in text and "Cyd (35 min)" in text

    with qtbot.waitSignal(dialog.workbook_written, timeout=30_000) as written:
        dialog.workbook_button.click()
    assert written.args[0] == workspace.workbook_path and opened == [workspace.workbook_path]
    book = load_workbook(workspace.workbook_path)
    assert [row[1] for row in book["Absent"].iter_rows(min_row=2, values_only=True)] == ["Bob"]
    assert "Wrote the reports of" in dialog.status.text()

    with qtbot.waitSignal(dialog.csv_written, timeout=30_000) as saved:
        dialog.write_csv(tmp_path / "csv")
    names = sorted(path.name for path in saved.args[0])
    month = f"{date.today():%Y-%m}"
    assert f"attendance-{month}-late-arrivals.csv" in names and len(names) == 6
    assert all((tmp_path / "csv" / name).stat().st_size > 0 for name in names)


def test_reports_dialog_lists_every_absent_person_in_a_scrolling_box(
        qtbot, tmp_path: Path) -> None:
    """Issue 25: with 136 enrolled the dialog cut the absent list at "…and 88 more"."""
    workspace = _school(tmp_path / "data")
    store = FaceStore(workspace.faces_path)
    names = [f"Pupil {number:03d}" for number in range(133)]
    for name, vector in zip(names, np.random.default_rng(5).normal(size=(133, 128)), strict=True):
        store.enrol(name, [NewEncoding(vector, "test")])
    dialog = ReportsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()

    text = dialog.day_text.toPlainText()
    assert "2 present, 134 absent" in text and "more" not in text
    absent = next(line for line in text.splitlines() if line.strip().startswith("Absent:"))
    assert absent.split(": ", 1)[1].split(", ") == ["Bob", *names]
    assert dialog.day_text.verticalScrollBar().maximum() > 0  # it scrolls, not clips


def test_reports_dialog_names_a_renamed_person_by_the_new_name(qtbot, tmp_path: Path) -> None:
    """Issue 25: the dialog kept the name the rows were logged under."""
    workspace = _school(tmp_path / "data")
    FaceStore(workspace.faces_path).rename("Cyd", "Cydney Newname")
    dialog = ReportsDialog(workspace)
    qtbot.addWidget(dialog)

    text = dialog.day_text.toPlainText()
    assert "Cydney Newname (35 min)" in text and "Cyd " not in text and "Cyd," not in text
