"""The web application through FastAPI's TestClient, on a data folder with two people
enrolled from real photos: logging in and out, the login limit, every page refused
without a login, CSRF, a viewer refused on admin pages, path traversal, the pages'
contents and the report downloads opened with openpyxl."""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import load_rgb
from attendance_app.config.settings import AppConfig, parse_config
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.photos import face_thumbnail, faces_in_photo
from attendance_app.records.corrections import CorrectedJournal
from attendance_app.unknowns.store import UNKNOWNS_FILE, NewSighting, UnknownStore
from attendance_app.web.accounts import AccountBook
from attendance_app.web.app import COOKIE, build_app
from enrolment import FaceStore, GroupBook
from tests.support.web_site import PASSWORD, arrive, copy_of, csrf_in, enrolled_site, log_in

VIEWER_PAGES = {"/", "/today", "/today/events", "/reports", "/reports/download", "/login",
                "/logout", "/docs", "/openapi.json"}
"""Every other page is an admin's: a new page must be added here to be a viewer's."""
API = "/api/"
"""The HTTP API's paths: a token is their login (a session counts for nothing there), so
without one they answer 401 (tests/unit/web/api test the tokens' roles); a path there that
is no endpoint answers 404, in JSON, with or without a token."""
NO_ENDPOINT = API + "anything"


@pytest.fixture(scope="module")
def enrolled(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return enrolled_site(faces_dir, tmp_path_factory.mktemp("web"))


@pytest.fixture
def data(enrolled: Path, tmp_path: Path) -> Path:
    data = copy_of(enrolled, tmp_path / "data")
    book = AccountBook(data)
    book.add("ada", "admin", PASSWORD, "test")
    book.add("vic", "viewer", PASSWORD, "test")
    return data


@pytest.fixture
def client(data: Path) -> Iterator[TestClient]:
    app = build_app(Workspace.resolve(AppConfig(), data, None))
    with TestClient(app) as client:
        yield client


def _api_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Route]]:
    """(path prefix, route) of every route, through the routers included (FastAPI keeps
    an included router whole, with its prefix beside it): the pages, and any plain
    Starlette route too (FastAPI's /docs and /openapi.json are, when turned on)."""
    for route in routes:
        router = getattr(route, "original_router", None)
        if router is not None:
            yield from _api_routes(router.routes, prefix + route.include_context.prefix)
        elif isinstance(route, Route):
            yield prefix, route


def _routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path with every parameter filled) of every route of the app."""
    found = []
    for prefix, route in _api_routes(client.app.routes):  # type: ignore[attr-defined]
        path = prefix + route.path_format.replace("{sighting_id}", "1").replace(
            API + "{path}", NO_ENDPOINT)
        assert "{" not in path, f"fill the parameters of {route.path}"
        found += [(method, path) for method in sorted(route.methods or ["GET"])
                  if method != "HEAD"]
    return found


def _api_refusal(path: str) -> int:
    return 404 if path == NO_ENDPOINT else 401


def test_logging_in_and_out(client: TestClient) -> None:
    assert client.get("/today", follow_redirects=False).headers["location"] == "/login"
    wrong = log_in(client, "ada", "not the password")
    assert wrong.status_code == 401 and "Wrong account name or password" in wrong.text
    unknown = log_in(client, "nobody")
    assert unknown.status_code == 401 and "Wrong account name or password" in unknown.text
    done = log_in(client, "ADA")  # names in any letter case
    assert (done.status_code, done.headers["location"]) == (303, "/today")
    today = client.get("/today")
    assert today.status_code == 200 and "ada (admin)" in today.text
    client.post("/logout", data={"csrf": csrf_in(today.text)})
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_five_wrong_passwords_refuse_the_account_and_the_address_for_minutes(
        client: TestClient) -> None:
    for _ in range(5):
        assert log_in(client, "vic", "guess").status_code == 401
    refused = log_in(client, "vic")  # the right password now counts for nothing
    assert refused.status_code == 429
    assert "try again in 15 minutes" in refused.text
    assert log_in(client, "ada").status_code == 429  # from the same address, any name
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_every_page_but_the_login_is_refused_without_a_login(client: TestClient) -> None:
    routes = _routes(client)
    assert len(routes) >= 15
    for method, path in routes:
        answer = client.request(method, path, follow_redirects=False)
        if path == "/login":
            continue
        refused = ((answer.status_code, answer.headers.get("location")) == (303, "/login")
                   or path == "/logout" and answer.status_code == 403  # no session: no token
                   or path.startswith(API) and answer.status_code == _api_refusal(path))
        assert refused, f"{method} {path} answered {answer.status_code} without a login"
    assert client.get("/static/style.css").status_code == 200


def test_every_form_without_the_sessions_csrf_token_is_refused(
        client: TestClient, data: Path) -> None:
    assert log_in(client, "ada").status_code == 303
    posts = [path for method, path in _routes(client) if method == "POST"]
    assert "/accounts/add" in posts and "/corrections/void" in posts
    for path in [path for path in posts if path.startswith(API)]:  # the session opens none
        assert client.post(path, follow_redirects=False).status_code == _api_refusal(path), path
        posts.remove(path)
    for path in posts:
        for token in ({}, {"csrf": "forged"}):
            form = {"name": "mallory", "role": "admin", "password": PASSWORD,
                    "again": PASSWORD, **token}
            answer = client.post(path, data=form, follow_redirects=False)
            assert answer.status_code == 403, f"POST {path} took {token or 'no token'}"
    assert AccountBook(data).find("mallory") is None
    assert client.get("/today").status_code == 200  # still logged in: nothing was done


def test_a_viewer_is_refused_on_every_admin_page(client: TestClient) -> None:
    assert log_in(client, "vic").status_code == 303
    page = client.get("/today")
    assert "Corrections" not in page.text  # not even a link
    for method, path in _routes(client):
        if path in VIEWER_PAGES:
            continue
        data = {"csrf": csrf_in(page.text), "name": "vic", "role": "admin",
                "password": PASSWORD, "again": PASSWORD}
        answer = client.request(method, path, data=data if method == "POST" else None)
        assert answer.status_code == (_api_refusal(path) if path.startswith(API) else 403), \
            f"a viewer got {method} {path}"


def test_paths_out_of_the_static_folder_are_refused(client: TestClient) -> None:
    assert log_in(client, "ada").status_code == 303
    for path in ("/static/../web.sqlite3", "/static/%2e%2e/web.sqlite3",
                 "/static/..%2fweb.sqlite3", "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
                 "/static//etc/passwd", "/unknowns/picture/..%2f..%2fweb.sqlite3",
                 "/reports/download?format=../../web.sqlite3"):
        answer = client.get(path)
        assert answer.status_code in (400, 404, 422), path
        assert b"SQLite format" not in answer.content and b"root:" not in answer.content


def test_session_cookie_is_httponly_lax_and_secure_behind_https_and_no_page_is_framed(
        data: Path) -> None:
    app = build_app(Workspace.resolve(AppConfig(), data, None))
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(app, base_url=base) as client:
            cookie = client.get("/login").headers["set-cookie"]
            assert cookie.startswith(f"{COOKIE}=")
            assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
            assert ("secure" in cookie.lower().split("; ")) is secure
            answer = client.get("/login")
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["x-content-type-options"] == "nosniff"


def test_today_lists_the_days_arrivals_newest_first_and_escaped(
        client: TestClient, data: Path) -> None:
    morning = datetime.combine(date.today(), time(0, 1))
    arrive(data, "Raj", morning)
    arrive(data, "Amy", morning + timedelta(seconds=30))
    arrive(data, "Amy", morning - timedelta(days=1))  # yesterday: not listed
    assert log_in(client, "vic").status_code == 303
    page = client.get("/today").text
    assert "2 present" in page
    assert page.index("Amy") < page.index("Raj")
    assert page.count("front door") == 2


def test_reports_of_a_day_and_their_downloads(client: TestClient, data: Path) -> None:
    day = date.today()  # both were enrolled today: nobody is absent before enrolling
    arrive(data, "Amy", datetime.combine(day, time(0, 1)))
    assert log_in(client, "vic").status_code == 303
    report = client.get(f"/reports?first={day}&last={day}")
    assert report.status_code == 200
    assert "1 present, 1 absent" in report.text and "Absent: Raj" in report.text
    workbook = client.get(f"/reports/download?format=xlsx&first={day}&last={day}")
    assert workbook.status_code == 200
    assert f'filename="attendance-{day}.xlsx"' in workbook.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    cells = {str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row}
    assert {"Amy", "Raj"} <= cells
    csv = client.get(f"/reports/download?format=csv&first={day}&last={day}")
    with zipfile.ZipFile(io.BytesIO(csv.content)) as archive:
        absent = next(name for name in archive.namelist() if name.endswith("absent.csv"))
        assert "Raj" in archive.read(absent).decode("utf-8-sig")
    backwards = client.get(f"/reports?first={day}&last={day - timedelta(days=2)}")
    assert backwards.status_code == 400 and "before it starts" in backwards.text
    assert client.get("/reports?first=tomorrow").status_code == 400


def test_corrections_are_made_under_the_accounts_name(client: TestClient, data: Path) -> None:
    day = date.today() - timedelta(days=1)
    row = arrive(data, "Amy", datetime.combine(day, time(9, 0)))
    assert log_in(client, "ada").status_code == 303
    page = client.get(f"/corrections?day={day}")
    token = csrf_in(page.text)
    voided = client.post("/corrections/void", data={
        "csrf": token, "event": str(row.event_id), "day": str(day), "reason": "a visitor"})
    assert "Voided event" in voided.text
    journal = CorrectedJournal(data / "journal.sqlite3")
    mark = journal.event(row.event_id or 0).void  # type: ignore[union-attr]
    assert mark is not None and (mark.by, mark.reason) == ("ada", "a visitor")
    undone = client.post("/corrections/undo", data={
        "csrf": token, "event": str(row.event_id), "day": str(day), "reason": "it was Amy"})
    assert "Undid the void" in undone.text
    added = client.post("/corrections/add", data={
        "csrf": token, "person": "Raj", "at": f"{day}T09:10", "day": str(day),
        "reason": "camera down"})
    assert "Added event" in added.text
    start = datetime.combine(day, time.min)
    audit = journal.audit_between(start, start + timedelta(days=1))
    assert {line.made_by for line in audit} == {"ada"} and len(audit) == 2
    again = client.post("/corrections/add", data={
        "csrf": token, "person": "Raj", "at": f"{day}T09:20", "day": str(day),
        "reason": "camera down"})
    assert "already has an arrival" in again.text and "another arrival that day" in again.text


def test_admins_manage_accounts_in_the_page_and_it_is_audited(
        client: TestClient, data: Path) -> None:
    assert log_in(client, "ada").status_code == 303
    token = csrf_in(client.get("/accounts").text)
    added = client.post("/accounts/add", data={"csrf": token, "name": "bea", "role": "viewer",
                                               "password": PASSWORD, "again": PASSWORD})
    assert 'Added the account "bea" (viewer)' in html.unescape(added.text)
    short = client.post("/accounts/add", data={"csrf": token, "name": "cy", "role": "viewer",
                                               "password": "short", "again": "short"})
    assert "at least 8 characters" in short.text
    own = client.post("/accounts/remove", data={"csrf": token, "name": "ada"})
    assert "cannot remove the account you are logged in with" in own.text
    client.post("/accounts/remove", data={"csrf": token, "name": "vic"})
    lines = [(line.by, line.action, line.subject) for line in AccountBook(data).audit()]
    assert lines[:2] == [("ada", "removed", "vic"), ("ada", "added (viewer)", "bea")]
    assert PASSWORD not in client.get("/accounts").text


def test_people_shows_names_and_enrolment_dates_without_pictures(client: TestClient) -> None:
    assert log_in(client, "ada").status_code == 303
    page = client.get("/people").text
    assert "Amy" in page and "Raj" in page and f"{date.today()}" in page
    assert "<img" not in page
    assert "No unknown visitors are kept" in client.get("/unknowns").text


def test_admins_see_unknown_visitors_with_their_faces_and_delete_them(data: Path,
                                                                       faces_dir: Path) -> None:
    workspace = Workspace.resolve(parse_config("unknowns:\n  keep_days: 30\n"), data, None)
    engine = SFaceEngine()
    rgb = load_rgb(faces_dir / "stranger" / "openface_adams.jpg")
    face = faces_in_photo(engine, rgb)[0]
    store = UnknownStore(data / UNKNOWNS_FILE)
    for minutes in (30, 5):  # two visits of one stranger
        store.add(NewSighting(datetime.now() - timedelta(minutes=minutes), "Door",
                              face_thumbnail(rgb, face.box), round(face.box.height),
                              engine.name, face.encoding[None, :]))
    with TestClient(build_app(workspace)) as client:
        assert log_in(client, "ada").status_code == 303
        page = client.get("/unknowns").text
        assert "1 unknown visitor;" in page and 'src="/unknowns/picture/' in page
        picture = client.get(page.split('src="')[1].split('"')[0])
        assert picture.headers["content-type"] == "image/jpeg"
        assert picture.content[:2] == b"\xff\xd8"
        assert client.get("/unknowns/picture/999").status_code == 404
        gone = client.post("/unknowns/delete", data={"csrf": csrf_in(page), "group": "1"})
        assert "Deleted unknown group 1: 2 faces" in gone.text
    assert store.count() == 0
    line = AccountBook(data).audit()[0]
    assert (line.by, line.action, line.subject) == ("ada", "deleted unknown group 1", "2 faces")


def test_reports_per_group_and_of_one_group(client: TestClient, data: Path) -> None:
    groups = GroupBook(FaceStore(data / "faces.sqlite3"))
    groups.add("Physics", 127, "08:00", 10)
    groups.assign("Physics", ["Raj"])
    arrive(data, "Amy", datetime.combine(date.today(), time(0, 1)))
    assert log_in(client, "vic").status_code == 303
    everyone = html.unescape(client.get(f"/reports?first={date.today()}").text)
    assert "<option>Physics</option>" in everyone and "<option>No group</option>" in everyone
    assert "Physics: 0 present, 1 absent" in everyone
    physics = html.unescape(client.get(f"/reports?first={date.today()}&group=Physics").text)
    assert "Absent: Raj" in physics and "Amy" not in physics.split('class="report"')[1]
    named = client.get(f"/reports/download?format=csv&first={date.today()}&group=Physics")
    with zipfile.ZipFile(io.BytesIO(named.content)) as archive:
        assert all("-physics-" in name for name in archive.namelist())
    unknown = client.get(f"/reports?first={date.today()}&group=Chemistry")
    assert unknown.status_code == 400 and "Chemistry" in html.unescape(unknown.text)


def test_the_api_is_described_to_whoever_is_logged_in_with_no_script_from_elsewhere(
        client: TestClient) -> None:
    assert log_in(client, "vic").status_code == 303
    page = client.get("/docs")
    assert page.status_code == 200 and "<script" not in page.text
    for endpoint in ("GET /api/events", "GET /api/report", "POST /api/identify"):
        assert endpoint in page.text
    assert "<code>after_id</code>" in page.text and "<code>photo</code>" in page.text
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {"/api/events", "/api/report", "/api/identify"}
