"""Regenerate docs/print_timesheet.png and docs/print_attendance.png: printed pages of a
month's workbook, as LibreOffice prints it.

    uv run python docs/make_print_pages.py [--keep DIR]

Writes November 2026 of a school of 136 pupils in four classes of 34 (made-up names,
arrivals between 07:40 and 08:50 on school days, about one absence in eleven, a few rows
voided with a long reason, classes starting at 08:30 with 5 minutes' grace) with the
app's workbook writer, converts it to PDF with
`libreoffice --headless --convert-to pdf` and draws the Timesheet's first page and the
Attendance sheet's first page as PNG with `pdftoppm` (poppler-utils). Needs LibreOffice
and, for the pages to look as they do with Excel's Calibri, the Carlito font.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from exports import AttendanceRow, ExcelWorkbook, RosterEntry, period_report  # noqa: E402
from exports.hours import Hours, NamedGroup, Schedule, parse_days  # noqa: E402

FIRST = ("Amelia", "Ben", "Chloé", "Daniel", "Emma", "Farid", "Grace", "Hugo", "Isla", "Jonas",
         "Kavya", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quentin")
LAST = ("Anderson", "Brennan-Okafor", "Castillo", "Dubois", "Evans", "Fitzgerald", "Gupta",
        "Hoffmann")
VOID = ("someone else was taken for this person (her twin sister); voided by Mrs Example, "
        "school secretary, on 2026-11-27 09:14")


def school_month(path: Path) -> int:
    """Write the sample month's workbook to `path`; returns its rows."""
    days = [date(2026, 11, day) for day in range(1, 31)]
    roster = [RosterEntry(number + 1, f"{first} {last}", date(2026, 9, 1))
              for number, (last, first) in enumerate((last, first) for last in LAST
                                                     for first in FIRST)]
    rows: list[AttendanceRow] = []
    for day in (day for day in days if day.weekday() < 5):
        for pupil in roster:
            if (pupil.person_id * 7 + day.day) % 11 == 0:
                continue
            seconds = (pupil.person_id * 613 + day.day * 97) % 4200
            when = datetime.combine(day, time(7, 40)) + timedelta(seconds=seconds)
            rows.append(AttendanceRow(len(rows) + 1, when, pupil.name, pupil.person_id,
                                      "Front door", 0.41, "in",
                                      VOID if len(rows) % 9 == 4 and len(rows) < 60 else None))
    school_hours = Hours(parse_days("mon-fri"), time(8, 30), 5)
    classes = [NamedGroup(f"Class {name}", school_hours,
                          frozenset(pupil.person_id for pupil in roster[first:first + 34]))
               for name, first in (("3A", 0), ("3B", 34), ("4A", 68), ("4B", 102))]
    report = period_report(rows, roster, days, Schedule.of_groups(school_hours, classes))
    return ExcelWorkbook(path).write(rows, report, "Example Primary School")


def first_page_of(pdf: Path, sheet: str) -> int:
    """The number of the first page of the PDF whose header names `sheet`."""
    pages = int(next(line.split()[1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if f"{sheet} ·" in text:
            return page
    raise SystemExit(f"no page of {pdf} is headed {sheet!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the workbook and PDF here, and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        workbook = folder / "attendance-2026-11.xlsx"
        print(f"{school_month(workbook)} rows in {workbook}")
        subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir",
                        str(folder), str(workbook)], check=True, capture_output=True)
        pdf = workbook.with_suffix(".pdf")
        for sheet, name in (("Timesheet", "print_timesheet"), ("Attendance", "print_attendance")):
            page = first_page_of(pdf, sheet)
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(page),
                            "-l", str(page), str(pdf), str(DOCS / name)], check=True)
            print(f"page {page} ({sheet}) -> docs/{name}.png")


if __name__ == "__main__":
    main()
