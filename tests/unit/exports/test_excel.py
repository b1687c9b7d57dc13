"""One workbook file: written whole from rows, read back equal, its layout, and never damaging a file."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from exports import (
    AttendanceRow,
    ExcelWorkbook,
    WorkbookCorrupt,
    WorkbookError,
    WorkbookLocked,
    move_aside,
)

HEADER = ("Date and time", "Name", "Person ID", "Camera", "Event", "Match (lower is closer)",
          "Event ID")


def _row(event_id: int, when: datetime, name: str = "Ada Lovelace", person_id: int = 1,
         camera: str = "front door", kind: str = "in") -> AttendanceRow:
    return AttendanceRow(event_id, when, name, person_id, camera, 0.4123 + event_id / 1000, kind)


def _rows(count: int, first_id: int = 1) -> list[AttendanceRow]:
    start = datetime(2026, 1, 5, 8, 30, 15)
    return [_row(first_id + i, start + timedelta(minutes=7 * i), person_id=1 + i % 2)
            for i in range(count)]


def _sheet_xml(path: Path, number: int) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode()


@contextmanager
def _locked_down(path: Path, mode: int) -> Iterator[None]:
    """chmod for the test, restored afterwards so tmp_path can be cleaned up."""
    before = stat.S_IMODE(path.stat().st_mode)
    os.chmod(path, mode)
    try:
        yield
    finally:
        os.chmod(path, before)


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return tmp_path / "attendance.xlsx"


@pytest.fixture
def saved(workbook_path: Path) -> tuple[Path, list[AttendanceRow]]:
    """A valid workbook holding three rows."""
    rows = _rows(3)
    ExcelWorkbook(workbook_path).write(rows)
    return workbook_path, rows


# --- writing and reading back ---------------------------------------------------------


def test_write_creates_workbook_whose_rows_read_back_equal(workbook_path: Path) -> None:
    rows = _rows(4)
    book = ExcelWorkbook(workbook_path)

    assert book.read_rows() == []
    assert book.write(rows) == 4

    back = ExcelWorkbook(workbook_path).read_rows()
    assert back == rows
    assert all(type(row.timestamp) is datetime for row in back)


def test_sheet_layout_header_formats_filter_and_frozen_header(workbook_path: Path) -> None:
    ExcelWorkbook(workbook_path).write(_rows(2))

    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["Attendance", "Daily summary", "Days", "Absent", "Timesheet"]
    sheet = wb["Attendance"]
    assert tuple(cell.value for cell in sheet[1]) == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert all(cell.fill.fill_type == "solid" for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet.column_dimensions["A"].width >= 19
    assert sheet.column_dimensions["B"].width >= 20
    stamp, distance = sheet["A2"], sheet["F2"]
    assert stamp.data_type == "d" and stamp.value == datetime(2026, 1, 5, 8, 30, 15)
    assert stamp.number_format == "M/D/YYYY H:MM:SS AM/PM"  # en_US, the default region
    assert distance.data_type == "n" and distance.number_format == "0.000"


def test_match_and_event_id_sit_at_the_right_with_a_note_for_readers(workbook_path: Path) -> None:
    """Issue 10: "Distance" and "Event ID" meant little to readers and sat among the
    columns they read; they are kept for checking, at the right end, explained."""
    ExcelWorkbook(workbook_path).write(_rows(1))

    header = load_workbook(workbook_path)["Attendance"][1]
    assert [cell.value for cell in header[-2:]] == ["Match (lower is closer)", "Event ID"]
    assert "lower is a closer match" in header[-2].comment.text
    assert "without ever writing an event twice" in header[-1].comment.text
    assert all(cell.comment is None for cell in header[:-2])


def test_workbook_of_the_earlier_layout_reads_back_the_same(workbook_path: Path) -> None:
    """Workbooks written before issue 10 have "Distance" and "Event ID" in the middle
    (columns E and G); their rows must still read back, so exports and the journal sync
    keep working on the months already written."""
    rows = _rows(3)
    old = Workbook()
    sheet = old.active
    sheet.title = "Attendance"
    sheet.append(["Date and time", "Name", "Person ID", "Camera", "Distance", "Event", "Event ID"])
    for row in rows:
        sheet.append([row.timestamp, row.name, row.person_id, row.camera, row.distance, row.kind,
                      row.event_id])
    old.save(workbook_path)

    assert ExcelWorkbook(workbook_path).read_rows() == rows


def test_write_replaces_the_contents_exactly(saved: tuple[Path, list[AttendanceRow]]) -> None:
    path, _ = saved
    fresh = [_row(10, datetime(2026, 2, 1, 9, 0, 0), "Grace Hopper", 7),
             _row(11, datetime(2026, 2, 1, 17, 5, 0), "Grace Hopper", 7, kind="out")]

    assert ExcelWorkbook(path).write(fresh) == 2

    assert ExcelWorkbook(path).read_rows() == fresh
    summary = list(load_workbook(path)["Daily summary"].iter_rows(min_row=2, values_only=True))
    assert summary == [(datetime(2026, 2, 1), "Grace Hopper", 7, time(9, 0), time(17, 5), 2)]


def test_write_with_no_rows_leaves_a_headed_empty_workbook(
        saved: tuple[Path, list[AttendanceRow]]) -> None:
    path, _ = saved

    assert ExcelWorkbook(path).write(iter([])) == 0

    assert ExcelWorkbook(path).read_rows() == []
    assert tuple(cell.value for cell in load_workbook(path)["Attendance"][1]) == HEADER


# --- daily summary --------------------------------------------------------------------


def test_daily_summary_has_one_line_per_day_and_person(workbook_path: Path) -> None:
    def at(day: int, hh: int, mm: int) -> datetime:
        return datetime(2026, 1, day, hh, mm, 0)

    rows = [
        _row(1, at(5, 8, 55), "Bob", 2),
        _row(2, at(5, 9, 10), "Ada", 1),
        _row(3, at(5, 12, 0), "Bob", 2, kind="out"),
        _row(4, at(5, 13, 0), "Bob", 2),
        _row(5, at(5, 17, 30), "Ada", 1, kind="out"),
        _row(6, at(6, 7, 45), "Ada", 1),
        _row(7, at(6, 8, 20), "Bob", 2),
        _row(8, at(6, 16, 0), "Ada", 1, kind="out"),
    ]
    ExcelWorkbook(workbook_path).write(rows)

    sheet = load_workbook(workbook_path)["Daily summary"]
    assert [cell.value for cell in sheet[1]] == [
        "Date", "Name", "Person ID", "First seen", "Last seen", "Events"]
    lines = [(day.date(), *rest) for day, *rest in sheet.iter_rows(min_row=2, values_only=True)]
    assert lines == [
        (date(2026, 1, 5), "Bob", 2, time(8, 55), time(13, 0), 3),
        (date(2026, 1, 5), "Ada", 1, time(9, 10), time(17, 30), 2),
        (date(2026, 1, 6), "Ada", 1, time(7, 45), time(16, 0), 2),
        (date(2026, 1, 6), "Bob", 2, time(8, 20), time(8, 20), 1),
    ]
    assert sheet["A2"].number_format == "M/D/YYYY"
    assert sheet["D2"].number_format == sheet["E2"].number_format == "H:MM:SS AM/PM"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F5"


# --- text that must stay text ---------------------------------------------------------


def test_text_that_looks_like_a_formula_is_stored_as_a_plain_string(workbook_path: Path) -> None:
    names = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3"]
    rows = [_row(i, datetime(2026, 1, 5, 9, i, 0), name, camera="=cmd|' /C calc'!A0")
            for i, name in enumerate(names, start=1)]
    book = ExcelWorkbook(workbook_path)
    book.write(rows)

    sheet = load_workbook(workbook_path)["Attendance"]
    for number, row in enumerate(rows, start=2):
        for cell, text in ((sheet[f"B{number}"], row.name), (sheet[f"D{number}"], row.camera)):
            assert cell.data_type == "s" and cell.value == text
            assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    assert re.search(r"<f[ >]", _sheet_xml(workbook_path, 1)) is None
    assert re.search(r"<f[ >]", _sheet_xml(workbook_path, 2)) is None
    assert [row.name for row in book.read_rows()] == names


def test_control_characters_are_dropped_instead_of_blocking_the_save(workbook_path: Path) -> None:
    rows = [_row(1, datetime(2026, 1, 5, 9, 0, 0), "Ann\x01e\x1f", camera="door\x0b 2"),
            _row(2, datetime(2026, 1, 5, 9, 5, 0), "Tab\tand\nnewline stay")]

    assert ExcelWorkbook(workbook_path).write(rows) == 2

    back = ExcelWorkbook(workbook_path).read_rows()
    assert [(row.name, row.camera) for row in back] == [
        ("Anne", "door 2"), ("Tab\tand\nnewline stay", "front door")]
    assert os.listdir(workbook_path.parent) == [workbook_path.name]


# --- locked workbooks -----------------------------------------------------------------


def test_read_only_workbook_is_locked_and_left_untouched(
        saved: tuple[Path, list[AttendanceRow]]) -> None:
    path, rows = saved
    before = path.read_bytes()
    consumed: list[AttendanceRow] = []

    def pending() -> Iterator[AttendanceRow]:
        for row in _rows(2, first_id=4):
            consumed.append(row)
            yield row

    with _locked_down(path, 0o444), pytest.raises(WorkbookLocked) as raised:
        ExcelWorkbook(path).write(pending())
    message = str(raised.value)
    assert str(path) in message and "close it" in message and "\n" not in message

    assert consumed == []  # refused before any work
    assert path.read_bytes() == before
    assert ExcelWorkbook(path).read_rows() == rows
    assert os.listdir(path.parent) == [path.name]


def test_read_only_folder_without_a_workbook_is_locked(workbook_path: Path) -> None:
    folder = workbook_path.parent
    with _locked_down(folder, 0o555):
        with pytest.raises(WorkbookLocked, match="read-only"):
            ExcelWorkbook(workbook_path).write(_rows(1))
    assert os.listdir(folder) == []


def test_writable_again_after_a_lock_writes_the_waiting_rows(
        saved: tuple[Path, list[AttendanceRow]]) -> None:
    path, rows = saved
    later = _rows(2, first_id=4)
    with _locked_down(path, 0o444), pytest.raises(WorkbookLocked):
        ExcelWorkbook(path).write(rows + later)

    assert ExcelWorkbook(path).write(rows + later) == 5
    assert ExcelWorkbook(path).read_rows() == rows + later


# --- damaged workbooks ----------------------------------------------------------------


def _damage(path: Path, how: str) -> None:
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "random bytes":
        path.write_bytes(os.urandom(4096))
    else:  # a valid workbook, but not ours
        other = Workbook()
        other.active.title = "Sheet"
        other.active.append(["Something", "else"])
        other.save(path)


@pytest.mark.parametrize("how", ["truncated", "random bytes", "no Attendance sheet"])
def test_damaged_workbook_is_reported_and_left_byte_identical(
        saved: tuple[Path, list[AttendanceRow]], how: str) -> None:
    path, _ = saved
    _damage(path, how)
    before = path.read_bytes()
    book = ExcelWorkbook(path)

    with pytest.raises(WorkbookCorrupt) as raised:
        book.read_rows()
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)

    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


def test_header_that_is_not_ours_is_damage(workbook_path: Path) -> None:
    ExcelWorkbook(workbook_path).write(_rows(1))
    wb = load_workbook(workbook_path)
    wb["Attendance"]["A1"] = "When"
    wb.save(workbook_path)

    with pytest.raises(WorkbookCorrupt):
        ExcelWorkbook(workbook_path).read_rows()


def test_damaged_workbook_moved_aside_then_rebuilt(
        saved: tuple[Path, list[AttendanceRow]]) -> None:
    path, rows = saved
    _damage(path, "truncated")
    damaged = path.read_bytes()

    moved = move_aside(path)

    assert moved.parent == path.parent and not path.exists()
    assert re.fullmatch(r"attendance\.corrupt-\d{8}-\d{6}\.xlsx", moved.name)
    assert moved.read_bytes() == damaged
    assert ExcelWorkbook(path).write(rows) == 3
    assert ExcelWorkbook(path).read_rows() == rows


def test_move_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    path = tmp_path / "attendance.xlsx"
    path.write_bytes(b"damaged")
    # Occupy the plain names for the next few seconds, so the counter must be used.
    now = datetime.now()
    decoys = [tmp_path / f"attendance.corrupt-{(now + timedelta(seconds=s)):%Y%m%d-%H%M%S}.xlsx"
              for s in range(10)]
    for decoy in decoys:
        decoy.write_bytes(b"earlier copy")

    moved = move_aside(path)

    assert re.fullmatch(r"attendance\.corrupt-\d{8}-\d{6}-2\.xlsx", moved.name)
    assert moved.read_bytes() == b"damaged"
    assert all(decoy.read_bytes() == b"earlier copy" for decoy in decoys)


# --- atomic saving --------------------------------------------------------------------


def test_successful_saves_leave_no_temporary_files(workbook_path: Path) -> None:
    book = ExcelWorkbook(workbook_path)
    book.write(_rows(2))
    book.write(_rows(4))
    book.write(_rows(1))

    assert os.listdir(workbook_path.parent) == [workbook_path.name]


def test_a_workbook_is_owner_only_whatever_the_umask_and_a_replaced_one_too(
        workbook_path: Path) -> None:
    umask = os.umask(0)
    try:
        ExcelWorkbook(workbook_path).write(_rows(1))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(workbook_path.stat().st_mode) == 0o600

    os.chmod(workbook_path, 0o666)  # as versions that followed the umask left it
    inode = workbook_path.stat().st_ino
    ExcelWorkbook(workbook_path).write(_rows(2))

    assert workbook_path.stat().st_ino != inode  # replaced, not edited in place
    assert stat.S_IMODE(workbook_path.stat().st_mode) == 0o600


def test_failed_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "attendance.xlsx"
    target.mkdir()

    with pytest.raises(WorkbookError) as raised:
        ExcelWorkbook(target).write(_rows(2))
    assert "\n" not in str(raised.value)

    assert os.listdir(tmp_path) == [target.name] and target.is_dir()
    assert os.listdir(target) == []


def test_a_row_that_cannot_be_written_keeps_the_old_workbook(
        saved: tuple[Path, list[AttendanceRow]]) -> None:
    path, _ = saved
    before = path.read_bytes()
    aware = _row(4, datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC))

    with pytest.raises(TypeError):
        ExcelWorkbook(path).write([aware])

    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


def test_missing_folder_is_reported_without_creating_anything(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="does not exist"):
        ExcelWorkbook(tmp_path / "nowhere" / "attendance.xlsx").write(_rows(1))
    assert os.listdir(tmp_path) == []
