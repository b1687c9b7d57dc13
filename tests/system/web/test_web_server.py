"""`attendance-app web` as a real server process on a free port: accounts made by
`web user add` with the password piped in, a login over HTTP, Today's server-sent
events showing an arrival written to the journal while the server runs, and no
password in anything the server or the commands printed or logged."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.support.faults_support import app_command, free_port
from tests.support.web_site import (
    PASSWORD,
    arrive,
    copy_of,
    enrolled_site,
    log_in,
    web_server,
)

WRONG = "a wrong secret tried"
"""A mistyped password: must not reach a log either."""


@pytest.fixture(scope="module")
def enrolled(faces_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return enrolled_site(faces_dir, tmp_path_factory.mktemp("web-server"))


def _app(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*app_command(*args), "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def server(enrolled: Path, tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """(data folder, base URL, the server's stderr file) of a running `web` server."""
    data = copy_of(enrolled, tmp_path / "data")
    made = _app(data, "web", "user", "add", "ada", "--role", "admin", stdin=PASSWORD + "\n")
    assert made.returncode == 0 and 'Added the account "ada" (admin)' in made.stdout
    assert PASSWORD not in made.stdout + made.stderr
    errors = tmp_path / "server.stderr"
    with web_server(data, errors) as url:
        yield data, url, errors


def _logs() -> str:
    """Everything in the app's log folder (XDG_STATE_HOME: every test has its own)."""
    root = Path(os.environ["XDG_STATE_HOME"])
    return "".join(path.read_text(errors="replace") for path in root.rglob("*")
                   if path.is_file())


def _hung_client(url: str, cookie: str) -> socket.socket:
    """A Today page whose browser never reads what it is sent."""
    host, port = url.removeprefix("http://").split(":")
    hung = socket.create_connection((host, int(port)))
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    hung.sendall(f"GET /today/events HTTP/1.1\r\nHost: {host}\r\n"
                 f"Cookie: attendance_session={cookie}\r\n\r\n".encode())
    return hung


def test_today_streams_an_arrival_written_while_the_server_runs(
        server: tuple[Path, str, Path]) -> None:
    """... to a reader, while another Today page's client hangs without reading."""
    data, url, _ = server
    with httpx.Client(base_url=url, timeout=10) as client:
        assert log_in(client, "ada").status_code == 303
        hung = _hung_client(url, client.cookies["attendance_session"])
        reading = httpx.Timeout(10, read=20)
        with hung, client.stream("GET", "/today/events", timeout=reading) as feed:
            assert feed.headers["content-type"].startswith("text/event-stream")
            lines = feed.iter_lines()
            assert next(lines) == "event: today"
            first = next(lines)
            assert first.startswith("data: ") and "Nobody has arrived yet today" in first
            arrive(data, "Raj", datetime.now().replace(microsecond=0))
            update = next(line for line in lines if line.startswith("data: "))
    assert "Raj" in update and "1 present" in update


def test_no_password_reaches_the_output_or_the_logs(server: tuple[Path, str, Path]) -> None:
    data, url, errors = server
    with httpx.Client(base_url=url, timeout=10) as client:
        assert log_in(client, "ada", WRONG).status_code == 401
        assert log_in(client, "ada").status_code == 303
        page = client.get("/accounts")
        token = page.text.split('name="csrf" value="')[1].split('"')[0]
        client.post("/accounts/add", data={"csrf": token, "name": "bea", "role": "viewer",
                                           "password": PASSWORD, "again": PASSWORD})
    changed = _app(data, "web", "user", "password", "bea", stdin=WRONG + "\n")
    assert changed.returncode == 0, changed.stderr
    listed = _app(data, "web", "user", "list")
    assert "ada  admin" in listed.stdout and "bea  viewer" in listed.stdout
    said = errors.read_text() + _logs() + changed.stdout + changed.stderr + listed.stdout
    assert "web login failed for 'ada'" in said and "web login: ada (admin)" in said
    assert PASSWORD not in said and WRONG not in said


def test_a_port_in_use_or_no_port_is_said_in_one_line(tmp_path: Path) -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):
        taken = _app(tmp_path, "web", "--port", str(port))
    assert taken.returncode == 1 and "Traceback" not in taken.stderr
    assert taken.stderr.strip().splitlines()[-1] == (
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use): another "
        "program uses that port, or the address is not this computer's; choose another "
        "with --port or --host")
    nonsense = _app(tmp_path, "web", "--port", "70000")
    assert nonsense.returncode == 1
    assert nonsense.stderr.strip() == "error: --port 70000 is not a port: give 1 to 65535"
