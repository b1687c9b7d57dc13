"""The journal: committed events read back in order, by day and past an id, through its
time index."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from attendance_app.records.journal import Journal
from attendance_app.types import AgeGender, AttendanceEvent
from tests.support.journals import fill_journal


def _event(when: datetime, person_id: int = 1) -> AttendanceEvent:
    return AttendanceEvent(when, person_id, f"p{person_id}", "door", 0.41, "in")


def test_recorded_events_get_increasing_ids_and_read_back_equal(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    first = journal.record(_event(datetime(2026, 1, 5, 9, 0, 0)))
    second = journal.record(_event(datetime(2026, 1, 6, 9, 30, 0), 2))
    assert first.event_id is not None and second.event_id == first.event_id + 1
    assert Journal(tmp_path / "journal.sqlite3").events() == [first, second]


def test_events_of_a_day_a_month_and_after_an_id(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    events = [journal.record(_event(datetime(2026, 1, d, 12, 0, 0))) for d in (1, 2, 3)]
    events.append(journal.record(_event(datetime(2026, 2, 1, 0, 0, 0))))
    assert journal.events_after(events[0].event_id or 0) == events[1:]
    assert journal.events_on(date(2026, 1, 2)) == [events[1]]
    assert journal.events_in_month("2026-01") == events[:3]
    assert journal.latest_month() == "2026-02" and journal.last_id() == 4
    assert journal.month_totals() == {"2026-01": (3, 3), "2026-02": (1, 4)}


def test_journal_file_is_private_to_its_owner(tmp_path: Path) -> None:
    Journal(tmp_path / "j.sqlite3")
    assert stat.S_IMODE((tmp_path / "j.sqlite3").stat().st_mode) == 0o600


# --- the journal answers from its index ----------------------------------------------

def _plan(path: Path, sql: str, *args: object) -> str:
    with closing(sqlite3.connect(path)) as db:
        return " ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args))


def test_todays_and_a_months_events_are_read_through_the_time_index(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    fill_journal(path, 2_000, people=100)
    journal = Journal(path)
    day = journal.events()[-1].timestamp.date()

    today = journal.events_on(day)

    assert len(today) == 100 and all(e.timestamp.date() == day for e in today)
    assert [e.event_id for e in today] == sorted(e.event_id for e in today)
    plan = _plan(path, "SELECT * FROM events INDEXED BY events_by_time"
                       " WHERE timestamp >= ? AND timestamp < ? ORDER BY id", "a", "b")
    assert "USING INDEX events_by_time" in plan
    assert _plan(path, "SELECT * FROM events WHERE id > ? ORDER BY id", 5).count("SCAN") == 0


def test_a_journal_of_an_earlier_version_gains_the_estimates_table_and_keeps_its_rows(
        tmp_path: Path) -> None:
    """A journal written before age and gender existed (no event_estimates table) opens
    without a rewrite: its rows read back as before, without estimates, and new rows
    carry theirs."""
    path = tmp_path / "journal.sqlite3"
    old = Journal(path).record(_event(datetime(2026, 1, 5, 9, 0, 0)))
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DROP TABLE event_estimates")
    estimate = AgeGender(41.3, "male", 0.88)

    journal = Journal(path)
    new = journal.record(replace(_event(datetime(2026, 1, 5, 9, 5, 0), 2), age_gender=estimate))

    assert journal.events() == [old, new]
    assert (old.age_gender, new.age_gender) == (None, estimate)
