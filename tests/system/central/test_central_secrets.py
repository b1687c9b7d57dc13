"""No password in any output (issue 20, point 4): every bad database URL, from every place
a URL is given (--database, ATTENDANCE_DATABASE_URL, database.url in the settings), ends
in one line with the password hidden and the right reason, never a traceback; a password
kept in a .pgpass file works.

Before: `postgresql://u:PW@[::1:5432/db` printed the password in a traceback of urllib,
`P%zzW` came back in libpq's own words, a non-numeric port gave a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attendance_app.app.instance_lock import AlreadyRunning, DataFolderLock
from attendance_app.app.workspace import DATABASE_URL_VARIABLE
from attendance_app.cli.main import main
from tests.support.faults_support import cli
from tests.support.postgres_server import PostgresServer

ISSUE_URL = "postgresql://u:Pw-0f-the-issue@[::1:5432/db"

_PASSWORD_CHARACTERS = "abcXYZ019@/:%[]?&=#!$'\" ;\\~"
passwords = st.text(alphabet=_PASSWORD_CHARACTERS, min_size=8, max_size=16).map(
    lambda text: f"Zq{text}Xv")
"""Random passwords with the characters that break URLs, between two markers that make
an accidental match with a message's words impossible."""

_HOSTS = ["127.0.0.1:1", "[::1:5432", "[::1]x:5432", "host:abc", "127.0.0.1:99999",
          "::1]:5432", ":5432", "127.0.0.1:1,[::1", ""]
_QUERIES = ["", "?foo=bar", "?sslmode=disable", "?connect_timeout=1&colour=red",
            "?password={password}", "?sslmode=require&password={password}&x=%zz"]


@st.composite
def malformed_urls(draw: st.DrawFn) -> tuple[str, str]:
    """(URL, its password): a password raw or percent-escaped in any of many broken URLs."""
    password = draw(passwords)
    written = draw(st.sampled_from([password, quote(password, safe=""),
                                    password.replace("%", "%2")]))
    host = draw(st.sampled_from(_HOSTS))
    query = draw(st.sampled_from(_QUERIES)).format(password=written)
    if draw(st.booleans()):  # the host forgotten: libpq reads the password as the port
        return f"postgresql://door:{written}/attendance{query}", password
    return f"postgresql://door:{written}@{host}/attendance{query}", password


def _run_in_process(entry: str, url: str, folder: Path,
                    monkeypatch: pytest.MonkeyPatch) -> int:
    """`attendance-app database status` with `url` given by `entry`."""
    args = ["--data-dir", str(folder / "data"), "database", "status"]
    monkeypatch.delenv(DATABASE_URL_VARIABLE, raising=False)
    if entry == "--database":
        args += ["--database", url]
    elif entry == "environment":
        monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    else:
        written = json.dumps(url) if entry == "settings" else url  # unquoted: # cuts it
        settings_file = folder / "config.yaml"
        settings_file.write_text(f"database:\n  url: {written}\n", encoding="utf-8")
        args = ["--config", str(settings_file), *args]
    return main(args)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=malformed_urls(),
       entry=st.sampled_from(["--database", "environment", "settings", "settings unquoted"]))
def test_no_password_of_a_malformed_url_reaches_any_output(
        case: tuple[str, str], entry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    url, password = case
    capsys.readouterr()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        code = _run_in_process(entry, url, tmp_path, monkeypatch)
    out, err = capsys.readouterr()
    shown = out + err + caplog.text
    assert code == 1
    for secret in {password, unquote(password), quote(password, safe="")}:
        assert secret not in shown
    assert "Traceback" not in shown
    assert err.startswith("error: ") and err.strip().count("\n") == 0, err


@pytest.mark.parametrize("entry", ["--database", "environment", "settings"])
def test_the_issues_url_is_one_line_without_the_password_from_every_entry(
        entry: str, tmp_path: Path) -> None:
    args = ["--data-dir", str(tmp_path / "data"), "database", "status"]
    env = {key: value for key, value in os.environ.items() if key != DATABASE_URL_VARIABLE}
    if entry == "--database":
        args += ["--database", ISSUE_URL]
    elif entry == "environment":
        env[DATABASE_URL_VARIABLE] = ISSUE_URL
    else:
        (tmp_path / "config.yaml").write_text(f'database:\n  url: "{ISSUE_URL}"\n')
        args = ["--config", str(tmp_path / "config.yaml"), *args]
    result = cli(*args, env=env)
    assert result.returncode == 1
    assert "Pw-0f-the-issue" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
    assert "[ without its closing ]" in result.stderr


def test_the_server_errors_name_the_right_reason_without_the_password(
        tmp_path: Path, postgres_server: PostgresServer, database_url: str) -> None:
    server = f"127.0.0.1:{postgres_server.port}"
    unknown = cli("--data-dir", str(tmp_path), "database", "status", "--database",
                  postgres_server.url("no_such_db"))
    assert unknown.returncode == 1
    assert f"database 'no_such_db' does not exist on server {server}" in unknown.stderr
    assert "password" not in unknown.stderr
    wrong = cli("--data-dir", str(tmp_path), "database", "status", "--database",
                postgres_server.url(database_url.rsplit("/", 1)[1], password="Zq%25wrong%40Xv"))
    assert "refused the user name or password" in wrong.stderr
    for result in (unknown, wrong):
        assert PostgresServer.PASSWORD not in result.stderr and "Zq" not in result.stderr
        assert result.stderr.strip().count("\n") == 0


def test_a_password_in_a_pgpass_file_is_used_and_a_missing_one_is_named(
        tmp_path: Path, postgres_server: PostgresServer, database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{postgres_server.port}:{name}:{PostgresServer.USER}:"
                      f"{PostgresServer.PASSWORD}\n")
    pgpass.chmod(0o600)
    bare = f"postgresql://{PostgresServer.USER}@127.0.0.1:{postgres_server.port}/{name}"
    env = {**os.environ, "PGPASSFILE": str(pgpass)}
    env.pop(DATABASE_URL_VARIABLE, None)
    env.pop("PGPASSWORD", None)
    init = cli("--data-dir", str(tmp_path), "database", "init", env={
        **env, DATABASE_URL_VARIABLE: bare})
    assert init.returncode == 0, init.stderr
    status = cli("--data-dir", str(tmp_path), "database", "status", env={
        **env, DATABASE_URL_VARIABLE: bare})
    assert status.returncode == 0 and "People: 0" in status.stdout
    missing = cli("--data-dir", str(tmp_path), "database", "status", env={
        **env, DATABASE_URL_VARIABLE: bare.replace(f"/{name}", "/other")})
    assert missing.returncode == 1
    assert "asks for a password and none was given" in missing.stderr
    assert "~/.pgpass" in missing.stderr


def test_the_command_line_of_the_door_holding_the_folder_is_shown_without_its_password(
        tmp_path: Path) -> None:
    """A second app names the process holding the data folder by its command line, which
    may carry --database with a password (README advises against it, people do it)."""
    journal = tmp_path / "journal.sqlite3"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(journal), "attendance_app", "run", "--database",
         "postgresql://door:Zq-held-secret@server/attendance"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning) as refused:
            DataFolderLock(journal).acquire()
    finally:
        holder.kill()
        holder.wait()
    assert "Zq-held-secret" not in str(refused.value)
    assert "postgresql://door:***@server/attendance" in str(refused.value)


_HOLD = """
import sys, time
from pathlib import Path
from attendance_app.app.instance_lock import DataFolderLock
DataFolderLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
time.sleep(60)
"""
