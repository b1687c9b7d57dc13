"""API tokens (issue 26, point 3): shown once, kept only as a hash, listed without the token,
removed for good; the commands say what to do in one line when refused."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from attendance_app.web.api.tokens import PREFIX, WEB_FILE, TokenBook, TokenError, token_hash
from tests.support.faults_support import cli


def test_a_token_is_random_prefixed_and_stored_only_as_its_hash(tmp_path: Path) -> None:
    book = TokenBook(tmp_path / WEB_FILE)
    first, second = book.add("payroll", "viewer"), book.add("gate", "admin")
    assert first.startswith(PREFIX) and len(first) >= len(PREFIX) + 43 and first != second
    stored = (tmp_path / WEB_FILE).read_bytes()
    assert first.encode() not in stored and second.encode() not in stored
    assert token_hash(first).encode() in stored
    assert stat.S_IMODE((tmp_path / WEB_FILE).stat().st_mode) == 0o600
    assert book.check(first).role == "viewer"  # type: ignore[union-attr]
    assert book.check(second).role == "admin"  # type: ignore[union-attr]
    assert book.check(first[:-1] + ("A" if first[-1] != "A" else "B")) is None
    assert book.check("") is None


def test_a_removed_token_is_refused_and_its_name_free_again(tmp_path: Path) -> None:
    book = TokenBook(tmp_path / WEB_FILE)
    token = book.add("payroll", "viewer")
    assert book.remove("payroll") and not book.remove("payroll")
    assert book.check(token) is None
    assert book.add("payroll", "viewer") != token


@pytest.mark.parametrize(("name", "role", "words"), [
    ("payroll", "owner", "is not a role"),
    ("", "viewer", "is not a usable token name"),
    ("a/b", "viewer", "is not a usable token name"),
    ("x" * 65, "viewer", "is not a usable token name"),
])
def test_a_bad_name_or_role_is_refused(tmp_path: Path, name: str, role: str, words: str) -> None:
    with pytest.raises(TokenError, match=words):
        TokenBook(tmp_path / WEB_FILE).add(name, role)


def test_a_taken_name_is_refused_saying_how_to_free_it(tmp_path: Path) -> None:
    book = TokenBook(tmp_path / WEB_FILE)
    book.add("payroll", "viewer")
    with pytest.raises(TokenError, match="web token remove payroll"):
        book.add("payroll", "admin")


def test_the_commands_print_the_token_once_and_list_never_shows_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the commands' log files
    data = str(tmp_path / "data")
    made = cli("web", "token", "add", "payroll", "--data-dir", data)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith(PREFIX) and "\n" not in token and token not in made.stderr
    admin = cli("web", "token", "add", "gate", "--role", "admin", "--data-dir", data)
    listed = cli("web", "token", "list", "--data-dir", data)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["gate", "admin"], ["payroll", "viewer"]]
    assert "last used never" in lines[1]
    for secret in (token, admin.stdout.strip(), token_hash(token)):
        assert secret not in listed.stdout + listed.stderr
    removed = cli("web", "token", "remove", "payroll", "--data-dir", data)
    assert removed.returncode == 0 and "payroll" in removed.stdout
    again = cli("web", "token", "remove", "payroll", "--data-dir", data)
    assert again.returncode == 1 and again.stderr.count("\n") == 1 and "web token list" in again.stderr
    taken = cli("web", "token", "add", "gate", "--data-dir", data)
    assert taken.returncode == 1 and taken.stderr.startswith("error: ") and taken.stdout == ""
    logs = [path.read_text(errors="replace") for path in (tmp_path / "state").rglob("*.log")]
    assert logs and "web token" in "".join(logs) and token not in "".join(logs)
