"""Plain rows written as XML text (exports.plain_rows) must give the workbook openpyxl
writes alone, byte for byte: every sheet, its styles, notes and print setup. A month with
every kind of cell is written both ways (the plain path off when openpyxl is told lxml is
missing, as without lxml) and the files' parts compared."""

from __future__ import annotations

import gc
import sys
import zipfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports import AttendanceRow, ExcelWorkbook, RosterEntry, period_report
from exports.audit import AuditLine
from exports.days_off import ClosedSpan, DaysOff, Leave
from exports.hours import EVERY_DAY, Hours, NamedGroup, Schedule

NAMES = ["Ada Lovelace", "Zoë Ångström", "李小龙", "O'Brien & Sons <Ltd>", " spaced out ",
         "=SUM(A1)", "-minus", "#N/A", "bell\x07name", "carriage\rreturn", "tab\there"]
"""Names that test every text rule: escaping, kept spaces, formulas, an error code,
characters xlsx cannot hold, a carriage return, a tab."""


def _month() -> tuple[list[AttendanceRow], list[RosterEntry], Schedule, list[AuditLine]]:
    """A November of 11 people in two groups, with voids (one with a long reason),
    corrections, expressions, estimates, a closed day and leave."""
    roster = [RosterEntry(number, name, date(2026, 10, 1))
              for number, name in enumerate(NAMES, 1)]
    rows = []
    for day in range(2, 28):
        for person, name in enumerate(NAMES, 1):
            if (day + person) % 5 == 0 or day == 11:
                continue
            when = datetime(2026, 11, day, 8, 10 + 3 * person, (day * person) % 60)
            rows.append(AttendanceRow(
                len(rows) + 1, when, name, person, "Front door" if person % 3 else "Gate =2",
                0.31 + person / 100, "in",
                void=("not them (by Ada, 3 Nov) " * (6 if person == 2 else 1)
                      if (day, person) in {(3, 2), (4, 5)} else None),
                expression="happy 87%" if person == 1 else None,
                utc_offset=timedelta(hours=1), age=30.5 + person if person < 3 else None,
                gender="female 97%" if person == 2 else None,
                correction="added by hand by Ada: camera down" if (day, person) == (5, 4)
                else None))
            if person == 3 and day % 2:
                rows.append(AttendanceRow(len(rows) + 1, when + timedelta(hours=8), name,
                                          person, "Front door", float("nan") if day == 9
                                          else 0.5, "out"))
    morning, late = Hours(frozenset(range(5)), time(8, 15), 5, time(16)), Hours(EVERY_DAY, time(9))
    groups = [NamedGroup("3A & B", morning, frozenset(range(1, 7))),
              NamedGroup("Choir", late, frozenset({2, 8}))]
    days_off = DaysOff([ClosedSpan(date(2026, 11, 11), date(2026, 11, 11), "Armistice")],
                       [Leave(7, date(2026, 11, 16), date(2026, 11, 20), "flu")])
    schedule = Schedule.of_groups(Hours(EVERY_DAY, time(8, 30)), groups, days_off)
    audit = [AuditLine(datetime(2026, 11, 5, 9), "Ada", "add arrival", 40, "O'Brien & Sons <Ltd>",
                       "08:19", "camera down")]
    return rows, roster, schedule, audit


def _write(path: Path) -> dict[str, bytes]:
    rows, roster, schedule, audit = _month()
    days = [date(2026, 11, day) for day in range(1, 31)]
    ExcelWorkbook(path).write(rows, period_report(rows, roster, days, schedule), "École & Co",
                              audit)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name != "docProps/core.xml"}  # (the time it was written)


def test_plain_rows_write_the_workbook_openpyxl_writes(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _write(tmp_path / "plain.xlsx")
    monkeypatch.setattr("exports.plain_rows.LXML", False)
    alone = _write(tmp_path / "openpyxl.xlsx")
    assert plain.keys() == alone.keys()
    for name in plain:
        assert plain[name] == alone[name], name
    attendance = load_workbook(tmp_path / "plain.xlsx", read_only=True)["Attendance"]
    names = {row[1] for row in attendance.iter_rows(min_row=2, values_only=True)}
    assert {"O'Brien & Sons <Ltd>", " spaced out ", "carriage\rreturn", "tab\there",
            "bellname", "=SUM(A1)", "#N/A"} <= names


def test_most_rows_of_a_month_take_the_plain_path(tmp_path: Path) -> None:
    """The point of it: the plain path is taken, not only correct when it is not. (Of this
    month's names 4 in 11 must be quoted or cleaned first, so their rows, and the struck
    and tall ones, go to openpyxl; a real month's rows are nearly all plain.)"""
    from exports import plain_rows

    written: list[int] = []
    encode = plain_rows.PlainRows._encode

    def counting(self: plain_rows.PlainRows, values: object, number: int) -> str | None:
        text = encode(self, values, number)  # type: ignore[arg-type]
        written.append(text is not None)
        return text

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plain_rows.PlainRows, "_encode", counting)
        _write(tmp_path / "plain.xlsx")
    assert sum(written) > len(written) / 2


def test_a_value_openpyxl_refuses_fails_the_save_in_openpyxl_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A time with a zone (openpyxl refuses it) once failed in the plain path, leaving the
    sheets' streams half open: collected later, they reported lxml errors ("not in an
    element"). It takes openpyxl's path, which fails as it did."""
    broken: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", broken.append)
    aware = AttendanceRow(1, datetime(2026, 1, 5, 12, tzinfo=UTC), "Ada", 1, "Door", 0.4, "in")
    with pytest.raises(TypeError):
        ExcelWorkbook(tmp_path / "attendance.xlsx").write([aware])
    gc.collect()
    assert broken == []
