"""A data folder for the web application's tests: two people enrolled from real photos
(by the real `enrol --folder`), arrivals written into its journal as a door writes them,
and logging in through the login form as a browser does (its CSRF token read from the
page)."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx

from attendance_app.records.corrections import CorrectedJournal
from attendance_app.types import AttendanceEvent
from enrolment import FaceStore
from tests.support.enrolled_folder import enrolled_from_photos
from tests.support.faults_support import app_command, free_port, wait_for

PEOPLE = {"Amy": "bbt_amy", "Raj": "bbt_raj"}
PASSWORD = "correct horse battery"
"""Every test account's password: a test checks it never reaches a log."""


def enrolled_site(faces_dir: Path, root: Path) -> Path:
    """`root`/data with PEOPLE enrolled from one real photo each."""
    return enrolled_from_photos(faces_dir, root, PEOPLE)


def copy_of(site: Path, into: Path) -> Path:
    """A copy of the data folder `site` at `into` (each test changes its own)."""
    shutil.copytree(site, into)
    return into


def arrive(data: Path, name: str, at: datetime) -> AttendanceEvent:
    """`name`'s arrival at `at`, committed to the journal as a door's recorder does."""
    person = FaceStore(data / "faces.sqlite3").find(name)
    assert person is not None, name
    return CorrectedJournal(data / "journal.sqlite3").record(
        AttendanceEvent(at, person.person_id, person.name, "front door", 0.3, "in"))


def csrf_in(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def log_in(client: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    """Log in through the login form; returns the answer to the form."""
    token = csrf_in(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf": token},
                       follow_redirects=False)


def add_account(data: Path, name: str, role: str, password: str = PASSWORD) -> None:
    """`web user add NAME --role ROLE` in `data`, the password piped in as a person types it."""
    made = subprocess.run([*app_command("web", "user", "add", name, "--role", role),
                           "--data-dir", str(data)], input=password + "\n",
                          capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/login", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def web_server(data: Path, log: Path) -> Iterator[str]:
    """`attendance-app web` on a free port for `data` (its stderr into `log`), as a person
    starts it: its first line names the address; yields its base URL, and stops it with
    SIGTERM at the end, failing if it is still running 15 s later."""
    port = free_port()
    with log.open("w") as sink:
        process = subprocess.Popen([*app_command("web", "--port", str(port)), "--data-dir",
                                    str(data)], stdout=subprocess.PIPE, stderr=sink, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # (the one line it prints on stdout)
        assert f"at http://127.0.0.1:{port}/" in first, log.read_text(errors="replace")
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(url), 60, "the web server")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError("the web server did not stop within 15 s of SIGTERM") from None
