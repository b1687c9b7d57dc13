"""The HTTP API for other systems (issue 26): tokens, the events, a day's report and
identify, as one FastAPI router (`build_api_router`, in router.py) that the web application
includes. Imported lazily, so that `attendance-app web token ...` never loads FastAPI."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "build_api_router":
        from attendance_app.web.api.router import build_api_router

        return build_api_router
    raise AttributeError(name)
