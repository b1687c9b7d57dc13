"""Closed days and leave are the site's with a central database (issue 25, point 3): added
at door A with the real commands (as door A's own login), they are kept on the server and
show in door B's `report --day` (excused, nobody absent on a closed day; `report` pulls
the copy first), `holiday list` and `leave list`; forgetting a person at A removes their
leave everywhere; the door keeping the workbook rewrites the written month when it hears
of a change; with the server out of reach a change is refused in one line while the
lists still read the copy.

On the real PostgreSQL server of the suite (tests/support/postgres_server.py). People are
enrolled with random encodings: no face is looked at here.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from attendance_app.central.calendar_book import SharedDaysOffBook
from attendance_app.central.database import CentralDatabase
from attendance_app.central.link import CentralLink
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.records import CentralJournal
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.config.settings import AttendanceConfig
from attendance_app.i18n import dates
from attendance_app.records.journal import Journal
from attendance_app.records.schedule import schedule_of
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.records.workbook_writer import WorkbookWriter
from attendance_app.types import AttendanceEvent
from enrolment import DaysOffBook, FaceStore, GroupBook, NewEncoding
from exports import RosterEntry
from tests.support.central_doors import at_door, door_url, site_with_people
from tests.support.faults_support import wait_for
from tests.support.postgres_server import PostgresServer

DAY = date.today() - timedelta(days=1)  # a whole day behind us
CLOSED = DAY - timedelta(days=1)
ROSTER_DELAY_SECONDS = 10
"""The promise of several-doors.md: a change at one door reaches every connected door."""


def _ok(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def _arrive(folder: Path, database: CentralDatabase, name: str, at: datetime) -> None:
    """`name` logged at `at` in the journal of the door at `folder`, sent to the server."""
    copy = SharedFaceStore(folder / "central-roster.sqlite3", CentralRoster(database))
    copy.pull()
    person = copy.find(name)
    assert person is not None
    journal = Journal(folder / "journal.sqlite3")
    journal.join_central(copy.site_id)
    journal.record(AttendanceEvent(at, person.person_id, name, "Main", 0.3, "in"))
    pusher = JournalPusher(journal, database)
    while pusher.push_once():
        pass


def _absent_sheet(path: Path) -> list[tuple[object, ...]]:
    """The Absent sheet's (day, name, status) rows."""
    sheet = openpyxl.load_workbook(path, read_only=True)["Absent"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    columns = [header.index(title) for title in ("Date", "Name", "Status")]
    return [tuple(row[i] for i in columns)
            for row in sheet.iter_rows(min_row=2, values_only=True)]


def _on(path: Path, day: date) -> list[tuple[object, ...]]:
    """The (name, status) rows of `day` on the Absent sheet of the workbook at `path`."""
    return [row[1:] for row in _absent_sheet(path)
            if row[0] in (day.isoformat(), datetime.combine(day, time()))]


@pytest.fixture
def owner(database_url: str) -> CentralDatabase:
    database = site_with_people(database_url, 9)
    with database.transaction() as db:  # enrolled long ago: expected on the days tested
        db.execute("UPDATE people SET created_at = '2020-01-06T08:00:00'")
    return database


def test_closed_days_and_leave_made_at_one_door_count_at_another(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer) -> None:
    door_a, door_b = tmp_path / "a", tmp_path / "b"
    url_a = door_url(owner, door_a, "door_a", postgres_server)
    url_b = door_url(owner, door_b, "door_b", postgres_server)
    for day in (CLOSED, DAY):
        _arrive(door_a, CentralDatabase(url_a), "Ada", datetime.combine(day, time(8, 5)))
    _ok(at_door(door_b, url_b, "report", "--day", CLOSED.isoformat()))  # writes its month
    assert f"{DAY:%A}, {DAY:%B} {DAY.day}, {DAY.year}: 1 present, 2 absent" in "\n".join(
        _ok(at_door(door_b, url_b, "report", "--day", DAY.isoformat())))

    assert _ok(at_door(door_a, url_a, "leave", "add", "Bob", "--from", DAY.isoformat(), "--to",
                   DAY.isoformat(), "--reason", "flu"))[0].endswith(f"Bob {dates.day_text(DAY)} (flu)")
    assert _ok(at_door(door_a, url_a, "holiday", "add", CLOSED.isoformat(), "--name",
                   "Snow day")) == [
                       f"Closed the site on {CLOSED:%b} {CLOSED.day}, {CLOSED.year}: Snow day"]

    day = _ok(at_door(door_b, url_b, "report", "--day", DAY.isoformat()))  # B pulls first
    assert f"{DAY:%A}, {DAY:%B} {DAY.day}, {DAY.year}: 1 present, 1 absent, 1 excused" in day
    assert "  Excused: Bob (flu)" in day
    listed = _ok(at_door(door_b, url_b, "holiday", "list"))
    assert [line.split() for line in listed] == [[*dates.day_text(CLOSED).split(), "site", "Snow",
                                                  "day"]]
    leave = _ok(at_door(door_b, url_b, "leave", "list"))[1].split()
    with owner.transaction() as db:  # B numbers the leave as the server does
        assert [int(leave[0])] == [row[0] for row in db.execute("SELECT id FROM leave")]
    assert leave[1:] == ["Bob", *dates.day_text(DAY).split(), "flu"]
    assert _on(door_b / "attendance.xlsx", DAY) == [("Bob", "excused: flu"), ("Cyd", "absent")]
    closed = "\n".join(_ok(at_door(door_b, url_b, "report", "--day", CLOSED.isoformat())))
    assert "closed (Snow day), nobody is expected; came anyway: Ada" in closed
    assert _on(door_b / "attendance.xlsx" if CLOSED.month == DAY.month else
               door_b / f"attendance-{CLOSED:%Y-%m}.xlsx", CLOSED) == []

    # Forgetting Bob at door A removes his leave on the server and in B's copy.
    _ok(at_door(door_a, url_a, "forget", "Bob"))
    assert _ok(at_door(door_b, url_b, "leave", "list"))[0].startswith("No leave")
    with owner.transaction() as db:
        assert db.execute("SELECT count(*) FROM leave").fetchone() == (0,)

    # Out of reach: a change says so in one line; the lists read the copy.
    gone = url_b.replace(f":{postgres_server.port}/", ":1/")
    for args in (("holiday", "add", DAY.isoformat(), "--name", "Strike"),
                 ("holiday", "remove", CLOSED.isoformat()),
                 ("leave", "add", "Cyd", "--from", DAY.isoformat(), "--to", DAY.isoformat(),
                  "--reason", "ill")):
        refused = at_door(door_b, gone, *args)
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert refused.stderr.strip().splitlines()[-1].startswith("error: the central database")
    offline = at_door(door_b, gone, "holiday", "list")
    assert offline.returncode == 0 and "Snow day" in offline.stdout
    with owner.transaction() as db:
        assert db.execute("SELECT name FROM closed_days").fetchall() == [("Snow day",)]

    # Removing, each door with its own login: B reopens the day, A removes B's leave.
    assert _ok(at_door(door_b, url_b, "holiday", "remove", CLOSED.isoformat()))[0] == (
        f"Opened again {dates.day_text(CLOSED)} (Snow day)")
    number = _ok(at_door(door_b, url_b, "leave", "add", "Cyd", "--from", DAY.isoformat(), "--to",
                     DAY.isoformat(), "--reason", "ill"))[0].split()[1].rstrip(":")
    assert _ok(at_door(door_a, url_a, "leave", "remove", number))[0].startswith(
        f"Removed leave {number}: Cyd")
    for door, url in ((door_a, url_a), (door_b, url_b)):
        assert _ok(at_door(door, url, "holiday", "list"))[0].startswith("No closed days")
        assert _ok(at_door(door, url, "leave", "list"))[0].startswith("No leave")


def test_the_door_keeping_the_workbook_rewrites_the_month_when_another_door_adds_leave(
        tmp_path: Path, owner: CentralDatabase) -> None:
    """The keeping door's running link pulls the leave and wakes its writer, which
    rewrites the written month with it (as its workbook_sync does: the schedule and the
    calendar changes read from its copy)."""
    gate, office = tmp_path / "gate", tmp_path / "office"
    _arrive(gate, owner, "Ada", datetime.combine(DAY, time(8, 5)))
    copy = SharedFaceStore(gate / "central-roster.sqlite3", CentralRoster(owner))
    copy.pull()
    path = gate / "attendance.xlsx"
    sync = WorkbookSync(CentralJournal(owner, None, copy.site_id), path,
                        lambda: [RosterEntry(p.person_id, p.name, p.created_at.date())
                                 for p in copy.people()],
                        lambda: schedule_of(GroupBook(copy), AttendanceConfig()),
                        calendar=DaysOffBook(copy).changed_since)
    writer = WorkbookWriter(sync)
    link = CentralLink(owner, copy, Journal(gate / "journal.sqlite3"),
                       on_central_events=writer.notify).start()
    try:
        assert writer.flush(30)
        assert _on(path, DAY) == [("Bob", "absent"), ("Cyd", "absent")]
        other = SharedFaceStore(office / "central-roster.sqlite3", CentralRoster(owner))
        other.pull()
        SharedDaysOffBook(other).add_leave("Cyd", DAY, DAY, "dentist")
        wait_for(lambda: ("Cyd", "excused: dentist") in _on(path, DAY), ROSTER_DELAY_SECONDS,
                 "the leave to reach the keeping door's workbook")
    finally:
        link.close()
        writer.close()


def test_a_door_that_began_alone_sends_its_calendar_with_its_people(
        tmp_path: Path, owner: CentralDatabase) -> None:
    """`database send-people` makes the closed days and leave of the door's own face store
    the site's (a group's closure under the site's group); sent again, nothing is doubled;
    the group removed later takes its closure with it, on the server and in the copies."""
    local = FaceStore(tmp_path / "main" / "faces.sqlite3")
    local.enrol("Ada", [NewEncoding(np.random.default_rng(6).normal(size=128), "ada.jpg")])
    GroupBook(local).add("Choir", 0b100, "07:45", 0)
    book = DaysOffBook(local)
    book.close(date(2030, 12, 21), date(2031, 1, 1), "Christmas break")
    book.close(date(2030, 10, 3), date(2030, 10, 3), "Concert", "Choir")
    book.add_leave("Ada", date(2030, 11, 2), date(2030, 11, 6), "training")
    said = [_ok(at_door(tmp_path / "main", owner.url, "database", "send-people"))
            for _ in range(2)]  # the second time finds everything there
    assert "Sent the calendar: 2 closures and 1 leave" in said[0]
    assert not any("Sent the calendar" in line for line in said[1])
    listed = _ok(at_door(tmp_path / "door", owner.url, "holiday", "list"))
    assert [" ".join(line.split()) for line in listed] == [
        "Oct 3, 2030 Choir Concert", "Dec 21, 2030 to Jan 1, 2031 site Christmas break"]
    assert _ok(at_door(tmp_path / "door", owner.url, "leave", "list"))[1].split()[1:] == [
        "Ada", "Nov", "2,", "2030", "to", "Nov", "6,", "2030", "training"]
    with owner.transaction() as db:
        assert db.execute("SELECT count(*) FROM closed_days").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM leave").fetchone() == (1,)
    # A group removed at one door takes its closed days with it, at every door.
    _ok(at_door(tmp_path / "door", owner.url, "group", "remove", "Choir"))
    assert [" ".join(line.split()) for line in _ok(at_door(tmp_path / "main2", owner.url,
                                                       "holiday", "list"))] == [
        "Dec 21, 2030 to Jan 1, 2031 site Christmas break"]
    copy = SharedFaceStore(tmp_path / "door" / "central-roster.sqlite3", CentralRoster(owner))
    assert [c.name for c in DaysOffBook(copy).closures()] == ["Christmas break"]
    with owner.transaction() as db:
        assert db.execute("SELECT name FROM closed_days").fetchall() == [("Christmas break",)]
