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
from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "messages", _("Messages sent to a webhook and by e-mail (messages.* "
                                 "settings): what waits, a test, the SMTP password."), status)
    actions = p.add_subparsers(dest="messages_command", metavar="ACTION")
    command(actions, "status", _("Say how many messages wait, the last error and the last "
                               "message sent."), status)
    command(actions, "test", _("Send a test message now to the webhook and the e-mail "
                             "addresses set; one line per way saying whether it went."), test)
    command(actions, "password", _("Keep the SMTP password in the system's keyring (asked "
                                 "without echo, or read from stdin)."), password)


def status(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print the outbox's state; 0 even with messages waiting (they are retried)."""
    from attendance_app.messages.outbox import OUTBOX_FILE, Outbox

    workspace = invocation.workspace
    path = workspace.data_dir / OUTBOX_FILE
    on = workspace.config.messages.on
    if not path.exists():
        print(_("Messages are on; none queued yet") if on else
              _("Messages are off; none queued yet"))
        return 0
    box = Outbox(path)
    try:
        state = box.status()
    finally:
        box.close()
    print((_("Messages are on; {waiting} waiting, {sent} sent") if on else
           _("Messages are off; {waiting} waiting, {sent} sent")).format(
        waiting=state.pending, sent=state.sent))
    print(_("Last sent: {when}").format(when=state.last_sent or _("never")))
    if state.last_error:
        print(_("Last error: {error} (at {when})").format(error=state.last_error,
                                                         when=state.last_error_at))
    return 0


def test(args: argparse.Namespace, invocation: Invocation) -> int:
    """Send a test message on every way set; 1 when one failed."""
    from attendance_app.app.messaging import send_test

    failed = 0
    for sent, line in send_test(invocation.workspace):
        if sent:
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
        secret = getpass.getpass(_("SMTP password of {user}: ").format(
            user=config.smtp_user or "?"))
    else:
        secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        fail(_("no password given; nothing stored"))
        return 1
    where = store_password(config, secret)
    print(_("Stored the SMTP password of {user} at {host} in the system keyring ({where})")
          .format(user=config.smtp_user, host=config.smtp_host, where=where))
    return 0
