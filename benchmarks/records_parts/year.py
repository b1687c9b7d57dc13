"""A school's year in the records (issue 25, point 8): 5,000 people in 100 groups, one
arrival per person per expected day of 2025, then what the office waits for at its end.

Built once per folder (not measured; `--keep DIR` keeps it, so a second run measures the
same year without building it again):

- the face store: `--people` people (random encodings: only their names matter),
  enrolled before the year, so every day of it counts for them; `--groups` groups with
  varied hours (starts 07:30 to 09:15, 0 to 15 minutes of grace, mon-fri, every tenth
  group mon-thu and every 25th mon-sat, every other group with an end); each person in
  one group, every fifth in a second;
- the journal: one arrival per person per expected day (the days of both groups), from a
  quarter of an hour before their earlier group's start to a quarter after (so some are
  late), one in 50 missing (absent). 1.3 million rows through the recorder (one commit
  each) would take hours on this machine, so they are made by one INSERT ... SELECT in
  SQLite, in the columns the app writes, after the app has made the journal's schema;
- corrections through the app's own functions (records.voiding, records.correcting),
  spread over the year: rows voided (a fifth of the voids undone), missed arrivals added
  by hand, times corrected.

Measured in a child process of its own (so its peak memory is the measurement's):

- first save: the workbook writer's first save after a start (writes December);
- arrival: `--arrivals` arrivals on 31 December through the recorder and the background
  writer, each timed until it is in the saved December workbook (and how long record()
  kept the camera loop waiting);
- `report --day 2025-12-31` as the command does it (the month read, its workbook written
  with the report sheets, the day's lists), and its parts: reading the month
  (MonthReports.load), the month's reports (MonthReports.report), the day's, writing the
  month's workbook with its report sheets (MonthReports.write_workbook);
- the journal's size on disk, and the child's peak memory (resource.getrusage);
- then, in the parent, the real command `attendance-app report --day 2025-12-31` (its
  start-up included), timed from outside.

`--months N` builds only the last N months (a month to develop on).

    uv run python -m benchmarks.records_scale --year [--people 5000] [--groups 100]
        [--months 12] [--arrivals 3] [--keep DIR]
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import TypeVar

import numpy as np

from attendance_app import local_time
from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.records.correcting import add_arrival, correct_time, undo_void
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.reporting import MonthReports, describe_day
from attendance_app.records.voiding import void_event
from attendance_app.records.workbook_writer import WorkbookWriter
from enrolment import FaceStore, GroupBook, NewEncoding

LAST_DAY = date(2025, 12, 31)
ENROLLED = "2024-12-01T08:00:00"
CORRECTIONS = 100
"""Of each kind: voids, arrivals added by hand, times corrected (and a fifth of the voids
undone)."""
MON_FRI, MON_THU, MON_SAT = 0b0011111, 0b0001111, 0b0111111
T = TypeVar("T")


def _group_hours(number: int) -> tuple[int, str, int, str]:
    """(days mask, start, grace, end) of group `number` (0-based): varied as a school's."""
    start = 7 * 60 + 30 + (number % 8) * 15
    days = MON_THU if number % 10 == 9 else MON_SAT if number % 25 == 24 else MON_FRI
    end = f"{(start + 420) // 60:02d}:{start % 60:02d}" if number % 2 else ""
    return days, f"{start // 60:02d}:{start % 60:02d}", (number % 4) * 5, end


def _people(workspace: Workspace, people: int, groups: int) -> list[tuple[int, str, int, int]]:
    """Enrol the people, make the groups and put people in them; (id, name, days mask,
    earlier start in minutes) per person."""
    store = workspace.store()
    vectors = np.random.default_rng(0).normal(size=(people, 128))
    for number, vector in enumerate(vectors, start=1):
        store.enrol(f"Person {number:04d}", [NewEncoding(vector, "benchmark")])
    with closing(sqlite3.connect(workspace.faces_path)) as db, db:
        db.execute("UPDATE people SET created_at = ?", (ENROLLED,))
    book, hours = GroupBook(store), [_group_hours(n) for n in range(groups)]
    members: dict[int, list[str]] = {n: [] for n in range(groups)}
    found = []
    for index, person in enumerate(store.people()):
        mine = [index % groups] + ([(index + 37) % groups] if index % 5 == 0 else [])
        for number in mine:
            members[number].append(person.name)
        mask = 0
        for number in mine:
            mask |= hours[number][0]
        start = min(int(hours[n][1][:2]) * 60 + int(hours[n][1][3:]) for n in mine)
        found.append((person.person_id, person.name, mask, start))
    for number, (days, start, grace, end) in enumerate(hours):
        book.add(f"Group {number + 1:03d}", days, start, grace, end)
        book.assign(f"Group {number + 1:03d}", members[number])
    return found


def _days(months: int) -> list[tuple[int, str, int, int]]:
    """(ordinal, 'YYYY-MM-DD', week day, UTC offset in seconds) of every day of the last
    `months` months of 2025."""
    day, days = date(2025, 13 - months, 1), []
    while day <= LAST_DAY:
        offset = local_time.offset_at(datetime.combine(day, clock(8))).total_seconds()
        days.append((day.toordinal(), day.isoformat(), day.weekday(), int(offset)))
        day += timedelta(days=1)
    return days


_ARRIVALS = """
SELECT day || 'T' || printf('%02d:%02d:%02d', m / 60, m % 60, (pid * 7 + ord) % 60), pid, name,
       'Front door', 0.41, 'in', utc_offset
FROM (SELECT d.ord, d.day, d.utc_offset, p.id AS pid, p.name,
             p.start - 15 + (p.id * 613 + d.ord * 97) % 30 AS m
      FROM bench_days d JOIN bench_people p ON (p.mask >> d.weekday) & 1
      WHERE (p.id * 31 + d.ord * 17) % 50 {missing} 0)
ORDER BY day, m, pid
"""
"""Each person's arrivals on their expected days; with `missing` '!=' those that came,
with '=' the one day in 50 each missed."""


def _fill(workspace: Workspace, people: list[tuple[int, str, int, int]], months: int) -> int:
    """The year's arrivals, in one transaction; returns how many."""
    workspace.journal()  # the journal's schema, with its corrections, as the app makes it
    with closing(sqlite3.connect(workspace.journal_path)) as db, db:
        db.execute("CREATE TEMP TABLE bench_days (ord, day, weekday, utc_offset)")
        db.execute("CREATE TEMP TABLE bench_people (id, name, mask, start)")
        db.executemany("INSERT INTO bench_days VALUES (?, ?, ?, ?)", _days(months))
        db.executemany("INSERT INTO bench_people VALUES (?, ?, ?, ?)", people)
        db.execute("INSERT INTO events (timestamp, person_id, name, camera, distance, kind, "
                   "utc_offset) " + _ARRIVALS.format(missing="!="))
        missed = db.execute(_ARRIVALS.format(missing="=")).fetchall()
        count = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    _correct(workspace, count, missed)
    return count


def _correct(workspace: Workspace, count: int, missed: list[tuple]) -> None:
    """Voids (a fifth undone), missed arrivals added by hand and times corrected, through
    the app's functions, at rows drawn evenly from the whole year."""
    rng, journal, store = random.Random(0), workspace.journal(), workspace.store()
    voided = rng.sample(range(1, count + 1), CORRECTIONS)
    for event_id in voided:
        void_event(journal, store, event_id, "not this person: a visitor", "bench")
    for event_id in rng.sample(voided, CORRECTIONS // 5):
        undo_void(journal, event_id, "it was them after all", "bench")
    for stamp, _, name, *_ in rng.sample(missed, min(CORRECTIONS, len(missed))):
        add_arrival(journal, store, name, datetime.fromisoformat(stamp), "camera down", "bench")
    for event_id in rng.sample(range(1, count + 1), CORRECTIONS):
        event = journal.event(event_id)
        assert event is not None
        if event.void is None:
            at = event.timestamp.replace(tzinfo=None, second=0) - timedelta(minutes=20)
            correct_time(journal, event_id, at, "clock of the door was late", "bench")


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    """What `work` returned, and the seconds it took."""
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def measure(data: Path, arrivals: int) -> dict[str, float]:
    """The figures of the year in `data`, in this process (see the module's docstring)."""
    workspace = Workspace.resolve(AppConfig(), data, None)
    journal = workspace.journal()
    writer = WorkbookWriter(workspace.workbook_sync(journal))
    flushed, first_save = _timed(lambda: writer.flush(timeout=3600))
    assert flushed
    recorder = AttendanceRecorder(journal, writer, AttendancePolicy(), "Front door")
    in_workbook, blocked = [], []
    for number in range(arrivals):
        started = time.perf_counter()
        event = recorder.record(100_000 + number, f"Visitor {number}", 0.4,
                                datetime.combine(LAST_DAY, clock(17, 0, number)))
        blocked.append(time.perf_counter() - started)
        assert event is not None and writer.flush(timeout=3600)
        in_workbook.append(time.perf_counter() - started)
    recorder.close()
    writer.close()

    started = time.perf_counter()  # `report --day`: the door has just saved the month
    reports, load = _timed(lambda: MonthReports.load(workspace, LAST_DAY))
    _, current = _timed(reports.write_workbook)  # as saved from the same inputs: not written
    day_lines, day = _timed(lambda: describe_day(reports.report(LAST_DAY), LAST_DAY)
                            + reports.by_hand(LAST_DAY))
    report_day = time.perf_counter() - started
    _, write = _timed(lambda: reports.sync.write_month(reports.month, force=True))
    month, month_s = _timed(reports.report)
    size = sum(p.stat().st_size for p in data.glob(workspace.journal_path.name + "*"))
    return {
        "events": journal_count(workspace.journal_path), "month_rows": len(reports.rows),
        "first_save_s": first_save, "arrival_median_s": statistics.median(in_workbook),
        "arrival_max_s": max(in_workbook), "blocked_max_ms": max(blocked) * 1000,
        "report_day_s": report_day, "load_s": load,
        "day_s": day, "month_report_s": month_s, "write_month_s": write, "current_s": current,
        "day_lines": len(day_lines), "absent_in_month": sum(t.absent for t in month.totals),
        "journal_mb": size / 1e6,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def journal_count(path: Path) -> int:
    """The rows in the journal at `path`, hand-added ones included."""
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])


def build(data: Path, people: int, groups: int, months: int) -> float:
    """The year in `data` (see the module's docstring); returns the seconds it took."""
    started = time.perf_counter()
    workspace = Workspace.resolve(AppConfig(), data, None)
    _fill(workspace, _people(workspace, people, groups), months)
    return time.perf_counter() - started


def run(people: int, groups: int, months: int, arrivals: int, keep: Path | None) -> None:
    """Build the year (in `keep`, unless it holds one already), measure it in a child
    process and print the figures as JSON."""
    with tempfile.TemporaryDirectory() as folder:
        data = keep or Path(folder)
        if not (data / "journal.sqlite3").exists():
            print(f"built in {build(data, people, groups, months):.0f} s", flush=True)
        child = subprocess.run([sys.executable, "-m", "benchmarks.records_parts.year",
                                str(data), str(arrivals)],
                               capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout.splitlines()[-1])
        config = data / "config.yaml"  # the defaults the child measured with, not the user's
        config.write_text("{}\n")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "attendance_app", "report", "--day",
                        LAST_DAY.isoformat(), "--config", str(config), "--data-dir", str(data)],
                       capture_output=True, check=True)
        figures["report_command_s"] = time.perf_counter() - started
        print(json.dumps(figures, indent=1))


if __name__ == "__main__":  # the child: python -m benchmarks.records_parts.year DIR ARRIVALS
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]))))
