"""What the audit trail costs the reports and the month's save (issue 25, point 4): every
read of a month goes through CorrectedJournal, the journal read through its corrections.

Measured here: reading one month of a large journal (`--people` people, one arrival each
per school day, `--events` in all: the records benchmark's year of a large school) with
the plain Journal and with CorrectedJournal holding 0 and then `--corrections` time
corrections spread over the year; best of 3 reads each, and the month's Audit lines.

    uv run python -m benchmarks.corrections_view [--events 220000] [--people 5000]
                                                 [--corrections 500]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from attendance_app.records.corrections import CORRECT, CorrectedJournal
from attendance_app.records.journal import Journal, month_bounds
from tests.support.journals import fill_journal


def _best(read: Callable[[], int]) -> tuple[int, float]:
    """(what `read` returned, its best time of 3 in ms)."""
    times, found = [], 0
    for _ in range(3):
        started = time.perf_counter()
        found = read()
        times.append((time.perf_counter() - started) * 1000)
    return found, min(times)


def _correct(path: Path, count: int, events: int) -> None:
    """`count` time corrections of random rows, in one transaction (filling is not what is
    measured): each moves its row to 07:00 of its day."""
    rng = random.Random(0)
    with closing(sqlite3.connect(path)) as db, db:
        for event_id in rng.sample(range(1, events + 1), count):
            stamp = db.execute("SELECT timestamp FROM events WHERE id = ?",
                               (event_id,)).fetchone()[0]
            db.execute("INSERT INTO corrections (made_at, made_by, action, event_id, new_time,"
                       " reason) VALUES ('2026-12-05T09:00:00', 'bench', ?, ?, ?, 'bench')",
                       (CORRECT, event_id, stamp[:10] + "T07:00:00"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=220_000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--corrections", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite3"
        days = fill_journal(path, args.events, people=args.people)
        month = f"{days[len(days) // 2]:%Y-%m}"
        print(f"{args.events:,} events, {args.people:,} people; month {month}")
        print("| journal | corrections | events of the month | best ms |")
        print("| --- | ---: | ---: | ---: |")
        plain = Journal(path)
        rows, ms = _best(lambda: len(plain.events_in_month(month)))
        print(f"| Journal | - | {rows:,} | {ms:.0f} |")
        corrected = CorrectedJournal(path)
        rows, ms = _best(lambda: len(corrected.events_in_month(month)))
        print(f"| CorrectedJournal | 0 | {rows:,} | {ms:.0f} |")
        _correct(path, args.corrections, args.events)
        rows, ms = _best(lambda: len(corrected.events_in_month(month)))
        print(f"| CorrectedJournal | {args.corrections:,} | {rows:,} | {ms:.0f} |")
        lines, ms = _best(lambda: len(corrected.audit_between(*month_bounds(month))))
        print(f"Audit lines of {month}: {lines} in {ms:.0f} ms (best of 3)")


if __name__ == "__main__":
    main()
