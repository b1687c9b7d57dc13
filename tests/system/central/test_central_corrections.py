"""Corrections are the central log's with a central database (issue 25, point 4): an
arrival added by hand, a void undone and a time corrected at door A (the real commands,
as door A's own login) are appended on the server, never an edit, and door B's
`report --day` and the month's workbook it writes show them, with the Audit sheet; with
the server out of reach a correction is refused in one line.

On the real PostgreSQL server of the suite (tests/support/postgres_server.py). People are
enrolled with random encodings: no face is looked at here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest

from attendance_app.central.database import CentralDatabase
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.records import CentralJournal
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.records.corrections import CORRECT
from attendance_app.records.journal import Journal
from attendance_app.records.workbook_sync import WorkbookSync
from attendance_app.types import AttendanceEvent, Void
from exports import ExcelWorkbook
from tests.support.central_doors import at_door, door_url, site_with_people
from tests.support.postgres_server import PostgresServer

DAY = date.today() - timedelta(days=1)  # a whole day behind us: no time is in the future


def _seq(owner: CentralDatabase, name: str) -> int:
    with owner.transaction() as db:
        return db.execute("SELECT seq FROM events WHERE name = %s", (name,)).fetchone()[0]


@pytest.fixture
def owner(database_url: str) -> CentralDatabase:
    return site_with_people(database_url, 4)


def test_corrections_made_at_one_door_show_in_another_doors_report_and_workbook(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer) -> None:
    door_a, door_b = tmp_path / "a", tmp_path / "b"
    url_a = door_url(owner, door_a, "door_a", postgres_server)
    url_b = door_url(owner, door_b, "door_b", postgres_server)
    copy = SharedFaceStore(door_a / "central-roster.sqlite3",
                           CentralRoster(CentralDatabase(url_a)))
    copy.pull()
    journal = Journal(door_a / "journal.sqlite3")
    journal.join_central(copy.site_id)
    for name, clock in (("Ada", time(8, 5)), ("Bob", time(8, 50))):
        person = copy.find(name)
        assert person is not None
        row = journal.record(AttendanceEvent(datetime.combine(DAY, clock), person.person_id,
                                             name, "Main", 0.3, "in"))
    journal.void(row.event_id or 0, Void(datetime.combine(DAY, time(9)), "ana", "not Bob"))
    pusher = JournalPusher(journal, CentralDatabase(url_a))
    while pusher.push_once():
        pass

    for args in (("arrival", "add", "Cyd", "--at", f"{DAY} 08:10", "--reason", "camera down",
                  "--by", "ana"),
                 ("void", "undo", str(_seq(owner, "Bob")), "--reason", "it was Bob",
                  "--by", "ana"),
                 ("arrival", "correct", str(_seq(owner, "Ada")), "--at", f"{DAY} 07:55",
                  "--reason", "the clock was fast", "--by", "ana")):
        done = at_door(door_a, url_a, *args)
        assert done.returncode == 0, done.stderr
    duplicate = at_door(door_a, url_a, "arrival", "add", "Bob", "--at", f"{DAY} 10:00",
                    "--reason", "again")
    assert duplicate.returncode == 1 and "already has an arrival" in duplicate.stderr

    report = at_door(door_b, url_b, "report", "--day", DAY.isoformat())
    assert report.returncode == 0, report.stderr
    assert "3 present, 0 absent" in report.stdout
    assert "By hand: 1 arrival of these" in report.stdout
    rows = {row.name: row for row in ExcelWorkbook(door_b / "attendance.xlsx").read_rows()}
    assert rows["Cyd"].camera == "by hand: ana" and rows["Bob"].void is None
    assert rows["Ada"].timestamp == datetime.combine(DAY, time(7, 55))
    assert "time corrected from" in (rows["Ada"].correction or "")
    audit = openpyxl.load_workbook(door_b / "attendance.xlsx")["Audit"]
    lines = [[cell.value for cell in row][1:4] for row in audit.iter_rows()
             if row[2].value in ("add arrival", "undo void", "correct time")]
    assert lines == [["ana", "add arrival", _seq(owner, "Cyd")],
                     ["ana", "undo void", _seq(owner, "Bob")],
                     ["ana", "correct time", _seq(owner, "Ada")]]
    with owner.transaction() as db:  # appended, never an edit: the logged row is as it was
        assert db.execute("SELECT count(*) FROM corrections").fetchone() == (3,)
        assert db.execute("SELECT timestamp FROM events WHERE name = 'Ada'").fetchone() == (
            datetime.combine(DAY, time(8, 5)),)
        assert db.execute("SELECT count(*) FROM voids").fetchone() == (1,)

    gone = url_a.replace(f":{postgres_server.port}/", ":1/")
    refused = at_door(door_a, gone, "arrival", "correct", str(_seq(owner, "Ada")), "--at",
                  f"{DAY} 08:00", "--reason", "again")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines()[-1].startswith("error: the central database")


def test_the_door_keeping_the_workbook_rewrites_the_month_when_another_door_corrects(
        tmp_path: Path, owner: CentralDatabase) -> None:
    """The keeping door's writer (WorkbookSync on the central log, as a running door's
    flushes) notices a correction made elsewhere at its next flush, and only then."""
    copy = SharedFaceStore(tmp_path / "gate" / "central-roster.sqlite3", CentralRoster(owner))
    copy.pull()
    journal = Journal(tmp_path / "gate" / "journal.sqlite3")
    journal.join_central(copy.site_id)
    ada = copy.find("Ada")
    assert ada is not None
    journal.record(AttendanceEvent(datetime.combine(DAY, time(8, 5)), ada.person_id, "Ada",
                                   "Gate", 0.3, "in"))
    pusher = JournalPusher(journal, owner)
    while pusher.push_once():
        pass
    path = tmp_path / "attendance.xlsx"
    sync = WorkbookSync(CentralJournal(owner, None, copy.site_id), path)
    assert sync.flush()
    assert [r.timestamp.time() for r in ExcelWorkbook(path).read_rows()] == [time(8, 5)]

    office = CentralJournal(owner, None, copy.site_id, "office")
    office.append(datetime.now().replace(microsecond=0), "ana", CORRECT, _seq(owner, "Ada"),
                  "the clock was fast", new_time=datetime.combine(DAY, time(7, 55)))
    assert sync.flush()
    assert [r.timestamp.time() for r in ExcelWorkbook(path).read_rows()] == [time(7, 55)]
    assert [line.action for line in office.audit_between(
        datetime.combine(DAY, time.min), datetime.combine(DAY + timedelta(days=1), time.min))
    ] == [CORRECT]


def test_a_row_whose_void_was_undone_on_the_server_is_voided_again_at_its_door(
        tmp_path: Path, owner: CentralDatabase) -> None:
    """Before: the door read its own journal, where the row was still void, and refused
    `void` as "void already" (and the merge had made `void` look the door's number up in
    the site's log, which has no way to void)."""
    door = tmp_path / "gate"
    copy = SharedFaceStore(door / "central-roster.sqlite3", CentralRoster(owner))
    copy.pull()
    journal = Journal(door / "journal.sqlite3")
    journal.join_central(copy.site_id)
    rows = {}
    for name, clock in (("Ada", time(8, 5)), ("Bob", time(8, 50))):
        person = copy.find(name)
        assert person is not None
        rows[name] = journal.record(AttendanceEvent(datetime.combine(DAY, clock),
                                                    person.person_id, name, "Gate", 0.3, "in"))
    bob = rows["Bob"].event_id or 0
    journal.void(bob, Void(datetime.combine(DAY, time(9)), "ana", "not Bob"))
    pusher = JournalPusher(journal, owner)
    while pusher.push_once():
        pass
    undone = at_door(door, owner.url, "void", "undo", str(_seq(owner, "Bob")), "--reason",
                 "it was Bob after all", "--by", "ana")
    assert undone.returncode == 0, undone.stderr

    again = at_door(door, owner.url, "void", str(bob), "--reason", "not Bob: his twin",
                "--by", "ana")

    assert again.returncode == 0, again.stderr
    assert f"Voided event {bob} (Bob," in again.stdout
    site = CentralJournal(owner, None, copy.site_id)
    bob_now = site.event(_seq(owner, "Bob"))
    assert bob_now is not None and bob_now.void is not None
    assert bob_now.void.reason == "not Bob: his twin"
    assert [line.action for line in site.audit_between(
        datetime.combine(DAY, time.min), datetime.combine(DAY + timedelta(days=1), time.min))
    ] == ["undo void", "void again"]
    twice = at_door(door, owner.url, "void", str(bob), "--reason", "again")
    assert twice.returncode == 1 and "void already" in twice.stderr, twice.stderr
    ada = at_door(door, owner.url, "void", str(rows["Ada"].event_id), "--reason", "not Ada")
    assert ada.returncode == 0, ada.stderr  # a row void nowhere: voided at the door
    assert Journal(door / "journal.sqlite3").event(rows["Ada"].event_id or 0).void is not None

