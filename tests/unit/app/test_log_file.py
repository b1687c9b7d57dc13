"""The log file's own parts: hiding secrets, and one file written and rotated by two
writers at once (two handlers on one path hold two descriptors, as two processes do)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from attendance_app.app.log_file import (
    HIDDEN,
    _SharedRotatingFileHandler,
    first_line,
    redact_secrets,
)


@pytest.mark.parametrize(("text", "secret"), [
    ("could not connect to postgresql://door:Sup3r@db.school.lan:5432/att", "Sup3r"),
    ("url postgres://door:p@ss@word@db/att?sslmode=require failed", "p@ss@word"),
    ("dsn 'host=db user=door password=hunter2 dbname=att'", "hunter2"),
    ("postgresql://door@db/att?sslmode=require&password=Zz9", "Zz9"),
    ("Password = 'quoted secret' in conninfo", "quoted secret"),
])
def test_passwords_are_hidden_wherever_they_stand(text: str, secret: str) -> None:
    shown = redact_secrets(text)
    assert secret not in shown
    assert HIDDEN in shown


def test_text_without_secrets_is_kept() -> None:
    text = "workbook /tmp/a.xlsx is locked; postgresql://door@db:5432/att is unreachable"
    assert redact_secrets(text) == text


def test_the_first_line_names_version_platform_and_command_only() -> None:
    line = first_line("people list")
    assert line.startswith("start: attendance-app ")
    assert "Python 3.11" in line and line.endswith("command: people list")


def _record(number: int, writer: str) -> logging.LogRecord:
    return logging.LogRecord("test", logging.WARNING, __file__, 0, "%s line %04d %s",
                             (writer, number, "x" * 60), None)


def test_two_writers_of_one_file_lose_no_line_and_follow_each_others_rotation(
        tmp_path: Path) -> None:
    path = tmp_path / "commands.log"
    writers = [_SharedRotatingFileHandler(path, maxBytes=2000, backupCount=50, encoding="utf-8")
               for _ in range(2)]
    try:
        for number in range(300):
            for name, writer in zip("ab", writers, strict=True):
                writer.handle(_record(number, name))
    finally:
        for writer in writers:
            writer.close()
    # oldest first: commands.log.N ... commands.log.1, then commands.log
    files = sorted(tmp_path.glob("commands.log.*"), key=lambda file: -int(file.suffix[1:]))
    files.append(path)
    assert len(files) > 10, "it rotated"
    lines = [line for file in files for line in file.read_text(encoding="utf-8").splitlines()]
    # every line, in the order written: each writer followed the other's rotation instead
    # of going on in a file the other had rotated away
    assert lines == [f"{name} line {number:04d} {'x' * 60}"
                     for number in range(300) for name in "ab"]
    assert max(file.stat().st_size for file in files) < 2000 + 2 * 80
    assert all(file.stat().st_mode & 0o777 == 0o600 for file in files)
