"""The workbook in the user's language (issue 27, point 3): every sheet name, header,
note, legend, report word and printed heading goes through the workbook's catalog;
German and Spanish workbooks have their own sheet names and their region's date formats
(cells stay real dates); ISO dates give YYYY-MM-DD; a workbook read back gives the same
rows whatever language it was written in.

Real workbooks written by ExcelWorkbook and read back with openpyxl.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from exports import AuditLine, ExcelWorkbook
from exports.days_off import ClosedSpan, DaysOff, Leave
from exports.hours import Hours, NamedGroup, Schedule, parse_days
from exports.people_totals import people_table
from exports.reports import RosterEntry, period_report
from exports.rows import AttendanceRow
from tests.support.translations import language, pseudo, untranslated

MON, TUE, WED = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)
NAMES = ["Ada Lovelace", "Bob Byrne", "Cyd Charisse", "Dee Dee"]
ROSTER = [RosterEntry(n, name, date(2026, 1, 1)) for n, name in enumerate(NAMES, start=1)]
WEEK = parse_days("mon-fri")
VOID = "not her (voided by Ms Head, 2026-12-07 09:00)"
CORRECTION = "added by hand by Ms Head: camera down"
DATA = [*NAMES, "Front door", "Class 3A", "Choir", "Staff day", "flu", VOID, CORRECTION,
        "happy 80%", "male 90%", "Ms Head", "arrival at 2026-12-08 08:10", "camera down",
        "St Mary's School"]
"""What a sheet shows that is data, not the app's words: names, the camera, groups, the
closure, the leave's reason, the void's and the correction's notes (the app's words,
tested with the app's catalog), an expression and a gender estimate, the site."""


def _rows() -> list[AttendanceRow]:
    def row(event_id: int, person: int, at: datetime, **extra: object) -> AttendanceRow:
        return AttendanceRow(event_id, at, NAMES[person - 1], person, "Front door", 0.41,
                             str(extra.pop("kind", "in")), **extra)  # type: ignore[arg-type]

    return [row(1, 1, datetime(2026, 12, 7, 8, 20), expression="happy 80%", age=31.0,
                gender="male 90%"),
            row(2, 2, datetime(2026, 12, 7, 8, 45)),
            row(3, 3, datetime(2026, 12, 7, 8, 50), void=VOID),
            row(4, 1, datetime(2026, 12, 7, 16, 30), kind="out"),
            row(5, 2, datetime(2026, 12, 9, 8, 10), correction=CORRECTION)]


def _report(rows: list[AttendanceRow]):  # -> PeriodReport
    schedule = Schedule.of_groups(
        Hours(WEEK, time(8, 30)),
        [NamedGroup("Class 3A", Hours(WEEK, time(8, 0)), frozenset({1, 2})),
         NamedGroup("Choir", Hours(WEEK, time(9, 0)), frozenset({2}))],
        DaysOff((ClosedSpan(TUE, TUE, "Staff day"),), (Leave(4, MON, WED, "flu"),)))
    return period_report(rows, ROSTER, [MON, TUE, WED], schedule)


AUDIT = [AuditLine(datetime(2026, 12, 9, 9, 0), "Ms Head", "add arrival", 5, "Bob Byrne",
                   "arrival at 2026-12-08 08:10", "camera down")]


def _write(path: Path, site: str = "") -> Path:
    rows = _rows()
    report = _report(rows)
    ExcelWorkbook(path).write(rows, report, site, AUDIT, first=[people_table(report)])
    return path


def _texts(sheet: Worksheet) -> list[str]:
    """Every text a reader meets on `sheet`: its cells, its header notes, its printed
    header and footer."""
    found = [cell.value for line in sheet.iter_rows() for cell in line
             if isinstance(cell.value, str)]
    found += [cell.comment.text for cell in sheet[1] if cell.comment is not None]
    for part in (sheet.oddHeader.left, sheet.oddHeader.center, sheet.oddHeader.right,
                 sheet.oddFooter.left, sheet.oddFooter.center):
        if part.text:
            found.append(part.text.replace("&D", "").replace("&P", "").replace("&N", ""))
    return found


def test_every_word_of_a_workbook_goes_through_the_catalog(tmp_path: Path) -> None:
    with pseudo():
        book = load_workbook(_write(tmp_path / "range.xlsx"))
    assert untranslated(book.sheetnames) == []
    assert len(book.sheetnames) == 8  # People, the month's six, Audit
    for sheet in book.worksheets:
        texts = _texts(sheet)
        assert texts, sheet.title
        assert untranslated(texts, data=DATA) == [], sheet.title
    # The words a report puts in its cells are among them, translated.
    timesheet = _texts(book.worksheets[-2])
    assert "⟦closed⟧" in timesheet and "⟦leave⟧" in timesheet and "⟦absent⟧" in timesheet
    assert "⟦Closed: Staff day⟧" in timesheet  # the closed day's note


def test_a_german_workbook_has_german_sheets_and_german_dates(tmp_path: Path) -> None:
    with language("de", "de_DE"):
        book = load_workbook(_write(tmp_path / "range.xlsx"))
    assert book.sheetnames == ["Personen", "Anwesenheit", "Tagesübersicht", "Tage", "Abwesend",
                               "Verspätungen", "Stundenzettel", "Änderungsprotokoll"]
    attendance = book["Anwesenheit"]
    assert attendance["A1"].value == "Datum und Uhrzeit"
    assert attendance["A2"].value == datetime(2026, 12, 7, 8, 20)   # a real date
    assert attendance["A2"].number_format == "DD.MM.YYYY HH:MM:SS"
    assert attendance["E2"].value == "Kommen" and attendance["E5"].value == "Gehen"
    assert book["Tage"]["A2"].number_format == "DD.MM.YYYY"
    assert book["Tagesübersicht"]["D2"].number_format == "HH:MM:SS"
    timesheet = book["Stundenzettel"]
    assert timesheet["C1"].value == "Gruppe" and timesheet["D1"].value == "Mo. 07"
    assert "geschl." in _texts(timesheet) and "entsch." in _texts(timesheet)
    assert timesheet.oddFooter.center.text == "Seite &P von &N"
    assert timesheet.oddHeader.center.text == "Stundenzettel · 7. Dezember 2026 bis 9. Dezember 2026"
    assert book["Abwesend"]["D2"].value in {"fehlt", "entschuldigt: flu"}


def test_a_spanish_workbook_has_spanish_sheets_and_spanish_dates(tmp_path: Path) -> None:
    with language("es", "es_ES"):
        book = load_workbook(_write(tmp_path / "range.xlsx", "St Mary's School"))
    assert book.sheetnames == ["Personas", "Asistencia", "Resumen diario", "Días", "Ausentes",
                               "Llegadas tarde", "Hoja de horas", "Registro de cambios"]
    attendance = book["Asistencia"]
    assert attendance["A1"].value == "Fecha y hora"
    assert attendance["A2"].number_format == "D/M/YYYY HH:MM:SS"
    assert attendance["E2"].value == "entrada"
    assert book["Días"]["A2"].number_format == "D/M/YYYY"
    assert book["Hoja de horas"].oddHeader.left.text == "St Mary's School"
    assert book["Hoja de horas"].oddFooter.center.text == "Página &P de &N"


def test_iso_dates_give_year_month_day_in_any_language(tmp_path: Path) -> None:
    with language("de", "de_DE", iso_dates=True):
        book = load_workbook(_write(tmp_path / "range.xlsx"))
    assert book["Anwesenheit"]["A2"].number_format == "YYYY-MM-DD HH:MM:SS"
    assert book["Tage"]["A2"].number_format == "YYYY-MM-DD"
    assert book["Tagesübersicht"]["D2"].number_format == "HH:MM:SS"


@pytest.mark.parametrize("code, region", [("de", "de_DE"), ("es", "es_ES"), ("qps", "en_US")])
def test_a_workbook_reads_back_the_same_rows_in_any_language(
        tmp_path: Path, code: str, region: str) -> None:
    """The app reads its workbooks back (before a rewrite, `journal rebuild`): one written
    in German reads the same in English, Event words included."""
    with language(code, region):
        path = _write(tmp_path / "month.xlsx")
    assert ExcelWorkbook(path).read_rows() == _rows()
    with language("es", "es_ES"):
        assert ExcelWorkbook(path).read_rows() == _rows()


def test_german_columns_are_wide_enough_for_their_titles_and_dates(tmp_path: Path) -> None:
    """German words are longer: a column grows by what its title grew, and a date column
    holds its format's text (no #### in a spreadsheet program)."""
    with language("de", "de_DE"):
        book = load_workbook(_write(tmp_path / "range.xlsx"))
    for sheet in book.worksheets:
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            if isinstance(cell.value, str) and sheet.title != "Stundenzettel":
                assert width >= len(cell.value), (sheet.title, cell.value, width)
    assert book["Anwesenheit"].column_dimensions["A"].width >= len("31.12.2026 23:59:59")
