"""A small school's journal across a month's end, for the range reports' tests.

Ada and Bob are in class 3A (mon-fri, 08:30, 5 minutes' grace); Cyd is in no group and
follows the site's start, 08:30. All three were enrolled on 1 October 2026. From Thursday
29 October to Monday 2 November 2026 (a weekend between, nobody came):

- Thu 29 Oct: Ada 08:20, Bob 08:50 (20 min late), Cyd 09:10 (40 min late)
- Fri 30 Oct: Ada 08:25, Cyd 08:00; Bob absent
- Mon 2 Nov: Ada 08:40 (10 min late), Bob 08:29; Cyd absent

and, outside that range, Bob on Wednesday 28 October and Ada on Tuesday 3 November.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, GroupBook, NewEncoding
from tests.support.encodings import random_face

FIRST, LAST = date(2026, 10, 29), date(2026, 11, 2)
CONFIG = 'attendance:\n  start_time: "08:30"\n  site_name: "Example School"\n'
ARRIVALS = (("2026-10-28 08:10", 2), ("2026-10-29 08:20", 1), ("2026-10-29 08:50", 2),
            ("2026-10-29 09:10", 3), ("2026-10-30 08:25", 1), ("2026-10-30 08:00", 3),
            ("2026-11-02 08:40", 1), ("2026-11-02 08:29", 2), ("2026-11-03 08:00", 1))
NAMES = {1: "Ada", 2: "Bob", 3: "Cyd"}


def range_school(folder: Path) -> Path:
    """Fill `folder` (a data folder) as the docstring says; returns the settings file."""
    folder.mkdir(parents=True, exist_ok=True)
    store = FaceStore(folder / "faces.sqlite3")
    for seed, name in enumerate(NAMES.values()):
        store.enrol(name, [NewEncoding(random_face(seed), "test")])
    with closing(sqlite3.connect(folder / "faces.sqlite3")) as db, db:
        db.execute("UPDATE people SET created_at = '2026-10-01T07:00:00'")
    book = GroupBook(store)
    book.add("3A", 0b0011111, "08:30", 5)
    book.assign("3A", ["Ada", "Bob"])
    journal = Journal(folder / "journal.sqlite3")
    for when, person in ARRIVALS:
        journal.record(AttendanceEvent(datetime.fromisoformat(when), person, NAMES[person],
                                       "Door", 0.4, "in"))
    config = folder / "config.yaml"
    config.write_text(CONFIG)
    return config
