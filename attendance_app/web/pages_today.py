"""Today: the day's arrivals, newest first, kept up to date by server-sent events from
the TodayFeed (a few lines of plain JavaScript replace the table's rows)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from attendance_app.errors import AttendanceError
from attendance_app.types import AttendanceEvent
from attendance_app.web.rendering import TEMPLATES, page
from attendance_app.web.security import viewer
from attendance_app.web.today_feed import TodayFeed

router = APIRouter(dependencies=[Depends(viewer)])


def rows_html(events: list[AttendanceEvent]) -> str:
    """The table rows of `events` (escaped by the template), as the page and the feed
    show them."""
    return TEMPLATES.get_template("today_rows.html").render(events=events)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/today", status_code=303)


@router.get("/today")
def today(request: Request) -> Response:
    """The page with today's rows as the feed has them now (read now if need be); a log
    that cannot be read now (the central server down) is said, with the rows last read."""
    feed: TodayFeed = request.app.state.feed
    problem = None
    try:
        feed.refresh()
    except AttendanceError as error:
        problem = f"The log cannot be read now: {error}"
    return page(request, "today.html", rows=feed.snapshot.html, day=feed.today(),
                problem=problem)


@router.get("/today/events")
async def today_events(request: Request) -> Response:
    feed: TodayFeed = request.app.state.feed
    return StreamingResponse(feed.stream(request.is_disconnected),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
