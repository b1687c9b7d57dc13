"""What upgrading an old journal costs: its rows gain their UTC offsets the first time a
release that keeps offsets opens it (attendance_app.records.journal_offsets).

A year of a 500-person school is made with benchmarks.history, its offset column dropped
(a journal as earlier releases wrote it), then opened twice, in the Europe/Berlin zone
(so the history crosses daylight saving changes): the first open upgrades, the second
finds nothing to do.

    uv run python -m benchmarks.journal_upgrade [--events 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path
from zoneinfo import ZoneInfo

from attendance_app import local_time
from attendance_app.records.journal import Journal
from tests.support.journals import fill_journal


def _old_journal(path: Path, events: int) -> None:
    """A journal of `events` rows as earlier releases wrote it: no offset column."""
    fill_journal(path, events)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("ALTER TABLE events DROP COLUMN utc_offset")


def _seconds_to_open(path: Path) -> float:
    started = time.perf_counter()
    Journal(path)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    sizes = parser.parse_args().events
    local_time.use_zone(ZoneInfo("Europe/Berlin"))
    print("| events | first open (upgrade) | next open | offsets filled |")
    print("|---:|---:|---:|---:|")
    for events in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "journal.sqlite3"
            _old_journal(path, events)
            upgrade, again = _seconds_to_open(path), _seconds_to_open(path)
            with closing(sqlite3.connect(path)) as db:
                filled = db.execute("SELECT COUNT(*) FROM events WHERE utc_offset IS NOT NULL"
                                    ).fetchone()[0]
            print(f"| {events:,} | {upgrade:.2f} s | {again * 1000:.0f} ms | {filled:,} |")


if __name__ == "__main__":
    main()
