"""`web user add` at a terminal: the password is asked twice, unseen (getpass), never an
argument; two different passwords change nothing. Run in a real pseudo-terminal that is
the command's controlling terminal, as when a person types it."""

from __future__ import annotations

import os
import select
import signal
import sys
import time
from pathlib import Path

from attendance_app.web.accounts import AccountBook
from tests.support.faults_support import app_command

SECRET = "typed at the terminal"


def _at_terminal(data: Path, answers: list[str], *args: str) -> tuple[str, int]:
    """What the terminal showed while `web ARGS` ran there, each answer typed after the
    prompt before it; and the exit code."""
    pid, terminal = os.forkpty()
    if pid == 0:  # the child: the command, with the pseudo-terminal as its own
        command = app_command("web", "user", *args, "--data-dir", str(data))
        os.execv(sys.executable, command)
    shown, waiting = b"", list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([terminal], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # the command ended and closed the terminal
                break
            if not chunk:
                break
            shown += chunk
            if waiting and shown.endswith(b": "):  # a prompt, waiting for its answer
                os.write(terminal, waiting.pop(0).encode() + b"\n")
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return shown.decode(errors="replace"), os.waitstatus_to_exitcode(status)


def test_a_password_is_typed_twice_unseen(tmp_path: Path) -> None:
    shown, code = _at_terminal(tmp_path, [SECRET, SECRET], "add", "ada", "--role", "admin")
    assert code == 0, shown
    assert "Password:" in shown and "Again:" in shown and 'Added the account "ada"' in shown
    assert SECRET not in shown
    assert AccountBook(tmp_path).verify("ada", SECRET) is not None


def test_two_different_passwords_change_nothing(tmp_path: Path) -> None:
    shown, code = _at_terminal(tmp_path, [SECRET, SECRET + "!"], "add", "bob", "--role",
                               "viewer")
    assert code == 1 and "the two passwords differ; nothing was changed" in shown
    assert SECRET not in shown and AccountBook(tmp_path).accounts() == []
