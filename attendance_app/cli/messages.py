"""`attendance-app messages`: what waits to be sent (status), a test message now (test),
and keeping the SMTP password in the system's keyring (password).

The password is read from the terminal without echo (getpass), or from stdin when it is
not a terminal (a script: `printf %s "$PW" | attendance-app messages password`), and is
never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import fail

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "messages", "Messages sent to a webhook and by e-mail (messages.* "
                                 "settings): what waits, a test, the SMTP password.", status)
    actions = p.add_subparsers(dest="messages_command", metavar="ACTION")
    command(actions, "status", "Say how many messages wait, the last error and the last "
                               "message sent.", status)
    command(actions, "test", "Send a test message now to the webhook and the e-mail "
                             "addresses set; one line per way saying whether it went.", test)
    command(actions, "password", "Keep the SMTP password in the system's keyring (asked "
                                 "without echo, or read from stdin).", password)


def status(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print the outbox's state; 0 even with messages waiting (they are retried)."""
    from attendance_app.messages.outbox import OUTBOX_FILE, Outbox

    workspace = invocation.workspace
    path = workspace.data_dir / OUTBOX_FILE
    on = "on" if workspace.config.messages.on else "off"
    if not path.exists():
        print(f"Messages are {on}; none queued yet")
        return 0
    box = Outbox(path)
    try:
        state = box.status()
    finally:
        box.close()
    print(f"Messages are {on}; {state.pending} waiting, {state.sent} sent")
    print(f"Last sent: {state.last_sent or 'never'}")
    if state.last_error:
        print(f"Last error: {state.last_error} (at {state.last_error_at})")
    return 0


def test(args: argparse.Namespace, invocation: Invocation) -> int:
    """Send a test message on every way set; 1 when one failed."""
    from attendance_app.app.messaging import send_test

    failed = 0
    for line in send_test(invocation.workspace):
        if line.endswith(": sent"):
            print(line, flush=True)
        else:
            fail(line)  # on stderr and in the log file
            failed += 1
    return 1 if failed else 0


def password(args: argparse.Namespace, invocation: Invocation) -> int:
    """Read the password and keep it in the keyring under the SMTP login."""
    from attendance_app.app.messaging import store_password

    config = invocation.config.messages
    if sys.stdin.isatty():
        secret = getpass.getpass(f"SMTP password of {config.smtp_user or '?'}: ")
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        fail("no password given; nothing stored")
        return 1
    where = store_password(config, secret)
    print(f"Stored the SMTP password of {config.smtp_user} at {config.smtp_host} in the "
          f"system keyring ({where})")
    return 0
