"""The UTC offsets of an older journal's rows, guessed once, when the journal is upgraded.

Journals of earlier releases kept local wall time only. Each of their rows gains the
offset the local zone had at its wall time (attendance_app.local_time), which keeps its
meaning: the wall time is not touched, and the offset places it on the real time line.

An hour the autumn change repeats is ambiguous. The rows are read in the order they were
recorded (by id): within that hour of one night, a row whose wall time is earlier than a
row recorded before it shows that the clock went back between them, so it and the rows of
that hour recorded after it are the second pass (winter time); the others the first pass
(summer time). A wall time the spring change skips takes the offset before the change.

Offsets change twice a year, so consecutive rows share one: the offsets are written as a
few ranges of ids, not one update per row (see docs/measurements/journal_upgrade.md for what 100,000 rows cost).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from attendance_app import local_time


def _offsets(minute: str) -> tuple[int, int]:
    """The offsets (seconds) of the first and second pass of wall minute `minute`
    ('YYYY-MM-DDTHH:MM'): they differ only in an hour the autumn change repeats."""
    wall = datetime.fromisoformat(minute)
    return (local_time.offset_seconds(local_time.reading(wall, 0)),
            local_time.offset_seconds(local_time.reading(wall, 1)))


def guess_offsets(rows: Iterable[tuple[int, str]]) -> Iterator[tuple[int, int]]:
    """(id, offset in seconds east of UTC) for `rows` of (id, ISO wall time) in id order.

    Offsets are looked up once per wall minute (zones change on whole minutes): a year of
    a school shares a few thousand minutes.
    """
    by_minute: dict[str, tuple[int, int]] = {}
    latest: dict[date, str] = {}  # per night: the latest wall time of its repeated hour
    second_pass: set[date] = set()  # nights whose clock went back among the rows read
    for event_id, text in rows:
        minute = text[:16]
        if minute not in by_minute:
            by_minute[minute] = _offsets(minute)
        first, second = by_minute[minute]
        if second >= first:  # not a repeated hour
            yield event_id, first
            continue
        night = date.fromisoformat(text[:10])
        if night in second_pass or text < latest.get(night, text):  # ISO text sorts as time
            second_pass.add(night)
            yield event_id, second
        else:
            latest[night] = text
            yield event_id, first


def _runs(offsets: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """(offset, first id, last id) of each run of consecutive rows sharing an offset."""
    run: list[int] | None = None
    for event_id, offset in offsets:
        if run is not None and run[0] == offset:
            run[2] = event_id
            continue
        if run is not None:
            yield run[0], run[1], run[2]
        run = [offset, event_id, event_id]
    if run is not None:
        yield run[0], run[1], run[2]


def fill_offsets(db: sqlite3.Connection) -> int:
    """Give every event without an offset its best guess, in the open transaction of
    `db`; returns how many rows were given one."""
    rows = db.execute("SELECT id, timestamp FROM events WHERE utc_offset IS NULL ORDER BY id")
    filled = 0
    for offset, first, last in list(_runs(guess_offsets(rows))):
        filled += db.execute("UPDATE events SET utc_offset = ? WHERE id BETWEEN ? AND ?"
                             " AND utc_offset IS NULL", (offset, first, last)).rowcount
    return filled
