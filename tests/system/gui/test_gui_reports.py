"""The Reports dialog of the desktop app: a day's or a range's present, absent and late
people, of all groups or one, the period's workbook and CSV files and the month's
workbook, written in the background of a real (offscreen) window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime, time
from pathlib import Path

import numpy as np
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import parse_config
from attendance_app.gui.report_period import DATE_RANGE, ONE_DAY
from attendance_app.gui.reports_dialog import ReportsDialog
from attendance_app.types import AttendanceEvent
from enrolment import DaysOffBook, FaceStore, NewEncoding
from tests.support.range_school import CONFIG, range_school


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
    assert "The reports of" in dialog.status.text()

    with qtbot.waitSignal(dialog.csv_written, timeout=30_000) as saved:
        dialog.write_csv(tmp_path / "csv")
    names = sorted(path.name for path in saved.args[0])
    assert f"attendance-{date.today()}-late-arrivals.csv" in names and len(names) == 7
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


def _range_dialog(qtbot, tmp_path: Path,  # noqa: ANN001 - qtbot
                  days_off: bool = False) -> ReportsDialog:
    """The dialog over tests/support/range_school.py's journal, set to its range; with
    `days_off`, Friday 30 October closed for the site and Cyd on leave on 2 November."""
    range_school(tmp_path / "data")
    if days_off:
        book = DaysOffBook(FaceStore(tmp_path / "data" / "faces.sqlite3"))
        book.close(date(2026, 10, 30), date(2026, 10, 30), "Autumn day")
        book.add_leave("Cyd", date(2026, 11, 2), date(2026, 11, 2), "flu")
    workspace = Workspace.resolve(parse_config(CONFIG), tmp_path / "data", None)
    dialog = ReportsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.period.mode.setCurrentText(DATE_RANGE)
    dialog.until.setDate(QDate(2026, 11, 2))
    with qtbot.waitSignal(dialog.period_shown, timeout=30_000):  # counted in the background
        dialog.day.setDate(QDate(2026, 10, 29))
    return dialog


def test_reports_dialog_shows_a_range_across_two_months_per_group(qtbot, tmp_path: Path) -> None:
    dialog = _range_dialog(qtbot, tmp_path)

    assert dialog.until.isVisible() and not dialog.refusals.isVisible()
    assert dialog.period.days() == (date(2026, 10, 29), date(2026, 11, 2))
    lines = dialog.day_text.toPlainText().splitlines()
    assert lines[:4] == ["29 October 2026 to 2 November 2026: 3 open days",
                         "  Oct 29, 2026: 3 present, 0 absent, 2 late",
                         "  Oct 30, 2026: 2 present, 1 absent, 0 late",
                         "  Nov 2, 2026: 2 present, 1 absent, 1 late"]
    assert lines[4:] == ["  3A:", "    Absent: Bob (1 day)",
                         "    Late: Ada (1 time, 10 min in all), Bob (1 time, 20 min in all)",
                         "  No group:", "    Absent: Cyd (1 day)",
                         "    Late: Cyd (1 time, 40 min in all)"]
    assert [dialog.period.group.itemText(i) for i in range(dialog.period.group.count())] == [
        "All groups", "3A", "No group"]

    with qtbot.waitSignal(dialog.period_shown, timeout=30_000):
        dialog.period.group.setCurrentText("No group")
    text = dialog.day_text.toPlainText()
    assert "Cyd (1 day)" in text and "Ada" not in text and "Bob" not in text

    dialog.day.setDate(QDate(2026, 11, 5))  # past the last day: the range follows, never backwards
    assert dialog.period.days() == (date(2026, 11, 5), date(2026, 11, 5))
    dialog.until.setDate(QDate(2027, 12, 1))
    qtbot.waitUntil(lambda: "a report covers at most 366" in dialog.day_text.toPlainText())
    dialog.period.mode.setCurrentText(ONE_DAY)
    dialog.period.group.setCurrentText("3A")
    dialog.day.setDate(QDate(2026, 10, 30))
    assert not dialog.until.isVisible() and dialog.refusals.isVisible()
    assert dialog.day_text.toPlainText().splitlines() == [
        "Friday, October 30, 2026: 1 present, 1 absent, 0 late",
        "  3A: 1 present, 1 absent, 0 late", "    Present: Ada", "    Absent: Bob"]


def test_reports_dialog_shows_a_ranges_excused_and_closed_days(qtbot, tmp_path: Path) -> None:
    """Before: the range view had no excused, and called a holiday 2 present, 0 absent."""
    dialog = _range_dialog(qtbot, tmp_path, days_off=True)

    lines = dialog.day_text.toPlainText().splitlines()
    assert lines[2:4] == ["  Oct 30, 2026: closed (Autumn day), 2 came anyway",
                          "  Nov 2, 2026: 2 present, 0 absent, 1 excused, 1 late"]
    assert lines[-3:] == ["    Absent: nobody", "    Excused: Cyd (1 day: flu)",
                          "    Late: Cyd (1 time, 40 min in all)"]
    with qtbot.waitSignal(dialog.period_shown, timeout=30_000):
        dialog.period.group.setCurrentText("3A")
    text = dialog.day_text.toPlainText()
    assert "Excused" not in text and "closed (Autumn day), 1 came anyway" in text


def test_reports_dialog_exports_the_range_of_one_group_to_excel_and_csv(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr("attendance_app.gui.reports_dialog.open_in_system",
                        lambda path: opened.append(path) or True)
    dialog = _range_dialog(qtbot, tmp_path)
    dialog.period.group.setCurrentText("3A")
    target = tmp_path / "exports" / "3a-autumn.xlsx"

    with qtbot.waitSignal(dialog.excel_written, timeout=30_000) as written:
        dialog.write_excel(target)
    assert written.args[0] == target and opened == [target]
    book = load_workbook(target)
    people = list(book["People"].iter_rows(min_row=2, values_only=True))
    assert [row[:6] for row in people] == [("Ada", 1, 3, 0, 0, 1), ("Bob", 2, 2, 1, 0, 1)]
    assert book["Absent"].oddHeader.center.text == "Absent · 29 October 2026 to 2 November 2026"
    assert book["Absent"].oddHeader.left.text == "Example School · 3A"
    assert "Wrote 5 rows" in dialog.status.text()

    with qtbot.waitSignal(dialog.csv_written, timeout=30_000) as saved:
        dialog.write_csv(tmp_path / "csv")
    names = sorted(path.name for path in saved.args[0])
    assert "attendance-2026-10-29-to-2026-11-02-3a-absent.csv" in names and len(names) == 7
    assert not list((tmp_path / "data").glob("*.xlsx"))  # no month workbook was touched


def _answer_file_dialog(path: Path) -> None:
    """Once Qt's file dialog is up, choose `path` in it and press its OK, as a user would."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, QFileDialog):
        QTimer.singleShot(50, lambda: _answer_file_dialog(path))
        return
    dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))  # typed into its name box
    dialog.accept()


def test_the_export_buttons_ask_where_through_the_file_dialogs(qtbot, tmp_path: Path,
                                                              monkeypatch) -> None:
    monkeypatch.setattr("attendance_app.gui.reports_dialog.open_in_system", lambda path: True)
    dialog = _range_dialog(qtbot, tmp_path)
    target = tmp_path / "autumn.xlsx"

    QTimer.singleShot(50, lambda: _answer_file_dialog(target))
    with qtbot.waitSignal(dialog.excel_written, timeout=30_000) as written:
        dialog.excel_button.click()
    assert written.args[0] == target and load_workbook(target).sheetnames[0] == "People"

    (tmp_path / "csv").mkdir()
    QTimer.singleShot(50, lambda: _answer_file_dialog(tmp_path / "csv"))
    with qtbot.waitSignal(dialog.csv_written, timeout=30_000) as saved:
        dialog.csv_button.click()
    assert {path.parent for path in saved.args[0]} == {tmp_path / "csv"}
