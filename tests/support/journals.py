"""Journals filled for a test or a benchmark: a past of attendance made up fast, as a
school would fill it, and a morning's arrivals recorded the app's way.

`fill_journal` (used by the records tests and benchmarks/records_scale.py) puts events
straight into the journal file in one transaction (recording them one by one through the
app would fsync each, minutes for a year), with the same columns the app writes.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime, time, timedelta
from pathlib import Path

from attendance_app import local_time
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from exports import ExcelWorkbook


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


PUPILS = 18
"""The month's workbook before a journal is lost: issue 20's class of 18, who became 1."""


def fill_this_morning(journal: Journal, people: int, first_id: int = 100,
                      who: str = "Pupil") -> None:
    """`people` arrivals this morning, recorded through `journal` one a minute from
    midnight (so a run's arrival now falls in the same month)."""
    start = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    for number in range(people):
        journal.record(AttendanceEvent(start + timedelta(minutes=number), first_id + number,
                                       f"{who} {number + 1}", "Front door", 0.35, "in"))


def arrival(when: datetime, person_id: int, kind: str = "in") -> AttendanceEvent:
    """An event of "Person N" at the front door, as the recorder makes one."""
    return AttendanceEvent(when, person_id, f"Person {person_id}", "Front door", 0.4, kind)


def workbook_ids(path: Path) -> list[int]:
    """The journal event ids of a workbook's rows, in its order."""
    return [row.event_id for row in ExcelWorkbook(path).read_rows()]


def journal_ids(journal: Journal, month: str) -> list[int]:
    """The ids of the journal's events in `month` (YYYY-MM), in order."""
    return [event.event_id or 0 for event in journal.events_in_month(month)]
