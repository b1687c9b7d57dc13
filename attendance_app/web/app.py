"""The web application: one FastAPI app built by `build_app` for a workspace (the data
folder, or the site when a central database is configured).

Every page is on a router whose dependency asks for a login (security.viewer or
security.admin), so a page added later cannot be left open by forgetting it; the login
page and the style sheet are the only things served without one (tests/unit/web
iterate over app.routes to check it). The HTTP API's router is included the same way,
with its own tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from attendance_app.web import (
    pages_accounts,
    pages_admin,
    pages_api_docs,
    pages_corrections,
    pages_login,
    pages_reports,
    pages_today,
)
from attendance_app.web.accounts import AccountBook
from attendance_app.web.api.router import build_api_router
from attendance_app.web.login_limit import LoginLimit
from attendance_app.web.rendering import STATIC, page
from attendance_app.web.security import (
    SESSION_HOURS,
    BadForm,
    Forbidden,
    NotLoggedIn,
    SafeResponses,
)
from attendance_app.web.session_key import session_key
from attendance_app.web.site_log import SiteLog
from attendance_app.web.today_feed import TodayFeed

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace

COOKIE = "attendance_session"


def build_app(workspace: Workspace) -> FastAPI:
    """The web application of `workspace`; its state (accounts, log, feed) on app.state."""
    site = SiteLog(workspace)
    feed = TodayFeed(site, pages_today.rows_html)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        poller = asyncio.create_task(feed.poll())
        try:
            yield
        finally:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller

    app = FastAPI(title="Attendance", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.workspace = workspace
    app.state.site = site
    app.state.feed = feed
    app.state.accounts = AccountBook(workspace.data_dir)
    app.state.login_limit = LoginLimit(workspace.data_dir)
    app.add_middleware(SessionMiddleware, secret_key=session_key(workspace.data_dir),
                       session_cookie=COOKIE, max_age=SESSION_HOURS * 3600,
                       same_site="lax")
    app.add_middleware(SafeResponses)  # outermost: sees the session's Set-Cookie
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (pages_login, pages_today, pages_reports, pages_admin, pages_corrections,
                   pages_accounts, pages_api_docs):
        app.include_router(module.router)
    app.include_router(build_api_router(workspace))  # its own tokens, not the session

    @app.exception_handler(NotLoggedIn)
    async def to_login(request: Request, _: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _: Exception) -> Response:
        return page(request, "refused.html", status=403,
                    reason="This page is for admins; ask one to change your role.")

    @app.exception_handler(BadForm)
    async def bad_form(request: Request, _: Exception) -> Response:
        return page(request, "refused.html", status=403,
                    reason="The form had expired or came from another site: reload the "
                           "page and send it again.")

    return app
