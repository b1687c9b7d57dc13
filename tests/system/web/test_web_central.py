"""The web application of a site with a central database (the real PostgreSQL server of
the suite): an office computer with no journal of its own shows the rows a door pushed,
on Today (a second push changes the feed) and in the reports, the site's people, and an
arrival added on the Corrections page is appended to the central log under the
account's name.

As in tests/system/central, people are enrolled on the server with random encodings: the
web pages read names and rows, no face is looked at here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attendance_app.app.workspace import Workspace
from attendance_app.central.database import CentralDatabase
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.config.settings import AppConfig
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from attendance_app.web.accounts import AccountBook
from attendance_app.web.app import build_app
from tests.support.central_doors import door_url, site_with_people
from tests.support.postgres_server import PostgresServer
from tests.support.web_site import PASSWORD, csrf_in, log_in

TODAY = date.today()


@pytest.fixture
def site(database_url: str, tmp_path: Path,
         postgres_server: PostgresServer) -> tuple[CentralDatabase, Path, str]:
    """(the owner's database, a door's data folder, the door login's URL)."""
    owner = site_with_people(database_url, 26)
    door = tmp_path / "door"
    return owner, door, door_url(owner, door, "door", postgres_server)


def _push(door: Path, url: str, name: str, clock: time) -> None:
    """`name`'s arrival at `clock` today, logged at the door and pushed to the server."""
    copy = SharedFaceStore(door / "central-roster.sqlite3", CentralRoster(CentralDatabase(url)))
    copy.pull()
    journal = Journal(door / "journal.sqlite3")
    journal.join_central(copy.site_id)
    person = copy.find(name)
    assert person is not None
    journal.record(AttendanceEvent(datetime.combine(TODAY, clock), person.person_id, name,
                                   "Main", 0.3, "in"))
    pusher = JournalPusher(journal, CentralDatabase(url))
    while pusher.push_once():
        pass


@pytest.fixture
def office(site: tuple[CentralDatabase, Path, str], tmp_path: Path) -> Iterator[TestClient]:
    _, _, url = site
    folder = tmp_path / "office"
    AccountBook(folder).add("ada", "admin", PASSWORD, "test")
    app = build_app(Workspace.resolve(AppConfig(), folder, None, url))
    with TestClient(app) as client:
        yield client


def test_the_office_shows_the_sites_log(site: tuple[CentralDatabase, Path, str],
                                        office: TestClient) -> None:
    owner, door, url = site
    _push(door, url, "Ada", time(0, 1))
    assert log_in(office, "ada").status_code == 303
    today = office.get("/today").text
    assert "Ada" in today and "1 present" in today
    assert not (office.app.state.workspace.data_dir / "journal.sqlite3").exists()  # type: ignore[attr-defined]
    feed = office.app.state.feed  # type: ignore[attr-defined]
    before = feed.snapshot.number
    _push(door, url, "Bob", time(0, 2))
    feed.refresh()
    assert feed.snapshot.number == before + 1 and "Bob" in feed.snapshot.html
    report = office.get(f"/reports?first={TODAY}").text
    assert "2 present, 1 absent" in report and "Absent: Cyd" in report
    people = office.get("/people").text
    assert all(name in people for name in ("Ada", "Bob", "Cyd"))

    page = office.get(f"/corrections?day={TODAY}")
    assert "voided at the door that logged it" in page.text
    added = office.post("/corrections/add", data={
        "csrf": csrf_in(page.text), "person": "Cyd", "at": f"{TODAY}T00:03",
        "day": str(TODAY), "reason": "camera down"})
    assert "Added event" in added.text
    with owner.transaction() as db:
        assert db.execute("SELECT made_by, action FROM corrections").fetchall() == [
            ("ada", "add arrival")]
