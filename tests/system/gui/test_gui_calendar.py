"""The window's Calendar dialog (issue 25, points 3, 5 and 7), offscreen on the real window
and a real face store: the toolbar's Calendar… opens it; closed days and leave are added
through their forms' OK buttons (a bad date, a leave ending before it starts, an unknown
person are refused in one line and nothing is saved), imported from an .ics or CSV file
for the site or a group (a file that is not a calendar is refused in one line), removed; each change rewrites the month's
workbook already written, and the dialog says so."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFileDialog, QInputDialog, QLineEdit

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.gui.calendar_dialog import CalendarDialog
from attendance_app.gui.checked_form import CheckedForm
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.window_parts import CALENDAR_TEXT
from attendance_app.i18n.dates import day_text
from attendance_app.types import AttendanceEvent
from enrolment import DaysOffBook, GroupBook
from tests.support.synthetic_people import synthetic_store

WAIT_MS = 30_000
ADA, BEA = "Person 00001", "Person 00002"
TODAY = date.today()


def _fill(form: CheckedForm, **values: str) -> None:
    """Type `values` into the form's fields (by label) and press OK."""
    for label, text in values.items():
        widget = form.fields[label.replace("_", " ").strip().capitalize()]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        else:
            assert isinstance(widget, QLineEdit)
            widget.setText(text)
    form.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def _absent_sheet(workbook: Path) -> list[tuple[object, ...]]:
    book = load_workbook(workbook, read_only=True)
    return [row[1:4] for row in book["Absent"].iter_rows(min_row=2, values_only=True)]


def test_closed_days_and_leave_are_kept_and_the_workbook_follows(  # noqa: ANN001 - qtbot
        qtbot, tmp_path: Path) -> None:
    workspace = Workspace.resolve(AppConfig(), tmp_path, None)
    synthetic_store(workspace.faces_path, 3)
    workspace.journal().record(AttendanceEvent(datetime.combine(TODAY, time(0, 2)), 1, ADA,
                                               "Door", 0.4, "in"))
    workbook, _ = workspace.workbook_sync(workspace.journal()).write_month(f"{TODAY:%Y-%m}")
    assert [row[2] for row in _absent_sheet(workbook)] == ["absent", "absent"]
    window = MainWindow(workspace, str(tmp_path / "no-such-video.mp4"), tmp_path / "config.yaml")
    qtbot.addWidget(window)
    window.show()
    texts = [action.text() for action in window.toolbar.actions()]
    assert texts.index(CALENDAR_TEXT) == texts.index("Reports…") + 1
    next(a for a in window.toolbar.actions() if a.text() == CALENDAR_TEXT).trigger()
    (dialog,) = window.findChildren(CalendarDialog)

    form = dialog.add_leave_form()
    _fill(form, person="Nobody", from_=f"{TODAY}", to=f"{TODAY}", reason="flu")
    assert form.error.text() == ("nobody called 'Nobody' is enrolled; the people command "
                                 "lists who is")
    _fill(form, person=BEA, from_="2026-02-30")
    assert form.error.text().startswith("the first day '2026-02-30' is not a date")
    _fill(form, from_=f"{TODAY}", to="2000-01-01")
    assert "before it starts" in form.error.text() and dialog.leave.count() == 0
    _fill(form, to=f"{TODAY}")
    assert form.result() == CheckedForm.DialogCode.Accepted
    assert dialog.leave.item(0).text() == f"1: {BEA} · {day_text(TODAY)} · flu"
    qtbot.waitUntil(lambda: "rewrote attendance.xlsx" in dialog.status.text(), timeout=WAIT_MS)
    assert [row[1:3] for row in _absent_sheet(workbook)] == [(2, "excused: flu"), (3, "absent")]

    form = dialog.add_closure_form()
    _fill(form, first_day=f"{TODAY}", name="")
    assert form.error.text() == "give the holiday's name; it is shown in the reports"
    _fill(form, name="Snow day")
    assert dialog.closures.item(0).text() == f"{day_text(TODAY)} · Whole site · Snow day"
    qtbot.waitUntil(lambda: "rewrote" in dialog.status.text(), timeout=WAIT_MS)
    assert _absent_sheet(workbook) == []

    not_calendar = tmp_path / "notes.ics"
    not_calendar.write_text("Dear parents, the school is closed.\n")
    assert dialog.import_file(not_calendar) == 0
    assert dialog.status.text() == f"{not_calendar} is not an iCalendar file (it does not " \
                                   "begin with BEGIN:VCALENDAR)"
    ics = tmp_path / "school.ics"
    ics.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20301221\n"
                   "DTEND;VALUE=DATE:20310102\nSUMMARY:Christmas break\nEND:VEVENT\n"
                   "END:VCALENDAR\n")
    assert dialog.import_file(ics) == 1 and dialog.import_file(ics) == 0
    assert dialog.closures.count() == 2

    dialog.closures.setCurrentRow(0)
    dialog.buttons["Remove"].click()
    dialog.leave.setCurrentRow(0)
    dialog.buttons["Remove leave"].click()
    assert dialog.leave.count() == 0 and dialog.closures.count() == 1
    qtbot.waitUntil(lambda: "rewrote" in dialog.status.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(_absent_sheet(workbook)) == 2, timeout=WAIT_MS)
    assert [row[2] for row in _absent_sheet(workbook)] == ["absent", "absent"]


def test_import_asks_whom_a_calendar_closes(qtbot, tmp_path: Path,  # noqa: ANN001 - qtbot
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store = synthetic_store(tmp_path / "faces.sqlite3", 2)
    GroupBook(store).add("Class 3B", 0b11111, "08:00", 0)
    dialog = CalendarDialog(DaysOffBook(store))
    qtbot.addWidget(dialog)
    sheet = tmp_path / "trips.csv"
    sheet.write_text("date,name\n2030-05-14,Museum trip\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(sheet), ""))
    asked: list[list[str]] = []
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda _parent, _title, _label, items, *_a: (asked.append(items)
                                                                     or ("Class 3B", True)))
    dialog.buttons["Import…"].click()
    assert asked == [["Whole site", "Class 3B"]]
    assert dialog.closures.item(0).text() == "May 14, 2030 · Class 3B · Museum trip"
    assert dialog.status.text() == "Imported 1 closure from trips.csv"
