"""Daylight saving: cooldown, in/out pairing and hours use real elapsed time (issue 20,
point 7).

The nights are Europe/Berlin's of 2026: on 25 October the clocks go back from 03:00 CEST
(UTC+2) to 02:00 CET (UTC+1), so 02:00-02:59 happens twice; on 29 March they go forward
from 02:00 CET to 03:00 CEST, so 02:00-02:59 never happens. Before, a person seen 30 and
45 real minutes after arriving on the autumn night (cooldown 20) got no "out" row, and 80
real minutes showed as 0.33 hours on the timesheet. Every test uses real files: a real
SQLite journal (an old one written with the earlier schema), a real workbook read back
with openpyxl, the real PostgreSQL server of the suite (a database of the earlier schema
migrated), and the system's own zone through TZ in a child process.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from attendance_app import local_time
from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase, DatabaseError
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.records import CentralJournal
from attendance_app.records.journal import Journal
from attendance_app.records.policy import AttendancePolicy
from attendance_app.records.recorder import AttendanceRecorder
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.types import AttendanceEvent
from exports import AttendanceRow, period_report
from tests.support.faults_support import cli

BERLIN = ZoneInfo("Europe/Berlin")
FALL_BACK = date(2026, 10, 25)
SPRING_FORWARD = date(2026, 3, 29)
COOLDOWN = timedelta(minutes=20)


def _berlin(day: date, hour: int, minute: int, second_pass: bool = False) -> datetime:
    """A Berlin wall time; `second_pass` for the hour the autumn change repeats."""
    return datetime(day.year, day.month, day.day, hour, minute, fold=int(second_pass),
                    tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def berlin() -> Iterator[None]:
    local_time.use_zone(BERLIN)
    yield
    local_time.use_zone(None)


def _event(when: datetime, kind: str, person_id: int = 1) -> AttendanceEvent:
    aware = local_time.aware(when)
    return AttendanceEvent(aware.replace(tzinfo=None), person_id, "Ada", "door", 0.4, kind, 1,
                           utc_offset=aware.utcoffset())


def _seen(policy: AttendancePolicy, when: datetime) -> str | None:
    kind = policy.decide(1, when)
    if kind is not None:
        policy.remember(_event(when, kind))
    return kind


# --- the policy ---------------------------------------------------------------------------


def test_fall_back_night_30_and_45_real_minutes_after_in_logs_the_out() -> None:
    """In at 02:50 CEST; 30 real minutes later the wall clock says 02:20 (CET), 45 later
    02:35: the first is the "out" (it was refused before: the wall time went back)."""
    policy = AttendancePolicy(COOLDOWN)
    assert _seen(policy, _berlin(FALL_BACK, 2, 50)) == "in"
    assert _seen(policy, _berlin(FALL_BACK, 2, 20, second_pass=True)) == "out"
    assert _seen(policy, _berlin(FALL_BACK, 2, 35, second_pass=True)) is None  # 15 min on


def test_fall_back_night_the_policy_sees_90_minutes_where_the_wall_shows_30() -> None:
    policy = AttendancePolicy(timedelta(minutes=60))
    assert _seen(policy, _berlin(FALL_BACK, 2, 10)) == "in"
    assert _seen(policy, _berlin(FALL_BACK, 2, 40)) is None  # first pass: 30 minutes
    assert _seen(policy, _berlin(FALL_BACK, 2, 40, second_pass=True)) == "out"  # 90 minutes


def test_spring_forward_night_75_minutes_on_the_wall_are_15_real_ones() -> None:
    policy = AttendancePolicy(COOLDOWN)
    assert _seen(policy, _berlin(SPRING_FORWARD, 1, 50)) == "in"
    assert _seen(policy, _berlin(SPRING_FORWARD, 3, 5)) is None  # 15 real minutes
    assert _seen(policy, _berlin(SPRING_FORWARD, 3, 15)) == "out"  # 25 real minutes


def test_the_clock_set_back_across_a_month_end_still_starts_a_new_day() -> None:
    """A clock corrected from 1 November 00:05 to 31 October 23:58: the row is due, on
    31 October (as before this change)."""
    policy = AttendancePolicy(COOLDOWN)
    assert _seen(policy, datetime(2026, 11, 1, 0, 5)) == "in"
    assert _seen(policy, datetime(2026, 10, 31, 23, 58)) == "in"
    assert _seen(policy, datetime(2026, 11, 1, 0, 7)) is None  # 2 minutes after 00:05


def test_a_naive_frame_time_in_the_repeated_hour_is_the_pass_the_clock_is_in() -> None:
    wall = datetime(2026, 10, 25, 2, 40)
    during_first = local_time.aware(_berlin(FALL_BACK, 2, 41))
    during_second = local_time.aware(_berlin(FALL_BACK, 2, 41, second_pass=True))
    assert local_time.aware(wall, not_after=during_first).utcoffset() == timedelta(hours=2)
    assert local_time.aware(wall, not_after=during_second).utcoffset() == timedelta(hours=1)
    assert local_time.aware(wall).utcoffset() == timedelta(hours=2)  # no clock: first pass


# --- hours ------------------------------------------------------------------------------


def _row(event_id: int, when: datetime, kind: str) -> AttendanceRow:
    event = _event(when, kind)
    return AttendanceRow(event_id, event.timestamp, "Ada", 1, "door", 0.4, kind,
                         utc_offset=event.utc_offset)


def test_hours_across_the_fall_back_are_real_elapsed_time() -> None:
    """In 02:50 CEST, out 03:10 CET: 80 real minutes (the wall shows 20)."""
    rows = [_row(1, _berlin(FALL_BACK, 2, 50), "in"), _row(2, _berlin(FALL_BACK, 3, 10), "out")]
    report = period_report(rows, [], [FALL_BACK], None)
    assert report.timesheet[0].hours == 1.33
    assert report.timesheet[0].days[FALL_BACK] == "02:50–03:10"


def test_hours_pair_in_and_out_in_real_order_when_the_wall_time_goes_back() -> None:
    """Out at 02:20 CET comes 30 minutes after in at 02:50 CEST, though earlier on the wall."""
    rows = [_row(1, _berlin(FALL_BACK, 2, 50), "in"),
            _row(2, _berlin(FALL_BACK, 2, 20, second_pass=True), "out")]
    report = period_report(rows, [], [FALL_BACK], None)
    assert report.timesheet[0].hours == 0.5
    assert (report.daily[0].first_seen.hour, report.daily[0].first_seen.minute) == (2, 50)


def test_hours_across_the_spring_forward_are_real_elapsed_time() -> None:
    rows = [_row(1, _berlin(SPRING_FORWARD, 1, 50), "in"),
            _row(2, _berlin(SPRING_FORWARD, 3, 15), "out")]
    assert period_report(rows, [], [SPRING_FORWARD], None).timesheet[0].hours == 0.42


# --- end to end: the real journal and the real workbook ---------------------------------


def test_fall_back_night_through_the_journal_and_the_workbook(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    workbook = tmp_path / "attendance.xlsx"
    recorder = AttendanceRecorder(journal, WorkbookSync(journal, workbook),
                                  AttendancePolicy(COOLDOWN), "door")
    seen = [_berlin(FALL_BACK, 2, 50), _berlin(FALL_BACK, 2, 20, second_pass=True),
            _berlin(FALL_BACK, 2, 35, second_pass=True), _berlin(FALL_BACK, 3, 10),
            _berlin(FALL_BACK, 4, 0)]
    logged = [recorder.record(1, "Ada", 0.4, when=when) for when in seen]
    assert [e.kind if e else None for e in logged] == ["in", "out", None, "in", "out"]
    recorder.close()

    with closing(sqlite3.connect(journal.path)) as db:
        stored = db.execute("SELECT timestamp, utc_offset FROM events ORDER BY id").fetchall()
    assert stored == [("2026-10-25T02:50:00", 7200), ("2026-10-25T02:20:00", 3600),
                      ("2026-10-25T03:10:00", 3600), ("2026-10-25T04:00:00", 3600)]

    book = load_workbook(workbook, read_only=True)
    attendance = list(book["Attendance"].iter_rows(min_row=2, max_col=5, values_only=True))
    assert [(when, kind) for when, _, _, _, kind in attendance] == [
        (datetime(2026, 10, 25, 2, 50), "in"), (datetime(2026, 10, 25, 2, 20), "out"),
        (datetime(2026, 10, 25, 3, 10), "in"), (datetime(2026, 10, 25, 4, 0), "out")]
    header, *lines = book["Timesheet"].iter_rows(values_only=True)
    hours = dict(zip(header, lines[0]))["Hours"]
    assert hours == 1.33  # 30 + 50 real minutes; the wall times add up to 20 minutes
    book.close()


def test_the_clock_set_back_across_a_month_end_files_the_row_in_its_month(
        tmp_path: Path) -> None:
    """Held before this change, kept: a clock corrected from 1 November 00:05 back to
    31 October 23:58 logs a row that lands in October's workbook."""
    journal = Journal(tmp_path / "journal.sqlite3")
    sync = WorkbookSync(journal, tmp_path / "attendance.xlsx")
    recorder = AttendanceRecorder(journal, sync, AttendancePolicy(COOLDOWN), "door")
    assert recorder.record(1, "Ada", 0.4, when=datetime(2026, 11, 1, 0, 5)) is not None
    assert recorder.record(1, "Ada", 0.4, when=datetime(2026, 10, 31, 23, 58)) is not None
    recorder.close()
    october = load_workbook(tmp_path / "attendance-2026-10.xlsx", read_only=True)
    assert [row[0] for row in october["Attendance"].iter_rows(min_row=2, values_only=True)] == [
        datetime(2026, 10, 31, 23, 58)]
    october.close()


# --- an old journal is upgraded in place ------------------------------------------------

_OLD_EVENTS = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    camera TEXT NOT NULL,
    distance REAL NOT NULL,
    kind TEXT NOT NULL,
    uid TEXT
);
CREATE INDEX events_by_time ON events(timestamp);
"""
# The events table as releases before this one made it: wall time only.


def _old_journal(path: Path, walls: list[str]) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(_OLD_EVENTS)
        db.executemany("INSERT INTO events (timestamp, person_id, name, camera, distance, kind)"
                       " VALUES (?, 1, 'Ada', 'door', 0.4, 'in')", [(wall,) for wall in walls])


def _stored(path: Path) -> list[tuple[str, int | None]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT timestamp, utc_offset FROM events ORDER BY id").fetchall()


def test_an_old_journal_gains_best_guess_offsets_once_and_keeps_its_rows(tmp_path: Path) -> None:
    """The repeated hour: rows in the order recorded; 02:20 after 02:40 shows the clock
    went back, so it and the rows of that hour after it are winter time."""
    walls = ["2026-07-01T08:00:00", "2026-10-25T01:55:00", "2026-10-25T02:10:00",
             "2026-10-25T02:40:00", "2026-10-25T02:20:00", "2026-10-25T02:50:00",
             "2026-10-25T03:10:00", "2026-03-29T02:30:00", "2026-12-01T08:00:00"]
    path = tmp_path / "journal.sqlite3"
    _old_journal(path, walls)

    journal = Journal(path)
    expected = [7200, 7200, 7200, 7200, 3600, 3600, 3600, 3600, 3600]
    assert _stored(path) == list(zip(walls, expected))  # wall times untouched
    assert [e.utc_offset for e in journal.events()] == [timedelta(seconds=s) for s in expected]

    with closing(sqlite3.connect(path)) as db, db:  # a row someone changed by hand stays so
        db.execute("UPDATE events SET utc_offset = 0 WHERE id = 1")
    Journal(path)
    assert _stored(path)[0] == (walls[0], 0)  # opened again: nothing guessed twice


def test_two_processes_opening_an_old_journal_at_once_upgrade_it_once(tmp_path: Path) -> None:
    """The window and a `report` started together: the second waits for the first's
    upgrade and finds it done (no "duplicate column", no row guessed twice)."""
    path = tmp_path / "journal.sqlite3"
    _old_journal(path, [f"2026-10-{day:02d}T08:{minute:02d}:00"
                        for day in range(1, 31) for minute in range(60)] * 10)
    start, failures = threading.Barrier(2), []

    def open_it() -> None:
        start.wait()
        try:
            Journal(path)
        except Exception as error:  # noqa: BLE001 - the assertion below names it
            failures.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert {offset for _, offset in _stored(path)} == {7200, 3600}


def test_a_row_without_an_offset_is_read_in_the_local_zone(tmp_path: Path) -> None:
    """As a row added by an earlier release after the upgrade would be."""
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO events (timestamp, person_id, name, camera, distance, kind)"
                   " VALUES ('2026-08-03T09:00:00', 1, 'Ada', 'door', 0.4, 'in')")
    (event,) = journal.events()
    assert event.utc_offset is None and event.moment.utcoffset() == timedelta(hours=2)


# --- the system's zone, as the app uses it by default -----------------------------------


def test_export_of_an_old_journal_in_the_system_zone_counts_real_hours(tmp_path: Path) -> None:
    """The app as a user runs it, in a child process with TZ=Europe/Berlin: a journal of
    the earlier release holds the autumn night's in at 02:50 and out at 02:20 (recorded
    after it: the second pass); `export` upgrades it and the Timesheet shows 0.5 hours
    (before: 0, the out sorted before the in)."""
    path = tmp_path / "journal.sqlite3"
    _old_journal(path, ["2026-10-25T02:50:00", "2026-10-25T02:20:00"])
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE events SET kind = 'out' WHERE id = 2")
    result = cli("export", "--data-dir", str(tmp_path), env={**os.environ, "TZ": "Europe/Berlin"})
    assert result.returncode == 0, result.stderr
    assert [offset for _, offset in _stored(path)] == [7200, 3600]
    book = load_workbook(tmp_path / "attendance.xlsx", read_only=True)
    header, *lines = book["Timesheet"].iter_rows(values_only=True)
    assert dict(zip(header, lines[0]))["Hours"] == 0.5
    book.close()


def test_the_system_zone_from_tz_reads_both_passes_of_the_repeated_hour() -> None:
    code = ("from datetime import datetime, timezone\n"
            "from attendance_app import local_time\n"
            "wall = datetime(2026, 10, 25, 2, 40)\n"
            "second = datetime(2026, 10, 25, 1, 41, tzinfo=timezone.utc)\n"
            "print(local_time.aware(wall).utcoffset(),"
            " local_time.aware(wall, not_after=second).utcoffset(),"
            " local_time.aware(datetime(2026, 7, 1, 8)).utcoffset())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"TZ": "Europe/Berlin", "PATH": "/usr/bin:/bin"}, check=True)
    assert result.stdout.split() == ["2:00:00", "1:00:00", "2:00:00"]


# --- the central log --------------------------------------------------------------------


def _journal_with(path: Path, walls: list[tuple[datetime, str]]) -> Journal:
    journal = Journal(path)
    journal.join_central()
    for when, camera in walls:
        aware = local_time.aware(when)
        journal.record(AttendanceEvent(aware.replace(tzinfo=None), 1, "Ada", camera, 0.4, "in",
                                       utc_offset=aware.utcoffset()))
    return journal


def _push(journal: Journal, database: CentralDatabase) -> None:
    pusher = JournalPusher(journal, database)
    while pusher.push_once():
        pass


def test_the_central_log_keeps_offsets_and_judges_repeats_on_real_time(
        tmp_path: Path, database_url: str) -> None:
    """Two doors on the autumn night: the gate's 02:20 CET is 30 real minutes after the
    front door's 02:50 CEST (counted, cooldown 20); its 02:35 CET is 15 after (a repeat)."""
    database = CentralDatabase(database_url)
    schema.initialise(database)
    _push(_journal_with(tmp_path / "front.sqlite3", [(_berlin(FALL_BACK, 2, 50), "front")]),
          database)
    _push(_journal_with(tmp_path / "gate.sqlite3",
                        [(_berlin(FALL_BACK, 2, 20, second_pass=True), "gate"),
                         (_berlin(FALL_BACK, 2, 35, second_pass=True), "gate")]), database)

    events = CentralJournal(database, COOLDOWN).events_on(FALL_BACK)
    assert [(e.timestamp.strftime("%H:%M"), e.utc_offset, e.repeat is None) for e in events] == [
        ("02:50", timedelta(hours=2), True), ("02:20", timedelta(hours=1), True),
        ("02:35", timedelta(hours=1), False)]
    month = CentralJournal(database, COOLDOWN).events_in_month("2026-10")
    assert [e.timestamp.strftime("%H:%M") for e in month] == ["02:50", "02:20", "02:35"]


def test_a_central_database_of_the_earlier_schema_is_migrated_and_keeps_its_rows(
        database_url: str) -> None:
    """Version 1 had no offsets: `database init` adds the column (a separate step in
    MIGRATIONS); a row sent before reads in the local zone."""
    database = CentralDatabase(database_url)
    with database.transaction() as db:
        db.execute(schema._VERSION_1)
        db.execute("INSERT INTO attendance_meta VALUES ('schema_version', '1'),"
                   " ('roster_id', 'old')")
        db.execute("INSERT INTO events (uid, door, timestamp, person_id, name, camera, distance,"
                   " kind) VALUES ('u1', 'd', '2026-08-03 09:00', 1, 'Ada', 'door', 0.4, 'in')")
    with pytest.raises(DatabaseError, match="database init"):
        schema.check_version(database, 1)

    assert schema.initialise(database) == (1, schema.SCHEMA_VERSION)
    assert schema.initialise(database) == (schema.SCHEMA_VERSION, schema.SCHEMA_VERSION)
    (event,) = CentralJournal(database, None).events()
    assert event.timestamp == datetime(2026, 8, 3, 9, 0) and event.utc_offset is None
    assert event.moment.utcoffset() == timedelta(hours=2)
