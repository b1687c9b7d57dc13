"""Groups are the site's with a central database (issue 25, point 1): made and assigned at
one door, they reach another door's `group list` and its `report --day` per group after
it pulls; a person forgotten at one door leaves the group everywhere; every group command
works at a door with its own login, and says in one line when the server is out of reach.

Real commands in child processes, people enrolled from real photos, on the real
PostgreSQL server of the suite (tests/support/postgres_server.py), the doors logging in
with door logins made by `database add-door-user`, as at a site.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pytest

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.group_book import SharedGroupBook
from attendance_app.central.link import CentralLink
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore, GroupBook, NewEncoding
from tests.support.central_doors import at_door, door_url
from tests.support.faults_support import wait_for
from tests.support.postgres_server import PostgresServer

PEOPLE = {"Penny": "bbt_penny", "Raj": "bbt_raj"}
ROSTER_DELAY_SECONDS = 10
"""The promise of several-doors.md: a change at one door reaches every connected door."""


def _listed(done: subprocess.CompletedProcess[str]) -> list[list[str]]:
    assert done.returncode == 0, done.stderr
    return [line.split() for line in done.stdout.splitlines()[1:]]


@pytest.fixture
def owner(database_url: str) -> CentralDatabase:
    database = CentralDatabase(database_url)
    schema.initialise(database)
    return database


def test_a_group_made_at_one_door_is_the_sites_and_a_forgotten_person_leaves_it(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer,
        faces_dir: Path) -> None:
    door_a, door_b = tmp_path / "a", tmp_path / "b"
    url_a = door_url(owner, door_a, "door_a", postgres_server)
    url_b = door_url(owner, door_b, "door_b", postgres_server)
    photos = tmp_path / "photos"
    for name, folder in PEOPLE.items():
        (photos / name).mkdir(parents=True)
        first = sorted((faces_dir / "enrol" / folder).iterdir())[0]
        (photos / name / first.name).symlink_to(first)
    enrolled = at_door(door_a, url_a, "enrol", "--folder", str(photos))
    assert enrolled.returncode == 0, enrolled.stderr
    for args in (("add", "Class 3B", "--start", "08:30", "--grace", "10", "--days", "mon-sun"),
                 ("assign", "Class 3B", "Penny", "Raj")):
        done = at_door(door_a, url_a, "group", *args)
        assert done.returncode == 0, done.stderr
    assert "2 people added, 2 members now" in done.stdout

    # Penny arrives at door A at 08:45, 5 minutes after her group's grace.
    copy_a = SharedFaceStore(door_a / "central-roster.sqlite3",
                             CentralRoster(CentralDatabase(url_a)))
    penny = copy_a.find("Penny")
    assert penny is not None
    journal = Journal(door_a / "journal.sqlite3")
    journal.join_central(copy_a.site_id)
    journal.record(AttendanceEvent(datetime.combine(date.today(), time(8, 45)),
                                   penny.person_id, "Penny", "Main", 0.3, "in"))
    pusher = JournalPusher(journal, CentralDatabase(url_a))
    while pusher.push_once():
        pass

    assert _listed(at_door(door_b, url_b, "group", "list"))[0][:3] == ["Class", "3B", "2"]
    report = at_door(door_b, url_b, "report", "--day", date.today().isoformat())
    assert report.returncode == 0, report.stderr
    assert "  Class 3B: 1 present, 1 absent, 1 late" in report.stdout
    assert "    Absent: Raj" in report.stdout
    assert "    Late: Penny (15 min)" in report.stdout

    # Door B renames the group; door A sees the new name. Door A forgets Raj: he leaves the
    # group on the server and in door B's copy, so B's report no longer counts him absent.
    assert at_door(door_b, url_b, "group", "rename", "Class 3B", "Class 4B").returncode == 0
    assert _listed(at_door(door_a, url_a, "group", "list"))[0][:3] == ["Class", "4B", "2"]
    assert at_door(door_a, url_a, "forget", "Raj").returncode == 0
    assert _listed(at_door(door_b, url_b, "group", "list"))[0][:3] == ["Class", "4B", "1"]
    report = at_door(door_b, url_b, "report", "--day", date.today().isoformat())
    assert "  Class 4B: 1 present, 0 absent, 1 late" in report.stdout
    with owner.transaction() as db:
        assert db.execute("SELECT count(*) FROM group_members").fetchone() == (1,)


def test_every_group_command_works_at_a_door_and_a_server_out_of_reach_is_one_line(
        tmp_path: Path, owner: CentralDatabase, postgres_server: PostgresServer) -> None:
    """hours, unassign, remove as a door's login (people enrolled with random faces: the
    faces are not what this tests), and the writes refused in one line when the server
    cannot be reached, while `group list` still reads the copy."""
    rng = np.random.default_rng(25)
    for name in ("Ada", "Bob"):
        CentralRoster(owner).enrol(name, [NewEncoding(rng.normal(size=128), f"{name}.jpg")],
                                   {"dlib": 0.01})
    door = tmp_path / "door"
    url = door_url(owner, door, "door_c", postgres_server)
    for args in (("add", "Staff", "--start", "08:00", "--days", "mon-fri"),
                 ("add", "Choir", "--start", "07:45", "--days", "wed"),
                 ("assign", "Staff", "Ada", "Bob"),
                 ("hours", "Staff", "--start", "09:00", "--grace", "5", "--days", "mon-fri"),
                 ("unassign", "Staff", "Bob"), ("remove", "Choir")):
        done = at_door(door, url, "group", *args)
        assert done.returncode == 0, done.stderr
    assert _listed(at_door(door, url, "group", "list")) == [
        ["Staff", "1", "mon-fri", "09:00", "(+5", "min)"]]
    taken = at_door(door, url, "group", "add", "staff", "--start", "08:00", "--days", "mon-fri")
    assert (taken.returncode, taken.stderr.strip()) == (
        1, "error: a group called 'Staff' exists already; choose another name")

    gone = url.replace(f":{postgres_server.port}/", ":1/")
    for args in (("add", "Night", "--start", "22:00", "--days", "mon-fri"),
                 ("assign", "Staff", "Bob")):
        refused = at_door(door, gone, "group", *args)
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines()[-1].startswith("error: the central database")
        assert "unreachable" in refused.stderr and "Traceback" not in refused.stderr
    offline = at_door(door, gone, "group", "list")
    assert offline.returncode == 0 and "Staff" in offline.stdout


def test_a_running_door_hears_groups_made_swapped_and_removed(
        tmp_path: Path, owner: CentralDatabase) -> None:
    """Door B's listener takes in what door A does, within seconds: two groups made, their
    names swapped by three renames (a name moves between groups), one removed."""
    CentralRoster(owner).enrol("Ada", [NewEncoding(np.random.default_rng(3).normal(size=128),
                                                   "ada.jpg")], {"dlib": 0.01})
    copies = [SharedFaceStore(tmp_path / door / "central-roster.sqlite3", CentralRoster(owner))
              for door in ("a", "b")]
    for copy in copies:
        copy.pull()
    link = CentralLink(owner, copies[1], Journal(tmp_path / "b" / "journal.sqlite3")).start()

    def at_b() -> list[tuple[str, str, int]]:
        return [(g.name, g.start, g.members) for g in GroupBook(copies[1]).groups()]

    try:
        book = SharedGroupBook(copies[0])
        book.add("Early", 0b11111, "07:00", 0)
        book.add("Late", 0b11111, "09:00", 0)
        book.assign("Early", ["Ada"])
        wait_for(lambda: at_b() == [("Early", "07:00", 1), ("Late", "09:00", 0)],
                 ROSTER_DELAY_SECONDS, "the groups to reach door B")
        for old, new in (("Early", "Tmp"), ("Late", "Early"), ("Tmp", "Late")):
            book.rename(old, new)
        wait_for(lambda: at_b() == [("Early", "09:00", 0), ("Late", "07:00", 1)],
                 ROSTER_DELAY_SECONDS, "the swapped names to reach door B")
        book.remove("Late")
        wait_for(lambda: at_b() == [("Early", "09:00", 0)], ROSTER_DELAY_SECONDS,
                 "the removal to reach door B")
    finally:
        link.close()


def test_a_door_that_began_alone_sends_its_groups_with_its_people(
        tmp_path: Path, owner: CentralDatabase) -> None:
    """`database send-people` makes the groups of the door's own face store the site's,
    with their hours and members; sent again, nothing is doubled."""
    local = FaceStore(tmp_path / "main" / "faces.sqlite3")
    rng = np.random.default_rng(5)
    for name in ("Ada", "Bob"):
        local.enrol(name, [NewEncoding(rng.normal(size=128), f"{name}.jpg")])
    book = GroupBook(local)
    book.add("Staff", 0b11111, "08:00", 5, "17:00")
    book.assign("Staff", ["Ada", "Bob"])
    book.add("Choir", 0b100, "07:45", 0)
    for _ in range(2):  # the second time finds every group there
        sent = at_door(tmp_path / "main", owner.url, "database", "send-people")
        assert sent.returncode == 0, sent.stderr
    assert "Sent 2 groups with their members\n  Choir, Staff existed already" in sent.stdout
    assert _listed(at_door(tmp_path / "gate", owner.url, "group", "list")) == [
        ["Choir", "0", "wed", "07:45", "(+0", "min)"],
        ["Staff", "2", "mon-fri", "08:00", "(+5", "min)", "to", "17:00"]]
