"""The HTTP API's routes, built by `build_api_router` for the web application to include.

    GET  /api/events    viewer   the arrivals, oldest first, a page at a time
    GET  /api/report    viewer   one day's present, absent, late and excused, per group
    POST /api/identify  admin    the faces in a photo and who they are

identify is for admins: it searches every enrolled face for whoever is in any photo sent
(a biometric search, which a system that only needs who came today must not be able to
make), and it costs the door's computer a core for a second per photo. Every route is
described at /docs (attendance_app.web.pages_api_docs); any other path under /api is 404
in JSON.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile

from attendance_app.app.workspace import Workspace
from attendance_app.web.api.auth import token_of
from attendance_app.web.api.day_report import day_report, parse_day
from attendance_app.web.api.errors import ApiError, JsonErrorRoute, documented
from attendance_app.web.api.events import DEFAULT_LIMIT, MAX_LIMIT, page_json, parse_since
from attendance_app.web.api.feed import read_page
from attendance_app.web.api.identify import MAX_UPLOAD_BYTES, Identifier
from attendance_app.web.api.sources import ApiSources
from attendance_app.web.api.tokens import TokenInfo

API_PREFIX = "/api"


def build_api_router(workspace: Workspace) -> APIRouter:
    """The API of `workspace`'s data folder (or of its site, with a central database),
    its tokens in the data folder's web.sqlite3; the face models are loaded on the first
    photo identified, once."""
    sources = ApiSources(workspace)
    identifier = Identifier(workspace)
    viewer = Depends(token_of(sources.tokens, "viewer"))
    admin = Depends(token_of(sources.tokens, "admin"))
    router = APIRouter(prefix=API_PREFIX, tags=["API"], route_class=JsonErrorRoute)

    @router.get("/events", responses=documented(401, 422),
                summary="Arrivals, oldest first, a page at a time")
    def events(
        since: Annotated[str | None, Query(
            description="Start at the first event logged at or after this local date "
                        "(2026-12-05) or time (2026-12-05T08:30, or with an offset: "
                        "2026-12-05T08:30:00+01:00)")] = None,
        after_id: Annotated[int, Query(ge=0, description="Only events after this id: the "
                                       "`next.after_id` of the page before")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT,
                                    description="At most this many events")] = DEFAULT_LIMIT,
        _: TokenInfo = viewer,
    ) -> dict:
        """The events in the order they were recorded, as corrected (voided ones
        included, flagged), after `after_id`; `next.after_id` is the cursor of the next
        page, and polling with it later returns what came since."""
        page = read_page(sources.log(), after_id, parse_since(since), limit)
        return page_json(page, limit)

    @router.get("/report", responses=documented(401, 422),
                summary="One day's present, absent, late and excused, per group")
    def report(
        day: Annotated[str, Query(description="The day, YYYY-MM-DD")],
        group: Annotated[str | None, Query(description="Only this group (\"No group\": the "
                                           "people in none)")] = None,
        _: TokenInfo = viewer,
    ) -> dict:
        """The day's totals and, per group (one "Everyone" without groups), who was
        present, absent, late (with the minutes) and excused (with the reason)."""
        return day_report(sources, parse_day(day), group)

    @router.post("/identify", responses=documented(401, 403, 413, 422),
                 summary="The faces in a photo and who they are (admin)",
                 openapi_extra={"x-max-body": MAX_UPLOAD_BYTES})
    def identify(
        photo: Annotated[UploadFile, File(description=f"A photo (JPEG, PNG, HEIC, ...), at "
                                          f"most {MAX_UPLOAD_BYTES // 1_000_000} MB")],
        _: TokenInfo = admin,
    ) -> dict:
        """Every face found, largest first, with its box (pixels of the upright photo),
        the name or null (unknown), the distance to the nearest enrolled person and the
        line `attendance-app identify` prints. Nothing is logged."""
        data = photo.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise ApiError(413, f"the photo is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB: "
                                "send a smaller one")
        if not data:
            raise ApiError(422, "the photo is empty: send the image file as the form field `photo`")
        return identifier.identify(data, photo.filename or "")

    @router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
                      include_in_schema=False)
    def unknown(path: str) -> None:
        method = {"events": "GET", "report": "GET", "identify": "POST"}.get(path.strip("/"))
        if method is not None:
            raise ApiError(405, f"/api/{path.strip('/')} is asked with {method}: see /docs",
                           {"Allow": method})
        raise ApiError(404, f"/api/{path} is not an endpoint: see /docs for the API's endpoints")

    return router
