"""The API of a site with a central database (issue 26, point 3): /api/events and
/api/report read the central log every door sends to, on the suite's real PostgreSQL
server (tests/support/postgres_server.py), with the repeats across doors marked and the
site's roster, as `report` at any door reads it. People are enrolled with random
encodings: no face is looked at here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from attendance_app.central.database import CentralDatabase
from attendance_app.central.pusher import JournalPusher
from attendance_app.central.replica import SharedFaceStore
from attendance_app.central.roster import CentralRoster
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from tests.support.central_doors import site_with_people
from tests.support.web_api import api_app, bearer, tokens_in, workspace_for

DAY = date.today()  # the people are expected from the day they were enrolled


@pytest.fixture
def owner(database_url: str) -> CentralDatabase:
    return site_with_people(database_url, 26)


def _door(folder: Path, owner: CentralDatabase, camera: str,
          arrivals: list[tuple[str, time]]) -> None:
    """A door's journal joined to the site, its `arrivals` recorded and sent."""
    copy = SharedFaceStore(folder / "central-roster.sqlite3", CentralRoster(owner))
    copy.pull()
    journal = Journal(folder / "journal.sqlite3")
    journal.join_central(copy.site_id)
    for name, clock in arrivals:
        person = copy.find(name)
        assert person is not None
        journal.record(AttendanceEvent(datetime.combine(DAY, clock), person.person_id, name,
                                       camera, 0.3, "in"))
    pusher = JournalPusher(journal, owner)
    while pusher.push_once():
        pass


def test_the_api_serves_the_sites_log_with_repeats_and_its_report(
        tmp_path: Path, owner: CentralDatabase) -> None:
    _door(tmp_path / "a", owner, "Main", [("Ada", time(7, 5)), ("Bob", time(7, 50))])
    _door(tmp_path / "b", owner, "Side", [("Ada", time(7, 30))])
    office = tmp_path / "office"  # the web server's own data folder: no journal of its own
    client = TestClient(api_app(workspace_for(office, owner.url)))
    viewer, _ = tokens_in(office)
    assert client.get("/api/events").status_code == 401

    page = client.get("/api/events?limit=2", headers=bearer(viewer)).json()
    assert [(e["person"], e["camera"]) for e in page["events"]] == [("Ada", "Main"), ("Bob", "Main")]
    assert page["more"]
    rest = client.get(page["next"]["url"], headers=bearer(viewer)).json()
    assert [(e["person"], e["camera"]) for e in rest["events"]] == [("Ada", "Side")]
    assert "repeat: logged at Main at 07:05:00" in rest["events"][0]["repeat"]
    assert not rest["more"] and rest["next"]["after_id"] == rest["events"][0]["id"]
    since = client.get("/api/events", params={"since": f"{DAY}T07:10"}, headers=bearer(viewer)).json()
    assert [e["person"] for e in since["events"]] == ["Bob", "Ada"]

    report = client.get(f"/api/report?day={DAY}", headers=bearer(viewer)).json()
    assert report["totals"] == {"present": 2, "absent": 1, "late": 0, "excused": 0}
    assert report["groups"][0]["present"] == ["Ada", "Bob"]
    assert report["groups"][0]["absent"] == ["Cyd"]
    assert not (office / "journal.sqlite3").exists()
