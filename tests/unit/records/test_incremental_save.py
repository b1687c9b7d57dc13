"""A save that copies the rows the last save wrote alike (exports.sheet_cache), and reports only the days that changed
(exports.reports.ReportDays), must give the
workbook a fresh save gives: the same sheets, values, number formats, fonts, fills, notes,
row heights and print settings. A door's month of six people in two groups is saved after
each kind of change (an arrival, voids, a void undone, a time corrected, an arrival added
by hand, a rename, a closed day and leave, a group's hours and members), each time
compared with the month written afresh by another writer.

Real files throughout: the app's journal and face store (SQLite) and .xlsx files read
back with openpyxl.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import load_workbook

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.records.correcting import add_arrival, correct_time, undo_void
from attendance_app.records.journal import Journal
from attendance_app.records.voiding import void_event
from attendance_app.records.workbook_sync import WorkbookSync
from enrolment import DaysOffBook, GroupBook, NewEncoding
from tests.support.encodings import random_face
from tests.support.journals import arrival

MONTH = "2026-11"
MON_FRI = 0b0011111


def _view(path: Path) -> dict[str, object]:
    """What a reader sees of each sheet: cells (value, format, font, fill, wrapping, note),
    row heights, column widths, the filter, frozen panes and the print setup."""
    book = load_workbook(path)
    seen: dict[str, object] = {"sheets": book.sheetnames}
    for sheet in book.worksheets:
        seen[sheet.title] = (
            [[(cell.value, cell.number_format, cell.font.b, cell.font.strike,
               cell.font.color.rgb if cell.font.color else None, cell.fill.fgColor.rgb,
               cell.alignment.wrap_text, cell.quotePrefix,
               cell.comment.text if cell.comment else None) for cell in row]
             for row in sheet.iter_rows()],
            {number: dimension.height for number, dimension in sheet.row_dimensions.items()
             if dimension.height},
            {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()},
            sheet.auto_filter.ref, sheet.freeze_panes, sheet.print_title_rows,
            sheet.page_setup.orientation, sheet.page_setup.fitToWidth,
            sheet.page_setup.fitToHeight, sheet.page_setup.scale,
            sheet.oddHeader.center.text, sheet.oddFooter.left.text, sheet.oddFooter.right.text,
            [brk.id for brk in sheet.row_breaks.brk], sheet.print_options.gridLines)
    return seen


def _door(tmp_path: Path) -> tuple[Workspace, Journal, WorkbookSync]:
    """Six people enrolled in October, two groups, and their arrivals of 2-13 November."""
    workspace = Workspace.resolve(AppConfig(), tmp_path / "door", None)
    store = workspace.store()
    for person in range(1, 7):
        store.enrol(f"Person {person}", [NewEncoding(random_face(person), f"{person}.jpg")])
    with closing(sqlite3.connect(workspace.faces_path)) as db, db:
        db.execute("UPDATE people SET created_at = '2026-10-01T08:00:00'")
    groups = GroupBook(store)
    groups.add("3A", MON_FRI, "08:00", 5)
    groups.add("Choir", MON_FRI, "09:00", 0, "15:00")
    groups.assign("3A", ["Person 1", "Person 2", "Person 3"])
    groups.assign("Choir", ["Person 3", "Person 4"])
    journal = workspace.journal()
    for day in range(2, 14):
        for person in range(1, 7):
            if (day + person) % 4 and date(2026, 11, day).weekday() < 5:
                journal.record(arrival(datetime(2026, 11, day, 7, 50 + person), person))
    return workspace, journal, workspace.workbook_sync(journal)


def _saved_like_a_fresh_save(workspace: Workspace, sync: WorkbookSync) -> int:
    """Flush `sync`, write the month afresh elsewhere, compare; the Attendance lines the
    flush copied."""
    assert sync.flush()
    fresh = workspace.workbook_path.with_name("fresh.xlsx")
    WorkbookSync(sync.journal, fresh, workspace.roster, workspace.schedule).write_month(MONTH)
    assert _view(workspace.workbook_path) == _view(fresh)
    return sync._sheets.copied.get("Attendance", 0)


def test_each_save_after_a_change_gives_the_workbook_a_fresh_save_gives(tmp_path: Path) -> None:
    workspace, journal, sync = _door(tmp_path)
    store, calendar, groups = workspace.store(), DaysOffBook(workspace.store()), GroupBook(
        workspace.store())
    assert _saved_like_a_fresh_save(workspace, sync) == 0  # the first save writes it whole
    rows = len(journal.events_in_month(MONTH))

    journal.record(arrival(datetime(2026, 11, 16, 8, 7), 1))  # late, in a new week
    assert _saved_like_a_fresh_save(workspace, sync) == rows  # every row before it copied
    assert sync._sheets.report_days.computed == 1  # the reports of that day alone

    journal.record(arrival(datetime(2026, 11, 16, 8, 9), 2))
    assert _saved_like_a_fresh_save(workspace, sync) == rows + 1
    assert sync._sheets.report_days.computed == 1

    void_event(journal, store, 5, "not them: a visitor, a long reason that wraps " * 3, "Ada")
    void_event(journal, store, 20, "not them", "Ada")
    assert _saved_like_a_fresh_save(workspace, sync) == 0  # a void column appears

    correct_time(journal, 30, datetime(2026, 11, 9, 8, 30), "the clock was late", "Ada")
    add_arrival(journal, store, "Person 6", datetime(2026, 11, 16, 8, 2), "camera down", "Ada")
    assert _saved_like_a_fresh_save(workspace, sync) == 0  # a correction column appears

    undo_void(journal, 20, "it was them after all", "Ada")
    assert 4 < _saved_like_a_fresh_save(workspace, sync) < rows  # copied up to row 20
    assert _view(workspace.workbook_path)["Attendance"][1]  # row 5 among them: struck, tall

    store.rename("Person 2", "Ada Lovelace")
    journal.record(arrival(datetime(2026, 11, 16, 8, 20), 3))
    first = next(index for index, event in enumerate(journal.events_in_month(MONTH))
                 if event.person_id == 2)
    assert _saved_like_a_fresh_save(workspace, sync) == first  # copied up to the renamed
    assert sync._sheets.report_days.computed == 11  # a new roster: every day computed

    calendar.close(date(2026, 11, 11), date(2026, 11, 11), "Armistice")
    calendar.add_leave("Person 5", date(2026, 11, 9), date(2026, 11, 10), "flu")
    assert _saved_like_a_fresh_save(workspace, sync) > 0

    groups.set_hours("3A", MON_FRI, "07:45", 0, "14:00")
    groups.assign("Choir", ["Person 5"])
    journal.record(arrival(datetime(2026, 11, 16, 9, 1), 4))
    assert _saved_like_a_fresh_save(workspace, sync) > 0
