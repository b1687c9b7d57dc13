"""Today's arrivals pushed to every open Today page as server-sent events.

One poller per server asks the log's `version` every POLL seconds (SiteLog: a cheap,
read-only question) and, when it changed or the day turned, reads today's rows once and
renders them: the cost of watching is the same for one browser or fifty. Each client has
its own async generator that only looks at the latest rendering in memory, waiting at
most POLL between looks and sending a comment line every KEEP_ALIVE so proxies keep the
connection; a client that reads slowly or not at all holds only its own generator (and
its socket's buffer), never a lock, the poller or a door.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from attendance_app.types import AttendanceEvent
from attendance_app.web.site_log import SiteLog

POLL = 0.5
"""Seconds between two looks at the log's version, and at the rendering by a client."""
KEEP_ALIVE = 15.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    number: int
    """Grows by one at each new rendering: a client sends what it has not sent."""
    html: str


class TodayFeed:
    """The poller's latest rendering of today's rows and the clients' streams of it."""

    def __init__(self, site: SiteLog, render: Callable[[list[AttendanceEvent]], str],
                 today: Callable[[], date] = date.today) -> None:
        self.site = site
        self.render = render
        self.today = today
        self.snapshot = Snapshot(0, "")
        self._seen: tuple[object, ...] | None = None

    def refresh(self) -> None:
        """Read and render today's rows when the log or the day changed (blocking: the
        poller runs it in a worker thread)."""
        day = self.today()
        seen = (day, *self.site.version())
        if seen == self._seen:
            return
        html = self.render(self.site.day(day))
        self._seen = seen
        self.snapshot = Snapshot(self.snapshot.number + 1, html)

    async def poll(self) -> None:
        """Refresh every POLL seconds until cancelled; a log that cannot be read now (a
        server down) is logged once per outage and tried again."""
        failing = False
        while True:
            try:
                await asyncio.to_thread(self.refresh)
                failing = False
            except Exception as error:  # noqa: BLE001 - any failure: keep the last rows
                if not failing:
                    log.warning("the Today page cannot read the log now: %s", error)
                failing = True
            await asyncio.sleep(POLL)

    async def stream(self, gone: Callable[[], Awaitable[bool]]) -> AsyncIterator[str]:
        """One client's events: the rows now, then each new rendering; ends when `gone`
        (the request's is_disconnected) says the client left."""
        sent = -1
        quiet = 0.0
        while True:
            current = self.snapshot
            if current.number != sent:
                sent = current.number
                quiet = 0.0
                yield "event: today\ndata: " + current.html.replace("\n", " ") + "\n\n"
            elif quiet >= KEEP_ALIVE:
                quiet = 0.0
                yield ": still here\n\n"
            await asyncio.sleep(POLL)
            quiet += POLL
            if await gone():
                return
