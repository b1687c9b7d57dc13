"""`attendance-app web`: the web application for people in the office (attendance_app.web),
`web user add|list|remove|password`: its accounts, and `web token add|list|remove`: the
HTTP API's tokens.

A password is read from standard input, never from an argument (which `ps` and the shell's
history would show): typed twice, unseen, at a terminal; one line when piped in, e.g. from
a password manager. It is never printed or logged.

`web token add` prints the token once, on standard output alone, so that a script can take
it (`TOKEN=$(attendance-app web token add payroll)`); it is kept only as a hash and can
never be shown again: a lost token is removed and made anew. `list` shows names, roles and
dates, never a token.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, fail
from attendance_app.errors import AttendanceError
from attendance_app.i18n import _, dates

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation
    from attendance_app.web.accounts import AccountBook
    from attendance_app.web.api.tokens import TokenBook


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "web", _("Serve the web application (Today, Reports, People, corrections) "
                            "for this data folder or the site's central database; "
                            "`web user` manages who may log in."), serve)
    p.add_argument("--port", type=int, default=8080, help=_("the port to listen on (default 8080)"))
    p.add_argument("--host", default="127.0.0.1",
                   help=_("the address to listen on (default 127.0.0.1: this computer only; "
                        "put a reverse proxy with TLS in front to serve others)"))
    actions = p.add_subparsers(dest="web_command", metavar="ACTION")
    add_token_parser(actions)
    user = command(actions, "user", _("Manage the web application's accounts."))
    users = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = command(users, "add", _("Add an account; its password is read from standard input."),
                  add_user)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=("viewer", "admin"), required=True,
                     help=_("viewer: Today and Reports; admin: also People, Unknown visitors, "
                          "Corrections and Accounts"))
    command(users, "list", _("List the accounts and their roles."), list_users)
    remove = command(users, "remove", _("Remove an account."), remove_user)
    remove.add_argument("name", metavar="NAME")
    password = command(users, "password", _("Set an account's password, read from standard "
                                          "input."), set_password)
    password.add_argument("name", metavar="NAME")


def _book(invocation: Invocation) -> AccountBook:
    from attendance_app.web.accounts import AccountBook

    return AccountBook(invocation.workspace.data_dir)


def _who() -> str:
    """Who changes an account from the command line, for the audit trail."""
    from attendance_app.records.voiding import current_user

    return f"{current_user()} (command line)"


def read_password() -> str:
    """The new password: typed twice at a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass(_("Password: "))
        if getpass.getpass(_("Again: ")) != first:
            raise AttendanceError(_("the two passwords differ; nothing was changed"))
        return first
    line = sys.stdin.readline()
    if not line:
        raise AttendanceError(_("no password on standard input: type it, or pipe it in "
                              "(e.g. `printf '%s\\n' \"$PW\" | attendance-app web user add ...`)"))
    return line.rstrip("\r\n")


def add_user(args: argparse.Namespace, invocation: Invocation) -> int:
    account = _book(invocation).add(args.name, args.role, read_password(), _who())
    print(_('Added the account "{name}" ({role}).').format(name=account.name,
                                                           role=account.role))
    return 0


def list_users(args: argparse.Namespace, invocation: Invocation) -> int:
    accounts = _book(invocation).accounts()
    if not accounts:
        print(_("No accounts yet; add one with: {command}").format(
            command=as_typed("web user add NAME --role admin")))
        return 0
    for account in accounts:
        print(_("{name}  {role}  since {day}").format(
            name=account.name, role=account.role, day=dates.day_text(account.created_at.date())))
    return 0


def remove_user(args: argparse.Namespace, invocation: Invocation) -> int:
    _book(invocation).remove(args.name, _who())
    print(_('Removed the account "{name}".').format(name=args.name))
    return 0


def set_password(args: argparse.Namespace, invocation: Invocation) -> int:
    book = _book(invocation)
    if book.find(args.name) is None:  # before asking for a password
        raise AttendanceError(_('there is no account "{name}"; {command} shows them').format(
            name=args.name, command=as_typed("web user list")))
    book.set_password(args.name, read_password(), _who())
    print(_('Changed the password of "{name}".').format(name=args.name))
    return 0


def _free(host: str, port: int) -> None:
    """AttendanceError in one line when `host`:`port` cannot be listened on."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        why = os.strerror(error.errno) if error.errno else str(error)
        raise AttendanceError(_("cannot listen on {host}:{port} ({why}): another program "
                                "uses that port, or the address is not this computer's; "
                                "choose another with --port or --host").format(
            host=host, port=port, why=why)) from None


def serve(args: argparse.Namespace, invocation: Invocation) -> int:
    """Serve until Ctrl-C or SIGTERM."""
    if not 0 < args.port < 65536:
        raise AttendanceError(_("--port {port} is not a port: give 1 to 65535").format(
            port=args.port))
    import uvicorn

    from attendance_app.web.app import build_app

    workspace = invocation.workspace
    app = build_app(workspace)
    _free(args.host, args.port)
    if not app.state.accounts.accounts():
        print(_("note: no account yet: add one with {command}").format(
            command=as_typed("web user add NAME --role admin")), file=sys.stderr)
    address = f"http://{args.host}:{args.port}/"
    print((_("Serving the attendance of the central database at {address} (Ctrl-C stops)")
           if workspace.database_url else
           _("Serving the attendance of {folder} at {address} (Ctrl-C stops)")).format(
        folder=workspace.data_dir, address=address), flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", timeout_graceful_shutdown=3,
                server_header=False)
    return 0


def add_token_parser(web: Subcommands) -> None:
    """`token add|list|remove` under the `web` command's actions `web`."""
    p = command(web, "token", _("Tokens for the HTTP API (/api/...): other systems send one as "
                              "`Authorization: Bearer TOKEN`."))
    actions = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    add = command(actions, "add", _("Make a token and print it once (it is stored only as a "
                                  "hash: copy it now)."), token_add)
    add.add_argument("name", help=_("who or what uses it, e.g. payroll"))
    add.add_argument("--role", choices=("viewer", "admin"), default="viewer",
                     help=_("viewer: events and reports (default); admin: also identify photos"))
    command(actions, "list", _("List the tokens: names, roles, when made and last used "
                             "(never the tokens)."), token_list)
    remove = command(actions, "remove", _("Remove a token: its clients are refused from now on."),
                     token_remove)
    remove.add_argument("name", help=_("the token's name, as `web token list` shows it"))


def _tokens(invocation: Invocation) -> TokenBook:
    from attendance_app.web.api.tokens import WEB_FILE, TokenBook

    return TokenBook(invocation.workspace.data_dir / WEB_FILE)


def token_add(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print the new token on stdout, the words about it on stderr."""
    token = _tokens(invocation).add(args.name, args.role)
    print(_("Made the {role} token {name!r}; it is shown this once (it is stored only as a "
            "hash), copy it now:").format(role=args.role, name=args.name), file=sys.stderr)
    print(token, flush=True)
    return 0


def token_list(args: argparse.Namespace, invocation: Invocation) -> int:
    tokens = _tokens(invocation).tokens()
    if not tokens:
        print(_("No API tokens; `attendance-app web token add NAME` makes one"))
        return 0
    for info in tokens:
        used = dates.moment_text(info.last_used) if info.last_used else _("never")
        print(_("{name}  {role}  made {made}  last used {used}").format(
            name=info.name, role=info.role, made=dates.moment_text(info.created_at), used=used))
    return 0


def token_remove(args: argparse.Namespace, invocation: Invocation) -> int:
    if not _tokens(invocation).remove(args.name):
        fail(_("no token called {name!r}; `attendance-app web token list` shows them").format(
            name=args.name))
        return 1
    print(_("Removed the token {name!r}: its clients are refused from now on").format(
        name=args.name))
    return 0
