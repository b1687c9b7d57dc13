"""The pages' templates (shipped in the package, rendered on the server, autoescaped) and
the one function every page renders through, which hands each template the account, the
CSRF token for its forms and the messages left by the last form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from attendance_app.web.security import csrf_token, current_account

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
STATIC = HERE / "static"


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """`template` rendered for this request's account, with its messages (shown once)."""
    messages = request.session.pop("messages", []) if "session" in request.scope else []
    return TEMPLATES.TemplateResponse(
        request, template, {"account": current_account(request), "csrf": csrf_token(request),
                            "messages": messages, **context}, status_code=status)


def back_to(request: Request, url: str, message: str, ok: bool = True) -> RedirectResponse:
    """After a form: to `url` (a page of ours, never one the form names), with `message`
    shown there once."""
    request.session.setdefault("messages", []).append({"text": message, "ok": ok})
    return RedirectResponse(url, status_code=303)
