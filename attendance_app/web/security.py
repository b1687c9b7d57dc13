"""Who is asking, and whether they may: the logged-in account from the signed session
cookie, the role a page needs, and the CSRF token every form carries.

The session cookie (Starlette's SessionMiddleware, signed with session_key's secret)
holds only the account's name, when it logged in and the session's CSRF token; the
account is looked up at every request, so a removed account or a changed role counts at
once. Behind a reverse proxy that speaks https (uvicorn trusts its X-Forwarded-Proto
from 127.0.0.1), `SafeResponses` marks every cookie Secure.
"""

from __future__ import annotations

import hmac
import secrets
import time

from fastapi import Request
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from attendance_app.web.accounts import Account, AccountBook

SESSION_HOURS = 12
"""A login lasts a working day; then the person logs in again."""


class NotLoggedIn(Exception):
    """No valid session: pages answer with the login page (tests/unit/web check each)."""


class Forbidden(Exception):
    """Logged in, but the page is an admin's: 403."""


class BadForm(Exception):
    """A form without this session's CSRF token: 403, nothing done."""


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use; every form carries it."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def log_in(request: Request, account: Account) -> None:
    """A fresh session for `account` (a new CSRF token: none from before the login)."""
    request.session.clear()
    request.session.update(user=account.name, since=time.time(),
                           csrf=secrets.token_urlsafe(32))


def current_account(request: Request) -> Account | None:
    """The logged-in account, or None (no session, expired, account removed)."""
    name, since = request.session.get("user"), request.session.get("since")
    if not isinstance(name, str) or not isinstance(since, float | int):
        return None
    if time.time() - since > SESSION_HOURS * 3600:
        return None
    book: AccountBook = request.app.state.accounts
    return book.find(name)


def viewer(request: Request) -> Account:
    """Any logged-in account (the dependency of every page but the login page)."""
    account = current_account(request)
    if account is None:
        raise NotLoggedIn
    return account


def admin(request: Request) -> Account:
    """A logged-in admin; Forbidden for a viewer."""
    account = viewer(request)
    if not account.admin:
        raise Forbidden
    return account


async def checked_form(request: Request) -> FormData:
    """The posted form, when it carries this session's CSRF token; BadForm otherwise."""
    form = await request.form()
    sent, expected = form.get("csrf"), request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str)
            and hmac.compare_digest(sent, expected)):
        raise BadForm
    return form


class SafeResponses:
    """ASGI middleware: no page may be shown in another site's frame (clickjacking) or
    sniffed as another type, and no address of ours is sent to another site; every
    Set-Cookie of a request that came over https gets Secure."""

    HEADERS = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"same-origin")]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def safe(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (key, value + b"; secure" if https and key.lower() == b"set-cookie"
                     and b"secure" not in value.lower() else value)
                    for key, value in message["headers"]] + self.HEADERS
            await send(message)

        await self.app(scope, receive, safe)
