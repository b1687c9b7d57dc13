"""A month's workbook across a change of language (issue 27, point 3): sheet names are
words, but the app finds its sheets in any shipped language, and a month is written
whole from the journal, so a month begun in English and continued in German is one
German workbook with every row: one Attendance sheet, nothing moved aside, no row lost
or doubled. Real journal, real .xlsx files read back with openpyxl.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.records.workbook_writer import WorkbookWriter
from attendance_app.types import Void
from tests.support.journals import arrival, workbook_ids
from tests.support.translations import language, pseudo, untranslated

ATTENDANCE_NAMES = {"Attendance", "Anwesenheit", "Asistencia"}


def _attendance_sheets(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        return [name for name in book.sheetnames if name in ATTENDANCE_NAMES]
    finally:
        book.close()


def test_a_month_begun_in_english_continues_in_german_with_every_row(
        journal: Journal, tmp_path: Path) -> None:
    main = tmp_path / "attendance.xlsx"
    for minute in (0, 5):
        journal.record(arrival(datetime(2026, 12, 1, 8, minute), 1 + minute))
    assert WorkbookSync(journal, main).flush()
    assert _attendance_sheets(main) == ["Attendance"]

    with language("de", "de_DE"):
        journal.record(arrival(datetime(2026, 12, 2, 8, 0), 1))
        assert WorkbookSync(journal, main).flush()  # a new start: reads the file back first
        assert workbook_ids(main) == [1, 2, 3]

    assert _attendance_sheets(main) == ["Anwesenheit"]
    assert workbook_ids(main) == [1, 2, 3]  # read back in English too
    assert sorted(path.name for path in tmp_path.glob("*.xlsx")) == ["attendance.xlsx"]

    with language("es", "es_ES"):  # and on to Spanish, the German file read back
        journal.record(arrival(datetime(2026, 12, 3, 8, 0), 2, kind="out"))
        assert WorkbookSync(journal, main).flush()
    assert _attendance_sheets(main) == ["Asistencia"]
    assert workbook_ids(main) == [1, 2, 3, 4]
    assert sorted(path.name for path in tmp_path.glob("*.xlsx")) == ["attendance.xlsx"]


def test_a_german_month_is_filed_as_its_own_workbook_when_the_next_month_begins(
        journal: Journal, tmp_path: Path) -> None:
    """The month before is read back from the German main file and written to its own."""
    main = tmp_path / "attendance.xlsx"
    with language("de", "de_DE"):
        journal.record(arrival(datetime(2026, 11, 30, 8, 0), 1))
        assert WorkbookSync(journal, main).flush()
    journal.record(arrival(datetime(2026, 12, 1, 8, 0), 1))
    assert WorkbookSync(journal, main).flush()
    assert workbook_ids(tmp_path / "attendance-2026-11.xlsx") == [1]
    assert workbook_ids(main) == [2]
    assert _attendance_sheets(main) == ["Attendance"]
    assert sorted(path.name for path in tmp_path.glob("*.xlsx")) == [
        "attendance-2026-11.xlsx", "attendance.xlsx"]


def test_every_word_of_a_month_written_by_the_app_goes_through_a_catalog(
        journal: Journal, tmp_path: Path) -> None:
    """The month's workbook as the door's writer saves it, a voided row and a departure
    in it: under the pseudo-language every sheet name, header and word is bracketed; what
    is left is data (the people's names, the camera, the void's reason and who gave it)."""
    main = tmp_path / "attendance.xlsx"
    journal.record(arrival(datetime(2026, 12, 1, 8, 0), 1))
    journal.record(arrival(datetime(2026, 12, 1, 16, 0), 1, kind="out"))
    journal.record(arrival(datetime(2026, 12, 2, 8, 0), 2))
    journal.void(3, Void(datetime(2026, 12, 2, 9, 0), "ana", "not Bob"))
    with pseudo():
        assert WorkbookSync(journal, main).flush()
        assert workbook_ids(main) == [1, 2, 3]
    book = load_workbook(main)
    assert untranslated(book.sheetnames) == []
    texts = [cell.value for sheet in book.worksheets for line in sheet.iter_rows()
             for cell in line if isinstance(cell.value, str)]
    assert "⟦out⟧" in texts and "⟦{reason} (voided by {by}, {time})⟧".format(
        reason="not Bob", by="ana", time="2026-12-02 09:00") in texts
    assert untranslated(texts, data=["Person 1", "Person 2", "Front door", "not Bob",
                                     "ana"]) == []


def test_the_door_writer_thread_writes_in_the_language_chosen_at_start(
        journal: Journal, tmp_path: Path) -> None:
    """The language is chosen once at start (attendance_app.i18n.apply_locale, on the main
    thread); the door's writer thread, started after, saves the month in it."""
    main = tmp_path / "attendance.xlsx"
    with language("es", "es_ES"):
        writer = WorkbookWriter(WorkbookSync(journal, main), settle_seconds=0)
        try:
            journal.record(arrival(datetime(2026, 12, 1, 8, 0), 1))
            writer.notify()
            assert writer.flush(timeout=30)
        finally:
            writer.close()
    assert _attendance_sheets(main) == ["Asistencia"]
    assert workbook_ids(main) == [1]
