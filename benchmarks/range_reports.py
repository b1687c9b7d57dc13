"""What a report over a range of days costs (issue 25, point 5): the Reports dialog counts
a range in the background and `report --from --to` writes its workbook and CSV files.

Measured here: a school of `--people` people enrolled since September, one arrival each
per school day from 1 September (`--days` school days), start time 08:30; for a month
(November) and for the whole year (1 September to 31 August), the time to read the range
from the journal, to count it and word its lists (what the dialog shows), to write its
workbook and to write its CSV files. One run each (the workbook dominates).

    uv run python -m benchmarks.range_reports [--people 136] [--days 190]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import parse_config
from attendance_app.records.range_reports import RangeReports, describe_range
from tests.support.journals import fill_journal
from tests.support.synthetic_people import synthetic_store

RANGES = {"month": (date(2025, 11, 1), date(2025, 11, 30)),
          "year": (date(2025, 9, 1), date(2026, 8, 31))}


def _school(folder: Path, people: int, days: int) -> Workspace:
    """The data folder of the school the docstring describes."""
    synthetic_store(folder / "faces.sqlite3", people)
    with closing(sqlite3.connect(folder / "faces.sqlite3")) as db, db:
        db.execute("UPDATE people SET created_at = '2025-09-01T07:00:00'")
    fill_journal(folder / "journal.sqlite3", people * days, people, date(2025, 9, 1))
    return Workspace.resolve(parse_config('attendance:\n  start_time: "08:30"\n'), folder, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=136)
    parser.add_argument("--days", type=int, default=190, help="school days with arrivals")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        workspace = _school(folder, args.people, args.days)
        print("| range | rows | read (s) | count and word (s) | workbook (s) | CSV files (s) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, (first, last) in RANGES.items():
            started = time.perf_counter()
            reports = RangeReports.load(workspace, first, last)
            read = time.perf_counter()
            describe_range(reports.report()[1])
            counted = time.perf_counter()
            reports.write_workbook(folder / f"{name}.xlsx")
            written = time.perf_counter()
            reports.write_csv(folder / f"csv-{name}")
            done = time.perf_counter()
            print(f"| {name} | {len(reports.rows):,} | {read - started:.2f} | "
                  f"{counted - read:.2f} | {written - counted:.2f} | {done - written:.2f} |")


if __name__ == "__main__":
    main()
