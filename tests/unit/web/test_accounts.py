"""Accounts, the login limit and the session secret, on real files in a data folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from attendance_app.web.accounts import AccountBook, AccountError
from attendance_app.web.login_limit import FAILURES, WINDOW, LoginLimit
from attendance_app.web.session_key import KEY_FILE, session_key
from attendance_app.web.web_store import WEB_FILE

PASSWORD = "a long enough password"


def test_passwords_are_kept_as_argon2_hashes_and_checked(tmp_path: Path) -> None:
    book = AccountBook(tmp_path)
    book.add("Ada", "admin", PASSWORD, "test")
    assert PASSWORD.encode() not in (tmp_path / WEB_FILE).read_bytes()
    assert b"$argon2id$" in (tmp_path / WEB_FILE).read_bytes()
    assert stat.S_IMODE((tmp_path / WEB_FILE).stat().st_mode) == 0o600
    found = book.verify("ada", PASSWORD)
    assert found is not None and (found.name, found.admin) == ("Ada", True)
    assert book.verify("Ada", PASSWORD + "x") is None
    assert book.verify("nobody", PASSWORD) is None
    book.set_password("Ada", "another password", "test")
    assert book.verify("Ada", PASSWORD) is None and book.verify("Ada", "another password")


@pytest.mark.parametrize(("name", "role", "password", "says"), [
    ("", "viewer", PASSWORD, "1 to 64 characters"),
    ("a\nb", "viewer", PASSWORD, "1 to 64 characters"),
    ("bob", "boss", PASSWORD, "viewer or admin"),
    ("bob", "viewer", "short", "at least 8 characters"),
    ("ADA", "viewer", PASSWORD, "already"),
])
def test_a_wrong_account_is_refused_in_one_line(tmp_path: Path, name: str, role: str,
                                                password: str, says: str) -> None:
    book = AccountBook(tmp_path)
    book.add("Ada", "admin", PASSWORD, "test")
    with pytest.raises(AccountError, match=says) as refused:
        book.add(name, role, password, "test")
    assert password not in str(refused.value) and "\n" not in str(refused.value)


def test_every_account_change_is_in_the_audit_trail(tmp_path: Path) -> None:
    book = AccountBook(tmp_path)
    book.add("Ada", "admin", PASSWORD, "root (command line)")
    book.add("Bob", "viewer", PASSWORD, "Ada")
    book.set_password("Bob", "new password!", "Ada")
    book.remove("Bob", "Ada")
    assert [(a.by, a.action, a.subject) for a in book.audit()] == [
        ("Ada", "removed", "Bob"), ("Ada", "password changed", "Bob"),
        ("Ada", "added (viewer)", "Bob"), ("root (command line)", "added (admin)", "Ada")]
    with pytest.raises(AccountError, match="no account"):
        book.remove("Bob", "Ada")


def test_five_failures_refuse_for_the_rest_of_the_window(tmp_path: Path) -> None:
    limit = LoginLimit(tmp_path)
    start = 1_000_000.0
    for step in range(FAILURES - 1):
        limit.failed("ada", "10.0.0.1", now=start + step)
    assert limit.wait("ada", "10.0.0.1", now=start + 10) == 0
    limit.failed("Ada", "10.0.0.2", now=start + 10)  # the account's, from anywhere
    assert limit.wait("ada", "10.0.0.9", now=start + 11) == 15
    assert limit.wait("bob", "10.0.0.9", now=start + 11) == 0
    assert limit.wait("ada", "10.0.0.9", now=start + WINDOW - 60) == 1
    assert limit.wait("ada", "10.0.0.9", now=start + WINDOW + 5) == 0
    limit.succeeded("ada")
    for step in range(FAILURES):  # many names guessed from one address
        limit.failed(f"name{step}", "10.0.0.3", now=start + step)
    assert limit.wait("ada", "10.0.0.3", now=start + 10) == 15


def test_the_session_secret_is_made_once_owner_only(tmp_path: Path) -> None:
    first = session_key(tmp_path)
    assert len(first) == 64 and session_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    (tmp_path / KEY_FILE).write_text("")  # cut short by a crash
    assert session_key(tmp_path) not in ("", first)
