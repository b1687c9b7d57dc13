"""A past of attendance, made up fast: a journal filled as a school would fill it.

Used by benchmarks/records_scale.py and the records tests. Events go straight into the
journal file in one transaction (recording them one by one through the app would fsync
each, minutes for a year), with the same columns the app writes.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path

from attendance_app import local_time
from attendance_app.records.journal import Journal


def school_days(first: date, count: int) -> list[date]:
    """`count` weekdays from `first` on (weekends skipped, as at a school)."""
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def first_day_for(events: int, people: int, last: date) -> date:
    """The first school day of a history of `events` arrivals of `people` ending on `last`
    (a weekday)."""
    remaining, day = -(-events // people), last
    while True:
        if day.weekday() < 5:
            remaining -= 1
            if remaining == 0:
                return day
        day -= timedelta(days=1)


def fill_journal(path: Path, events: int, people: int = 500, first: date = date(2025, 11, 3),
                 camera: str = "Front door") -> list[date]:
    """Add `events` arrivals to the journal at `path`: `people` people, one each per school
    day from `first` on, arriving between 07:40 and 08:50. Returns the days used."""
    Journal(path)  # creates the file and schema as the app does
    days = school_days(first, -(-events // people))
    rows = []
    for number in range(events):
        day, person = days[number // people], number % people + 1
        arrival = datetime.combine(day, time(7, 40)) + timedelta(seconds=(person * 613) % 4200)
        rows.append((arrival.isoformat(timespec="seconds"), person, f"Person {person:04d}",
                     camera, 0.41, "in", int(local_time.offset_at(arrival).total_seconds())))
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany("INSERT INTO events (timestamp, person_id, name, camera, distance, kind,"
                       " utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return days
