"""The API's errors: every refusal is JSON `{"error": "one clear message"}` with a 4xx status.

FastAPI's own errors (`{"detail": [...]}` for a bad parameter) are app-wide handlers, and
this package is a router that the web application includes; so the router's routes are of
`JsonErrorRoute`, which turns the errors raised while one of them is served (a parameter
FastAPI refused, an HTTPException from the token check, an ApiError from a handler, a body
over its limit) into that JSON itself, whatever the application around it does.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException  # FastAPI's own is a kind of it
from starlette.types import Message

from attendance_app.errors import AttendanceError

log = logging.getLogger(__name__)

ERROR_SCHEMA = {"type": "object", "properties": {"error": {"type": "string"}},
                "required": ["error"]}


class ApiError(Exception):
    """A request the API refuses: `status` (4xx) and the one line saying what to do."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def documented(*statuses: int) -> dict[int | str, dict]:
    """The `responses` of a route for /docs: each status with the error's JSON shape."""
    words = {400: "Bad input", 401: "No token, or a token not known", 403: "A viewer token on "
             "an admin endpoint", 413: "The upload is too large",
             422: "A parameter or the upload cannot be used", 503: "The data cannot be read now"}
    return {status: {"description": words[status],
                     "content": {"application/json": {"schema": ERROR_SCHEMA}}}
            for status in statuses}


def _validation_message(error: RequestValidationError) -> str:
    """FastAPI's first complaint as one line: "limit: Input should be less than or equal
    to 1000 (query parameter)"."""
    first = error.errors()[0]
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "body")]
    place = first.get("loc", ("",))[0]
    name = ".".join(where) or "the request"
    return f"{name}: {first.get('msg', 'not valid')}" + (f" ({place} parameter)" if place == "query" else "")


class BodyTooLarge(Exception):
    """The request's body went past the route's limit while it was being read."""


def _limited(request: Request, limit: int) -> Request:
    """`request` reading at most `limit` bytes of body (BodyTooLarge past it): a client
    that sends no Content-Length, or a false one, is stopped at the limit, not after it
    has filled the disk."""
    seen = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    return Request(request.scope, counted)


class JsonErrorRoute(APIRoute):
    """A route whose refusals are `{"error": ...}`; with `max_body` in its
    openapi_extra's "x-max-body" (bytes), a larger body is refused with 413 before or
    while it is read."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()
        limit = (self.openapi_extra or {}).get("x-max-body")

        async def refusing_in_json(request: Request) -> Response:
            if limit is not None:
                declared = request.headers.get("content-length")
                if declared is not None and (not declared.isdigit() or int(declared) > limit):
                    return error_response(413, _too_large(limit))
                request = _limited(request, limit)
            try:
                return await handler(request)
            except ApiError as error:
                return error_response(error.status, error.message, error.headers)
            except AttendanceError as error:  # the journal or the database unreadable now
                log.warning("API %s: %s", request.url.path, error)
                return error_response(503, "the attendance data cannot be read now; try "
                                           "again later (the server's log says why)")
            except BodyTooLarge:
                return error_response(413, _too_large(limit or 0))
            except RequestValidationError as error:
                return error_response(422, _validation_message(error))
            except HTTPException as error:
                if isinstance(error.__cause__, BodyTooLarge):  # FastAPI wraps what its read of
                    return error_response(413, _too_large(limit or 0))  # the body raised
                return error_response(error.status_code, str(error.detail), error.headers)

        return refusing_in_json


def _too_large(limit: int) -> str:
    return (f"the upload is larger than {limit // 1_000_000} MB: send a smaller photo "
            "(a face needs no more than about 1000 pixels a side)")
