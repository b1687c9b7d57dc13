"""Who may call the API: `Authorization: Bearer TOKEN` with a token of api.tokens.

No token, or one not known, is 401 (with `WWW-Authenticate: Bearer`, as RFC 6750 asks); a
viewer's token on an admin endpoint is 403. A token is taken from that header only, never
from the URL, where access logs and browser histories would keep it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from attendance_app.web.api.errors import ApiError
from attendance_app.web.api.tokens import TokenBook, TokenInfo

_BEARER = HTTPBearer(auto_error=False, description="A token made by `attendance-app web token "
                                                  "add NAME [--role viewer|admin]`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def token_of(book: TokenBook, role: str) -> Callable[..., TokenInfo]:
    """The dependency of an endpoint open to `role` ("viewer": any token; "admin": admin
    tokens only): the caller's token, or the 401 or 403 refusal."""

    def caller(credentials: HTTPAuthorizationCredentials | None = Depends(_BEARER)) -> TokenInfo:
        if credentials is None:
            raise ApiError(401, "no token: send the header `Authorization: Bearer TOKEN` with a "
                                "token made by `attendance-app web token add NAME`", _CHALLENGE)
        info = book.check(credentials.credentials)
        if info is None:
            raise ApiError(401, "the token is not known (mistyped, or removed): ask the admin "
                                "for a token (`attendance-app web token add NAME`)", _CHALLENGE)
        if role == "admin" and info.role != "admin":
            raise ApiError(403, f"the token {info.name!r} is a viewer's; this endpoint needs an "
                                "admin's token (`web token add NAME --role admin`)")
        return info

    return caller
