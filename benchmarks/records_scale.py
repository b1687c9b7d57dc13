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

With --central the same year is in a site's central log instead (a real PostgreSQL 16
server, tests/support/postgres_server.py): the door's journal is sent to it (measured: a door
sending a year's backlog), the workbook is the keeping door's, written from the central
log (attendance_app.central.records), and each of the 20 arrivals goes through the door's
journal, its sender and the keeping door's writer before it counts as in the workbook;
`export` reads the central log.

With --no-lxml the children cannot import lxml, so openpyxl writes its XML with the standard
library, as it does where lxml is not installed: the figures before lxml became a dependency.

With --groups N the people are in N groups (issue 25), each with its hours (mon-fri, starts
from 07:30 to 09:15, 5 minutes of grace), every person in one and every tenth in a second,
and every save and report follows them as the app does (the groups read from the face
store at each save); `report` is then the month's reports computed once (present, absent
and late, per group on its last day). --people sets how many people (default 500).

With --year, a school's calendar year instead (benchmarks/records_parts/year.py): 5,000
people in 100 groups unless --people and --groups say otherwise, 1.26 million arrivals
with voids and corrections, made in bulk in SQLite, and the year's end measured (the
month's save, `report --day`, the month's reports); --months N builds only the last N
months, --keep DIR builds in DIR or measures the year already there.

    uv run python -m benchmarks.records_scale [--sizes 1000 10000 100000] [--central] [--no-lxml]
        [--people 500] [--groups 0]
    uv run python -m benchmarks.records_scale --year [--months 12] [--arrivals 3] [--keep DIR]
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
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

import numpy as np

from attendance_app.central.database import CentralDatabase
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.records import CentralJournal
from attendance_app.central.schema import initialise
from attendance_app.config.settings import AttendanceConfig
from attendance_app.records.journal import Journal
from attendance_app.records.months import days_of
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder, NoWorkbook
from attendance_app.records.schedule import schedule_of
from attendance_app.records.workbook_sync import WorkbookSync, to_row
from attendance_app.records.workbook_writer import WorkbookWriter
from benchmarks.records_parts import year
from enrolment import FaceStore, GroupBook, NewEncoding
from exports import ExcelWorkbook, RosterEntry, period_report
from exports.by_group import group_days
from exports.hours import Schedule
from tests.support.journals import fill_journal, first_day_for
from tests.support.postgres_server import PostgresServer

PEOPLE = 500
LAST_DAY = date(2026, 10, 30)
ARRIVALS = 20
WITHOUT_LXML = ("import runpy, sys\n"
                "sys.modules['lxml'] = None  # every `import lxml` now fails, as if not installed\n"
                "runpy.run_module('benchmarks.records_scale', run_name='__main__')")


def _roster(folder: Path, people: int) -> list[RosterEntry]:
    """`people` enrolled people (random encodings: only their names matter here)."""
    store = FaceStore(folder / "faces.sqlite3")
    vectors = np.random.default_rng(0).normal(size=(people, 128))
    for number, vector in enumerate(vectors, start=1):
        store.enrol(f"Person {number:04d}", [NewEncoding(vector, "benchmark")])
    return [RosterEntry(p.person_id, p.name, date(2025, 9, 1)) for p in store.people()]


def _grouped(folder: Path, roster: list[RosterEntry], groups: int) -> Callable[[], Schedule]:
    """`groups` groups of the roster (see the module's docstring); the schedule as the app
    reads it at each save."""
    book = GroupBook(FaceStore(folder / "faces.sqlite3"))
    for number in range(groups):
        minutes = 7 * 60 + 30 + (number % 8) * 15
        book.add(f"Group {number + 1:03d}", 0b0011111, f"{minutes // 60:02d}:{minutes % 60:02d}",
                 5)
    for index, entry in enumerate(roster):
        book.assign(f"Group {index % groups + 1:03d}", [entry.name])
        if index % 10 == 0:
            book.assign(f"Group {(index + 1) % groups + 1:03d}", [entry.name])
    config = AttendanceConfig(start_time="08:30")
    return lambda: schedule_of(book, config)


def _send_all(pusher: JournalPusher) -> None:
    while pusher.push_once():
        pass


def measure(size: int, central: bool, people: int = PEOPLE, groups: int = 0) -> dict[str, float]:
    """One history size, in this process; returns the figures."""
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        data = Path(folder)
        roster = _roster(data, people)
        hours: Callable[[], Schedule] | clock = (_grouped(data, roster, groups) if groups
                                                 else clock(8, 30))
        fill_journal(data / "journal.sqlite3", size, people, first_day_for(size, people, LAST_DAY))
        journal = Journal(data / "journal.sqlite3")
        main = data / "attendance.xlsx"
        records: Journal | CentralJournal = journal
        send: Callable[[], None] = lambda: None
        backlog_seconds = 0.0
        if central:
            server = stack.enter_context(PostgresServer(data / "server"))
            database = CentralDatabase(server.create_database("year"))
            initialise(database)
            pusher = JournalPusher(journal, database)
            started = time.perf_counter()
            _send_all(pusher)  # the journal never joined: its whole history is sent
            backlog_seconds = time.perf_counter() - started
            records, send = CentralJournal(database, None), lambda: _send_all(pusher)

        started = time.perf_counter()
        writer = WorkbookWriter(WorkbookSync(records, main, lambda: roster, hours))
        assert writer.flush(timeout=600)
        first_start = time.perf_counter() - started

        recorder = AttendanceRecorder(journal, NoWorkbook() if central else writer,
                                      AttendancePolicy(), "Front door")
        blocked, in_workbook = [], []
        for number in range(ARRIVALS):
            when = datetime.combine(LAST_DAY, clock(17, 0, number))
            started = time.perf_counter()
            event = recorder.record(10_000 + number, f"Visitor {number}", 0.4, when)
            blocked.append(time.perf_counter() - started)
            send()
            assert event is not None and writer.flush(timeout=600)
            in_workbook.append(time.perf_counter() - started)
        recorder.close()
        writer.close()
        month_rows = len(ExcelWorkbook(main).read_rows())
        assert month_rows >= ARRIVALS

        started = time.perf_counter()
        exported = WorkbookSync(records, main, lambda: roster, hours).export()
        export_seconds = time.perf_counter() - started

        started = time.perf_counter()
        month = [to_row(event) for event in records.events_in_month(LAST_DAY.strftime("%Y-%m"))]
        report = period_report(month, roster, days_of(LAST_DAY.strftime("%Y-%m")),
                               hours() if callable(hours) else hours)
        group_days(report, LAST_DAY)
        report_seconds = time.perf_counter() - started
        assert exported == size + ARRIVALS
        files = len(list(data.glob("*.xlsx")))
    return {
        "backlog_s": backlog_seconds,
        "size": size, "month_rows": month_rows, "first_start_s": first_start,
        "blocked_median_ms": statistics.median(blocked) * 1000,
        "blocked_max_ms": max(blocked) * 1000,
        "workbook_median_s": statistics.median(in_workbook),
        "workbook_max_s": max(in_workbook),
        "export_s": export_seconds, "export_rows": exported, "files": files,
        "report_s": report_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--central", action="store_true",
                        help="the year in a central PostgreSQL log, the workbook the keeping door's")
    parser.add_argument("--no-lxml", action="store_true",
                        help="openpyxl without lxml (standard-library XML), as before lxml was added")
    parser.add_argument("--people", type=int, help="people enrolled (500; a --year: 5000)")
    parser.add_argument("--groups", type=int,
                        help="groups they are in (0: none; a --year: 100)")
    parser.add_argument("--year", action="store_true",
                        help="a school's calendar year at its end instead (see above)")
    parser.add_argument("--months", type=int, default=12, choices=range(1, 13),
                        help="--year: build only the last N months (12)")
    parser.add_argument("--arrivals", type=int, default=3, help="--year: arrivals timed (3)")
    parser.add_argument("--keep", type=Path, help="--year: build in DIR, or measure the year there")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's own size
    args = parser.parse_args()
    if args.year:
        year.run(args.people or 5000, 100 if args.groups is None else args.groups, args.months,
                 args.arrivals, args.keep)
        return
    args.people = args.people or PEOPLE
    args.groups = args.groups or 0
    if args.one:
        print(json.dumps(measure(args.one, args.central, args.people, args.groups)))
        return
    backlog = " sending the year |" if args.central else ""
    print(f"| events in journal |{backlog} rows in latest month | blocked median / max | in "
          "workbook median / max | first start | export (files) | report | peak memory |")
    print("|---|" + "---|" * (8 if args.central else 7))
    for size in args.sizes:
        start = ["-c", WITHOUT_LXML] if args.no_lxml else ["-m", "benchmarks.records_scale"]
        child = subprocess.run([sys.executable, *start, "--one", str(size),
                                *(["--central"] if args.central else []),
                                "--people", str(args.people), "--groups", str(args.groups)],
                               capture_output=True, text=True, check=True)
        r = json.loads(child.stdout.splitlines()[-1])
        sent = f" {r['backlog_s']:.2f} s |" if args.central else ""
        print(f"| {r['size']:,} |{sent} {r['month_rows']:,} | {r['blocked_median_ms']:.1f} / "
              f"{r['blocked_max_ms']:.1f} ms | {r['workbook_median_s']:.2f} / "
              f"{r['workbook_max_s']:.2f} s | {r['first_start_s']:.1f} s | "
              f"{r['export_s']:.1f} s ({r['files']}) | {r['report_s']:.2f} s | "
              f"{r['peak_mb']:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
