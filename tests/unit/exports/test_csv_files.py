"""CSV reports: formula text stays inert, names stay readable (UTF-8 with a BOM)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from exports import AttendanceRow, period_report, write_csv_reports


def test_csv_keeps_formula_text_inert_and_names_readable(tmp_path: Path) -> None:
    rows = [AttendanceRow(1, datetime(2026, 11, 2, 8, 0), "=HYPERLINK(\"x\")", 1, "Door", 0.4, "in"),
            AttendanceRow(2, datetime(2026, 11, 2, 8, 1), "Zoë Łukasz", 2, "Door", 0.4, "in")]
    days = [date(2026, 11, 2)]
    written = write_csv_reports(tmp_path, "t", rows, period_report(rows, [], days, None))

    events = tmp_path / "t-attendance.csv"
    assert events in written
    with events.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert lines[1][:2] == ["2026-11-02 08:00:00", "'=HYPERLINK(\"x\")"]
    assert lines[2][1] == "Zoë Łukasz"
