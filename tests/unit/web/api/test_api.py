"""The HTTP API on a data folder (issue 26, point 3): /api/events and /api/report read the
journal that the app's own recording code wrote (read-only: the file is never changed),
every refusal is JSON with one line and a 4xx status, and /docs describes it all.

In the test's process through FastAPI's TestClient, on a bare application around the
router (tests/support/web_api.py); the real uvicorn server is tests/system/web/api's.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from attendance_app.records.corrections import CORRECT, CorrectedJournal
from attendance_app.types import AttendanceEvent, Void
from enrolment import DaysOffBook, FaceStore, GroupBook, NewEncoding
from tests.support.web_api import api_app, bearer, tokens_in, workspace_for

DAY = date.today()  # people are expected from the day they were enrolled: today
PEOPLE = ("Ada", "Bob", "Cyd", "Dee", "Eve")


def _at(clock: str, day: date = DAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder: five people (Ada and Bob in class 3A from 08:00; Dee on leave), and
    the journal of three days written by the app's own Journal: Ada at 07:55, Bob at
    08:20 (late), Cyd's row voided, Ada's next day corrected, a row added by hand."""
    folder = tmp_path / "data"
    store = FaceStore(folder / "faces.sqlite3")
    rng = np.random.default_rng(26)
    ids = {name: store.enrol(name, [NewEncoding(rng.normal(size=128), f"{name}.jpg")]).person_id
           for name in PEOPLE}
    groups = GroupBook(store)
    groups.add("3A", 0b1111111, "08:00", 0)
    groups.assign("3A", ["Ada", "Bob"])
    DaysOffBook(store).add_leave("Dee", DAY, DAY, "dentist")
    journal = CorrectedJournal(folder / "journal.sqlite3")
    for name, clock in (("Ada", "07:55"), ("Bob", "08:20"), ("Cyd", "08:01")):
        journal.record(AttendanceEvent(_at(clock), ids[name], name, "Front door", 0.3, "in"))
    journal.void(3, Void(_at("09:00"), "ana", "not Cyd"))
    for step in range(1, 3):
        for name in ("Ada", "Bob"):
            journal.record(AttendanceEvent(_at("07:50", DAY + timedelta(days=step)), ids[name],
                                           name, "Front door", 0.3, "in"))
    journal.append(_at("10:00"), "ana", CORRECT, 4, "the clock was fast", _at("07:45", DAY + timedelta(days=1)))
    journal.add_by_hand(AttendanceEvent(_at("08:10"), ids["Cyd"], "Cyd", "", 0.0, "in"),
                        _at("12:00"), "ana", "camera down")
    return folder


@pytest.fixture
def client(data: Path) -> TestClient:
    return TestClient(api_app(workspace_for(data)))


@pytest.fixture
def tokens(data: Path) -> tuple[str, str]:
    return tokens_in(data)


def _error(response, status: int) -> str:  # type: ignore[no-untyped-def]
    """The one-line error of a refused request, after checking its status and shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and body["error"], body
    return body["error"]


def test_no_token_or_a_wrong_one_is_401_and_a_viewer_on_identify_403(
        client: TestClient, tokens: tuple[str, str]) -> None:
    viewer, admin = tokens
    for path in ("/api/events", f"/api/report?day={DAY}"):
        assert "Authorization: Bearer" in _error(client.get(path), 401)
        assert client.get(path).headers["www-authenticate"] == "Bearer"
        assert "not known" in _error(client.get(path, headers=bearer(viewer + "x")), 401)
        assert "not known" in _error(client.get(path, headers=bearer("att_" + "A" * 43)), 401)
        _error(client.get(path, headers={"Authorization": f"Basic {viewer}"}), 401)
        assert client.get(path, headers=bearer(viewer)).status_code == 200
        assert client.get(path, headers=bearer(admin)).status_code == 200
    photo = {"photo": ("a.jpg", b"not read", "image/jpeg")}
    assert "admin" in _error(client.post("/api/identify", files=photo, headers=bearer(viewer)), 403)
    _error(client.post("/api/identify", files=photo), 401)


def test_events_come_oldest_first_as_corrected_a_page_at_a_time(
        client: TestClient, tokens: tuple[str, str]) -> None:
    headers = bearer(tokens[0])
    first = client.get("/api/events?limit=3", headers=headers).json()
    assert [e["person"] for e in first["events"]] == ["Ada", "Bob", "Cyd"]
    assert first["more"] and first["next"]["after_id"] == 3
    ada = first["events"][0]
    offset = _at("07:55").astimezone().isoformat()
    assert ada == {"id": 1, "person_id": 1, "person": "Ada", "time": offset,
                   "camera": "Front door", "direction": "in", "voided": False,
                   "void_reason": None, "by_hand": False, "repeat": None, "correction": None}
    assert first["events"][2]["voided"] and first["events"][2]["void_reason"] == "not Cyd"
    second = client.get(first["next"]["url"], headers=headers).json()
    assert [e["id"] for e in second["events"]] == [4, 5, 6]
    assert second["events"][0]["time"].startswith(f"{DAY + timedelta(days=1)}T07:45:00")
    assert "time corrected" in second["events"][0]["correction"]
    third = client.get(second["next"]["url"], headers=headers).json()
    assert [e["id"] for e in third["events"]] == [7, 8] and not third["more"]
    assert third["events"][1]["by_hand"] and third["events"][1]["camera"] == "by hand: ana"
    polled = client.get(third["next"]["url"], headers=headers).json()
    assert polled["events"] == [] and polled["next"]["after_id"] == 8 and not polled["more"]


@pytest.mark.parametrize(("since", "first_id"), [
    (str(DAY + timedelta(days=1)), 4),
    (f"{DAY + timedelta(days=1)}T07:50", 4),  # logged then: corrected to 07:45 since
    (f"{DAY + timedelta(days=1)}T07:51", 6),
    (_at("07:51", DAY + timedelta(days=1)).astimezone().isoformat(), 6),
    (str(DAY + timedelta(days=9)), None),
])
def test_since_starts_at_the_first_event_logged_then(
        client: TestClient, tokens: tuple[str, str], since: str, first_id: int | None) -> None:
    page = client.get("/api/events", params={"since": since}, headers=bearer(tokens[0])).json()
    assert (page["events"][0]["id"] if page["events"] else None) == first_id


@pytest.mark.parametrize(("query", "words"), [
    ("/api/events?limit=0", "limit"),
    ("/api/events?limit=5000", "limit"),
    ("/api/events?after_id=-1", "after_id"),
    ("/api/events?after_id=seven", "after_id"),
    ("/api/events?since=yesterday", "since='yesterday' is not a date or time"),
    ("/api/report", "day"),
    ("/api/report?day=2026-13-01", "write it as YYYY-MM-DD"),
    (f"/api/report?day={DAY}&group=4B", "there is no group '4B' (groups: 3A"),
])
def test_bad_input_is_a_json_error_saying_what_is_wrong(
        client: TestClient, tokens: tuple[str, str], query: str, words: str) -> None:
    assert words in _error(client.get(query, headers=bearer(tokens[0])), 422)


def test_an_unknown_path_is_a_json_404_and_a_wrong_method_405(
        client: TestClient, tokens: tuple[str, str]) -> None:
    assert "/docs" in _error(client.get("/api/people", headers=bearer(tokens[0])), 404)
    assert "/docs" in _error(client.get("/api/%2e%2e/%2e%2e/etc/passwd", headers=bearer(tokens[0])), 404)
    wrong = client.get("/api/identify", headers=bearer(tokens[0]))
    assert "with POST" in _error(wrong, 405) and wrong.headers["allow"] == "POST"
    assert "with GET" in _error(client.post("/api/events", headers=bearer(tokens[0])), 405)


def test_the_day_report_counts_present_absent_late_and_excused_per_group(
        client: TestClient, tokens: tuple[str, str]) -> None:
    report = client.get(f"/api/report?day={DAY}", headers=bearer(tokens[0])).json()
    assert report["totals"] == {"present": 3, "absent": 1, "late": 1, "excused": 1}
    groups = {group["group"]: group for group in report["groups"]}
    assert groups["3A"]["present"] == ["Ada", "Bob"]
    assert groups["3A"]["late"] == [{"person": "Bob", "person_id": 2, "arrived": "08:20:00",
                                     "minutes_late": 20}]
    assert groups["No group"]["present"] == ["Cyd"]  # by hand; the camera's row was voided
    assert groups["No group"]["excused"] == [{"person": "Dee", "person_id": 4, "reason": "dentist"}]
    assert groups["No group"]["absent"] == ["Eve"]
    assert report["by_hand"] == 1
    only = client.get(f"/api/report?day={DAY}&group=3A", headers=bearer(tokens[0])).json()
    assert [group["group"] for group in only["groups"]] == ["3A"]
    assert only["totals"] == {"present": 2, "absent": 0, "late": 1, "excused": 0}
    nobody = client.get(f"/api/report?day={DAY - timedelta(days=1)}", headers=bearer(tokens[0]))
    assert nobody.status_code == 200 and nobody.json()["totals"] is None


def test_the_journal_is_only_read(client: TestClient, tokens: tuple[str, str], data: Path) -> None:
    journal = data / "journal.sqlite3"
    before = hashlib.sha256(journal.read_bytes()).hexdigest(), journal.stat().st_mtime_ns
    for path in ("/api/events?limit=1000", f"/api/report?day={DAY}", "/api/events?since=2026-12-01"):
        assert client.get(path, headers=bearer(tokens[0])).status_code == 200
    assert (hashlib.sha256(journal.read_bytes()).hexdigest(), journal.stat().st_mtime_ns) == before
    assert sorted(p.name for p in data.iterdir()) == ["faces.sqlite3", "journal.sqlite3",
                                                       "web.sqlite3"]


def test_a_folder_where_no_door_has_logged_yet_has_no_events(tmp_path: Path) -> None:
    client = TestClient(api_app(workspace_for(tmp_path / "empty")))
    viewer, _ = tokens_in(tmp_path / "empty")
    page = client.get("/api/events?since=2026-01-01", headers=bearer(viewer)).json()
    assert page["events"] == [] and page["next"]["after_id"] == 0
    assert client.get(f"/api/report?day={DAY}", headers=bearer(viewer)).json()["totals"] is None
    assert not (tmp_path / "empty" / "journal.sqlite3").exists()


def test_docs_describe_the_endpoints_their_parameters_and_errors(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) == {"/api/events", "/api/report", "/api/identify"}
    assert {p["name"] for p in paths["/api/events"]["get"]["parameters"]} == {"since", "after_id", "limit"}
    assert {"401", "422"} <= set(paths["/api/report"]["get"]["responses"])
    assert {"403", "413"} <= set(paths["/api/identify"]["post"]["responses"])
    assert all(p["get" if "get" in p else "post"]["description"] for p in paths.values())
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
