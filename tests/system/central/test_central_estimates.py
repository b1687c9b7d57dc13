"""The age and gender estimated at arrival (analytics.age_gender) reach the site's central
PostgreSQL with their row, as the expression does, and come back to every door that reads
the central log; a row without them stays without (issue 23)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.records import CentralJournal
from attendance_app.records.journal import Journal
from attendance_app.types import AgeGender, AttendanceEvent, Expression


def test_the_estimates_travel_with_their_row_to_the_central_log_and_back(
        tmp_path: Path, database_url: str) -> None:
    database = CentralDatabase(database_url)
    schema.initialise(database)
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.join_central()
    when = datetime(2026, 12, 5, 8, 30)
    estimate = AgeGender(34.6, "female", 0.97)
    journal.record(AttendanceEvent(when, 1, "Ada", "front", 0.4, "in", age_gender=estimate,
                                   expression=Expression("happy", 0.8)))
    journal.record(AttendanceEvent(when.replace(minute=31), 2, "Bob", "front", 0.4, "in"))
    pusher = JournalPusher(journal, database)
    while pusher.push_once():
        pass

    central = {event.name: event for event in CentralJournal(database, None).events()}

    assert central["Ada"].age_gender == estimate
    assert central["Ada"].expression == Expression("happy", 0.8)
    assert central["Bob"].age_gender is None
