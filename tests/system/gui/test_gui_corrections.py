"""Corrections from today's list in the real window (issue 25, point 4): its context menu's
"Add missed arrival…", "Undo void…" and "Correct time…", each through its own dialog,
written through the command line's code; the list and the workbook follow, and a second
arrival that day is asked about first."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QMessageBox

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.records.voiding import current_user
from attendance_app.types import AttendanceEvent, Void
from exports import ExcelWorkbook
from tests.support.message_boxes import answering
from tests.support.synthetic_people import synthetic_store

WAIT_MS = 30_000
ADA, CY = "Person 00001", "Person 00003"
TODAY = date.today()


def _at(minute: int) -> datetime:
    """A time of today just after midnight: in the past whenever the test runs."""
    return datetime.combine(TODAY, time(0, minute))


def _window(qtbot, tmp_path: Path) -> MainWindow:  # noqa: ANN001 - qtbot
    """A window with no camera over three people enrolled and Ada's row of today (1)."""
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    synthetic_store(workspace.faces_path, 3)
    workspace.journal().record(AttendanceEvent(_at(2), 1, ADA, "Door", 0.4, "in"))
    window = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    return window


def _choose(qtbot, window: MainWindow, row: int | None, title: str) -> None:  # noqa: ANN001
    """Right-click `row` (None: beside the rows) and choose `title`."""
    menu = window.panel.context_menu(row)
    (action,) = [action for action in menu.actions() if action.text() == title]
    assert action.isEnabled(), title
    action.trigger()


def _accept(qtbot, window: MainWindow, reason: str) -> None:  # noqa: ANN001 - qtbot
    dialog = window.corrections.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled(), "no correction without a reason"
    qtbot.keyClicks(dialog.reason_edit, reason)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _workbook_rows(window: MainWindow) -> dict[int, object]:
    return {row.event_id: row for row in ExcelWorkbook(window.workspace.workbook_path).read_rows()}


def test_add_a_missed_arrival_then_correct_its_time_from_todays_list(qtbot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    panel = window.panel
    assert panel.names() == [ADA]

    _choose(qtbot, window, None, "Add missed arrival…")
    dialog = window.corrections.dialog
    dialog.person.setCurrentText(CY)
    dialog.time_edit.setDateTime(QDateTime(_at(1)))
    _accept(qtbot, window, "camera down")
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2, timeout=WAIT_MS)
    added = next(panel.event_at(row) for row in range(2) if panel.event_at(row).name == CY)
    assert added.camera == f"by hand: {current_user()}" and added.timestamp == _at(1)
    qtbot.waitUntil(lambda: added.event_id in _workbook_rows(window), timeout=WAIT_MS)
    assert _workbook_rows(window)[added.event_id].camera == f"by hand: {current_user()}"

    ada_row = next(row for row in range(2) if panel.event_at(row).name == ADA)
    _choose(qtbot, window, ada_row, "Correct time…")
    window.corrections.dialog.time_edit.setDateTime(QDateTime(_at(0)))
    _accept(qtbot, window, "clock fast")
    qtbot.waitUntil(lambda: _workbook_rows(window)[1].timestamp == _at(0), timeout=WAIT_MS)
    assert "time corrected from" in _workbook_rows(window)[1].correction
    assert any(panel.event_at(row).timestamp == _at(0) for row in range(2)), "the list too"


def test_a_second_arrival_that_day_is_asked_about_and_a_void_is_undone(
        qtbot, tmp_path: Path) -> None:
    window = _window(qtbot, tmp_path)
    panel = window.panel

    _choose(qtbot, window, None, "Add missed arrival…")
    window.corrections.dialog.person.setCurrentText(ADA)
    window.corrections.dialog.time_edit.setDateTime(QDateTime(_at(1)))
    asked = answering(QMessageBox.StandardButton.No)
    _accept(qtbot, window, "came twice?")
    assert asked and "already has an arrival" in asked[0]
    assert panel.table.rowCount() == 1, "No: nothing added"

    window.workspace.journal().void(1, Void(_at(3), "Ms Head", "not Ada"))
    panel.load(window.workspace.journal().events_on(TODAY))
    menu = panel.context_menu(0)
    assert {a.text(): a.isEnabled() for a in menu.actions()} == {
        "Void this row…": False, "Add missed arrival…": True, "Undo void…": True,
        "Correct time…": False}
    _choose(qtbot, window, 0, "Undo void…")
    _accept(qtbot, window, "it was Ada")
    qtbot.waitUntil(lambda: panel.event_at(0).void is None, timeout=WAIT_MS)
    assert not panel.table.item(0, 1).font().strikeOut()
    qtbot.waitUntil(lambda: 1 in _workbook_rows(window) and _workbook_rows(window)[1].void is None,
                    timeout=WAIT_MS)
