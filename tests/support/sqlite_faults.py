"""Damage done for real to an SQLite file the app made, for the fault tests: random bytes
over a page SQLite reads, the file cut short, another program's database or a text file
in its place; and an unknown visitors' store with faces in it, to damage."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from attendance_app.unknowns.store import NewSighting, UnknownStore

KEEP_UNKNOWNS = "unknowns:\n  keep_days: 30\n"
"""Settings that keep unknown visitors' faces (so a run opens unknowns.sqlite3)."""


def garbage(size: int) -> bytes:
    """`size` random bytes, the same in every run."""
    return random.Random(20).randbytes(size)


def corrupt_middle_page(path: Path, table: str = "%") -> None:
    """Random bytes over the b-tree page (of `table`, by default of any table or index)
    nearest the middle of the file: a page SQLite reads, so the damage is real, not a free
    page nobody looks at."""
    with closing(sqlite3.connect(path)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = [row[0] for row in db.execute(
            "SELECT pageno FROM dbstat WHERE pagetype IN ('internal', 'leaf') AND pageno > 1"
            " AND name LIKE ?", (table,))]
        count = db.execute("PRAGMA page_count").fetchone()[0]
    assert pages, "the file needs a b-tree page besides the first"
    page = min(pages, key=lambda number: abs(number - count / 2))
    with open(path, "r+b") as file:
        file.seek((page - 1) * page_size)
        file.write(garbage(page_size))


def truncate(path: Path) -> None:
    """Cut the file short: the first two-thirds of it are left (the header promises more)."""
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size * 2 // 3)


def another_programs_database(path: Path) -> None:
    """A sound SQLite database of another program, under our file's name."""
    path.unlink()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
        db.execute("INSERT INTO bookmarks (url) VALUES ('https://example.org')")


def a_stamped_database(path: Path) -> None:
    """Another program's database that carries its own application id (Fossil's), with a
    table named like one of ours."""
    path.unlink()
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA application_id = 252006673")
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, what TEXT)")


def text_file(path: Path) -> None:
    path.write_text("name,time\nAda,08:00\n" * 50)


FAULTS: dict[str, Callable[[Path], None]] = {
    "a page in the middle": corrupt_middle_page, "cut short": truncate,
    "another program's database": another_programs_database,
    "a database with another program's id": a_stamped_database, "a text file": text_file}


def unknowns_with_faces(path: Path, count: int = 20) -> None:
    """An unknown visitors' store made by the app, with `count` sightings (random pictures
    and encodings: what is damaged here is the file, not what it means)."""
    store = UnknownStore(path)
    rng = np.random.default_rng(3)
    for number in range(count):
        store.add(NewSighting(datetime(2026, 11, 2, 8, 0) + timedelta(minutes=number), "door",
                              garbage(3000), 90, "sface", rng.normal(size=(3, 128))))
