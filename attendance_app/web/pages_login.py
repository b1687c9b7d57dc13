"""The login page (the one page served without a login) and logging out.

Failed logins are limited per account name and per client address (login_limit); the
log says who logged in or failed from where, never a password."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from attendance_app.web.accounts import AccountBook
from attendance_app.web.login_limit import LoginLimit
from attendance_app.web.rendering import page
from attendance_app.web.security import checked_form, current_account, log_in
from attendance_app.wording import counted

router = APIRouter()
log = logging.getLogger(__name__)


def _address(request: Request) -> str:
    """The client's address (the real one behind a proxy whose headers uvicorn trusts)."""
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_page(request: Request) -> Response:
    if current_account(request) is not None:
        return RedirectResponse("/today", status_code=303)
    return page(request, "login.html")


@router.post("/login")
def login(request: Request, form: FormData = Depends(checked_form)) -> Response:
    """Log in, or say why not: a wrong name or password (which of the two is not said),
    or too many failures (when to try again)."""
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    address = _address(request)
    limit: LoginLimit = request.app.state.login_limit
    minutes = limit.wait(name, address)
    if minutes:
        log.warning("web login refused for %r from %s: too many failures", name, address)
        return page(request, "login.html", status=429, name=name,
                    error=f"Too many wrong passwords for this account or from this "
                          f"computer: try again in {counted(minutes, 'minute')}.")
    book: AccountBook = request.app.state.accounts
    account = book.verify(name, password)
    if account is None:
        limit.failed(name, address)
        log.warning("web login failed for %r from %s", name, address)
        return page(request, "login.html", status=401, name=name,
                    error="Wrong account name or password.")
    limit.succeeded(account.name)
    log_in(request, account)
    log.info("web login: %s (%s) from %s", account.name, account.role, address)
    return RedirectResponse("/today", status_code=303)


@router.post("/logout")
def logout(request: Request, _: FormData = Depends(checked_form)) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
