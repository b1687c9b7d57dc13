"""A year of records: does one more arrival cost the same after 100,000 of them?

For each history size (1,000 / 10,000 / 100,000 arrivals: 500 people, one arrival a
school day each, the history ending on Friday 30 October 2026 so the latest month is a
full one) a child process fills a journal, brings the workbooks level once (as a first
start does), then records 20 more arrivals through the app's own path
(AttendanceRecorder -> WorkbookWriter) and measures:

- blocked: how long record() kept the caller (the camera loop) waiting;
- in workbook: from record() to the row being in the saved workbook file;
- first start: the writer's first save after start-up (compares the main file, writes
  the latest month);
- export: `attendance-app export`'s work, every month file rewritten from the journal;
- peak memory of the child process.

    uv run python -m benchmarks.records_scale [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, time as clock
from pathlib import Path

import numpy as np

from attendance_app.journal import Journal
from attendance_app.policy import AttendancePolicy
from attendance_app.recorder import AttendanceRecorder
from attendance_app.workbook_sync import WorkbookSync
from attendance_app.workbook_writer import WorkbookWriter
from benchmarks.history import fill_journal, first_day_for
from enrolment import FaceStore, NewEncoding
from exports import ExcelWorkbook, RosterEntry

PEOPLE = 500
LAST_DAY = date(2026, 10, 30)
ARRIVALS = 20


def _roster(folder: Path) -> list[RosterEntry]:
    """500 enrolled people (random encodings: only their names matter here)."""
    store = FaceStore(folder / "faces.sqlite3")
    vectors = np.random.default_rng(0).normal(size=(PEOPLE, 128))
    for number, vector in enumerate(vectors, start=1):
        store.enrol(f"Person {number:04d}", [NewEncoding(vector, "benchmark")])
    return [RosterEntry(p.person_id, p.name, date(2025, 9, 1)) for p in store.people()]


def measure(size: int) -> dict[str, float]:
    """One history size, in this process; returns the figures."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        roster = _roster(data)
        fill_journal(data / "journal.sqlite3", size, PEOPLE, first_day_for(size, PEOPLE, LAST_DAY))
        journal = Journal(data / "journal.sqlite3")
        main = data / "attendance.xlsx"

        started = time.perf_counter()
        writer = WorkbookWriter(WorkbookSync(journal, main, lambda: roster, clock(8, 30)))
        assert writer.flush(timeout=600)
        first_start = time.perf_counter() - started

        recorder = AttendanceRecorder(journal, writer, AttendancePolicy(), "Front door")
        blocked, in_workbook = [], []
        for number in range(ARRIVALS):
            when = datetime.combine(LAST_DAY, clock(17, 0, number))
            started = time.perf_counter()
            event = recorder.record(10_000 + number, f"Visitor {number}", 0.4, when)
            blocked.append(time.perf_counter() - started)
            assert event is not None and writer.flush(timeout=600)
            in_workbook.append(time.perf_counter() - started)
        recorder.close()
        month_rows = len(ExcelWorkbook(main).read_rows())
        assert month_rows >= ARRIVALS

        started = time.perf_counter()
        exported = WorkbookSync(journal, main, lambda: roster, clock(8, 30)).export()
        export_seconds = time.perf_counter() - started
        files = len(list(data.glob("*.xlsx")))
    return {
        "size": size, "month_rows": month_rows, "first_start_s": first_start,
        "blocked_median_ms": statistics.median(blocked) * 1000,
        "blocked_max_ms": max(blocked) * 1000,
        "workbook_median_s": statistics.median(in_workbook),
        "workbook_max_s": max(in_workbook),
        "export_s": export_seconds, "export_rows": exported, "files": files,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's own size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print("| events in journal | rows in latest month | blocked median / max | in workbook "
          "median / max | first start | export (files) | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        child = subprocess.run([sys.executable, "-m", "benchmarks.records_scale", "--one", str(size)],
                               capture_output=True, text=True, check=True)
        r = json.loads(child.stdout.splitlines()[-1])
        print(f"| {r['size']:,} | {r['month_rows']:,} | {r['blocked_median_ms']:.1f} / "
              f"{r['blocked_max_ms']:.1f} ms | {r['workbook_median_s']:.2f} / "
              f"{r['workbook_max_s']:.2f} s | {r['first_start_s']:.1f} s | "
              f"{r['export_s']:.1f} s ({r['files']}) | {r['peak_mb']:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
