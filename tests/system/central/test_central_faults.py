"""Faults of a site with a central database, each injected for real (issue 14): the server
stopped while doors log, a door killed mid-push, a wrong password, an unreachable host."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase, Reachability
from attendance_app.central.link import CentralLink
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from tests.support.faults_support import cli, free_port, wait_for
from tests.support.postgres_server import PostgresServer

ARRIVAL_SECONDS = 60
"""How long a test waits for waiting rows to reach a server that is back (the doors retry
every half second here)."""


def _count(database: CentralDatabase) -> tuple[int, int]:
    """(rows, distinct event ids) on the server."""
    with database.transaction() as db:
        return db.execute("SELECT COUNT(*), COUNT(DISTINCT uid) FROM events").fetchone()


def _arrival(journal: Journal, person: int, door: str) -> AttendanceEvent:
    moment = datetime.now().replace(microsecond=0) - timedelta(seconds=person)
    return journal.record(AttendanceEvent(moment, person, f"Person {person}", door, 0.3, "in"))


@pytest.mark.postgres  # a server of its own, to stop and start
def test_rows_wait_while_the_server_is_stopped_and_arrive_once_when_it_returns(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with PostgresServer(tmp_path / "server") as server:
        central = CentralDatabase(server.create_database("site"))
        schema.initialise(central)
        doors = []
        for name in ("main", "gate"):
            journal = Journal(tmp_path / name / "journal.sqlite3")
            journal.join_central()
            copy = SharedFaceStore(tmp_path / name / "central-roster.sqlite3",
                                   CentralRoster(central))
            # one Reachability per door: here both doors are in one process
            link = CentralLink(central, copy, journal, max_wait=0.5,
                               reachability=Reachability(central)).start()
            doors.append((name, journal, link))
        try:
            for person in range(1, 4):
                for name, journal, link in doors:
                    _arrival(journal, person, name)
                    link.notify()
            wait_for(lambda: _count(central)[0] == 6, ARRIVAL_SECONDS, "the first rows")
            caplog.clear()
            with caplog.at_level(logging.INFO):
                server.stop()
                for person in range(4, 10):
                    for name, journal, link in doors:
                        _arrival(journal, person, name)
                        link.notify()
                wait_for(lambda: all(link.reachability.failure for _, _, link in doors),
                         ARRIVAL_SECONDS, "both doors to notice")
                assert all(journal.unsent_count() == 6 for _, journal, _ in doors)
                server.start()
                wait_for(lambda: _count(central)[0] == 18, ARRIVAL_SECONDS,
                         "the waiting rows to arrive")
                wait_for(lambda: not any(link.reachability.failure for _, _, link in doors),
                         ARRIVAL_SECONDS, "both doors to say the server is back")
        finally:
            for _, _, link in doors:
                link.close()
        assert _count(central) == (18, 18)
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 2, f"one warning per door, not one per retry: {warnings}"
        assert all("unreachable" in m and "door-secret" not in m for m in warnings)
        back = [r for r in caplog.records if "reachable again" in r.getMessage()]
        assert [r.levelno for r in back] == [logging.INFO] * 2  # information (issue 27)
        assert all(journal.unsent_count() == 0 for _, journal, _ in doors)


_PUSH_FOREVER = """
import sys, time
from pathlib import Path
from attendance_app.central.database import CentralDatabase, Reachability
from attendance_app.central.pusher import JournalPusher
from attendance_app.records.journal import Journal
JournalPusher(Journal(Path(sys.argv[1])), CentralDatabase(sys.argv[2])).start()
time.sleep(600)
"""

BACKLOG = 30_000
"""Rows a door sends after a long outage: some seconds of pushing, so the kill lands in
the middle of it."""


def _journal_with_backlog(path: Path) -> Journal:
    """A door's journal holding BACKLOG rows not yet sent (written in one transaction, as
    a day of a busy door's rows would stand)."""
    journal = Journal(path)
    journal.join_central()
    day = datetime.now().replace(hour=6, minute=0, second=0, microsecond=0)
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany(
            "INSERT INTO events (timestamp, person_id, name, camera, distance, kind, uid)"
            " VALUES (?, ?, ?, 'Main', 0.3, 'in', ?)",
            [((day + timedelta(seconds=n // 10)).isoformat(), n, f"Person {n}", uuid.uuid4().hex)
             for n in range(BACKLOG)])
    return journal


def test_a_door_killed_mid_push_never_doubles_a_row(tmp_path: Path, database_url: str) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    path = tmp_path / "journal.sqlite3"
    journal = _journal_with_backlog(path)
    pusher = subprocess.Popen([sys.executable, "-c", _PUSH_FOREVER, str(path), database_url],
                              env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    try:
        wait_for(lambda: 0 < _count(central)[0], 120, "the push to begin")
    finally:
        pusher.send_signal(signal.SIGKILL)
        pusher.wait(30)
    sent_before, _ = _count(central)
    assert 0 < sent_before < BACKLOG, "killed in the middle of the backlog"
    journal.mark_sent("events", 0)  # as if killed between the server's commit and the note
    again = JournalPusher(journal, central)
    while again.push_once():
        pass
    assert _count(central) == (BACKLOG, BACKLOG)
    assert journal.unsent_count() == 0


def test_a_door_with_a_wrong_password_or_no_server_logs_from_its_copy(
        tmp_path: Path, database_url: str, postgres_server: PostgresServer,
        faces_dir: Path) -> None:
    central = CentralDatabase(database_url)
    schema.initialise(central)
    data = ["--data-dir", str(tmp_path / "door")]
    for name in ("obama", "biden"):
        assert cli("enrol", name, str(next((faces_dir / "enrol" / name).iterdir())), *data,
                   "--database", database_url).returncode == 0
    group = str(faces_dir / "group" / "obama_and_biden.jpg")
    wrong = postgres_server.url(database_url.rsplit("/", 1)[1], password="not-the-password")
    unreachable = f"postgresql://attendance:door-secret@127.0.0.1:{free_port()}/site"
    logged = []
    for url, problem in ((wrong, "user name or password"), (unreachable, "unreachable")):
        result = cli("run", "--headless", "--source", group, *data, "--database", url)
        assert result.returncode == 0, result.stderr
        logged.append(result.stdout.count(" IN "))
        assert problem in result.stderr
        assert "Traceback" not in result.stderr
        assert "not-the-password" not in result.stderr and "door-secret" not in result.stderr
        assert all(line.startswith("WARNING: ") for line in result.stderr.splitlines())
    assert logged == [2, 0], "the copy recognised both; the second run knew they came"
    assert _count(central) == (0, 0)
    back = cli("run", "--headless", "--source", group, *data, "--database", database_url)
    assert back.returncode == 0 and back.stdout.count(" IN ") == 0
    assert _count(central) == (2, 2), "the rows logged offline were sent when it could"
