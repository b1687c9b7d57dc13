"""GET /api/events: the arrivals, oldest first, a page at a time, as JSON.

Each event: its id (the journal's, or the central log's number), the person (id and
current spelling as logged), the time with its UTC offset, the camera (the door), the
direction ("in", or "out" with a cooldown), whether it is voided (and why), whether it was
added by hand, and in the central log whether it is a repeat another door logged first.
"""

from __future__ import annotations

from datetime import date, datetime, time

from attendance_app.records.corrections import is_by_hand
from attendance_app.types import AttendanceEvent
from attendance_app.web.api.errors import ApiError
from attendance_app.web.api.feed import Page

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


def parse_since(text: str | None) -> datetime | None:
    """`since` as the journal's local wall time: a date (its midnight), a local date and
    time, or one with an offset or Z (converted to this computer's zone); ApiError 422
    otherwise."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time.min)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        raise ApiError(422, f"since={text!r} is not a date or time: write it as 2026-12-05, "
                            "2026-12-05T08:30 or 2026-12-05T08:30:00+01:00") from None
    return moment if moment.tzinfo is None else moment.astimezone().replace(tzinfo=None)


def event_json(event: AttendanceEvent) -> dict:
    """One event as the API gives it."""
    return {
        "id": event.event_id,
        "person_id": event.person_id,
        "person": event.name,
        "time": event.moment.isoformat(),  # wall time at its offset from UTC
        "camera": event.camera,
        "direction": event.kind,
        "voided": event.void is not None,
        "void_reason": None if event.void is None else event.void.reason,
        "by_hand": is_by_hand(event.camera),
        "repeat": event.repeat,
        "correction": event.correction,
    }


def page_json(page: Page, limit: int) -> dict:
    """The page's events and the cursor of the next: `next.after_id`, and `next.url` to
    ask it with (polled again later, it answers what came since)."""
    return {
        "events": [event_json(event) for event in page.events],
        "more": page.more,
        "next": {"after_id": page.last_id,
                 "url": f"/api/events?after_id={page.last_id}&limit={limit}"},
    }
