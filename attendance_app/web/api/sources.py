"""Where the API's data comes from: the data folder's files, or the site's central database.

Built once per server from the Workspace: the journal read-only (api.feed), the roster and
the groups' hours as the reports read them, and with a central database the central log.
Nothing here writes a file a door writes, except what the app's reports do anyway: with a
central database, the copy of the roster is brought level with the server (at most once
every ROSTER_PULL_EVERY_S), as `attendance-app report` does beside a running door. The
central log read is that of the database the service is given, its whole site: unlike a
door, the service has no site of its own to check it against.
"""

from __future__ import annotations

import threading
import time
from datetime import date

from attendance_app.app.workspace import Workspace
from attendance_app.types import AttendanceEvent
from attendance_app.web.api.feed import CentralFeed, ReadOnlyJournal
from attendance_app.web.api.tokens import WEB_FILE, TokenBook
from exports import RosterEntry
from exports.hours import Schedule

ROSTER_PULL_EVERY_S = 60.0
"""With a central database, how stale the reports' roster may be (the enrolled people,
their groups and the calendar): a pull per request would cost a round trip each."""


class ApiSources:
    """The API's view of one workspace: its log, roster, schedule and token book."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.tokens = TokenBook(workspace.data_dir / WEB_FILE)
        self._pulled_at = float("-inf")
        self._pull_lock = threading.Lock()

    @property
    def central(self) -> bool:
        return bool(self.workspace.database_url)

    def log(self) -> ReadOnlyJournal | CentralFeed:
        """The events: the central log, or this data folder's journal read-only."""
        central = self.workspace.central
        if central is None:
            return ReadOnlyJournal(self.workspace.journal_path)
        return CentralFeed(central, self.workspace.cooldown)

    def events_on(self, day: date) -> list[AttendanceEvent]:
        """The events of `day` as the reports count them (corrected; in the central log,
        repeats across doors marked)."""
        return self.log().events_on(day)

    def roster(self) -> list[RosterEntry]:
        """The enrolled people, for the absent lists."""
        self._pull_now_and_then()
        return self.workspace.roster()

    def schedule(self) -> Schedule:
        """The groups' and the site's hours and the calendar."""
        return self.workspace.schedule()

    def _pull_now_and_then(self) -> None:
        if not self.central:
            return
        with self._pull_lock:
            if time.monotonic() - self._pulled_at < ROSTER_PULL_EVERY_S:
                return
            self.workspace.pull_before_reports()
            self._pulled_at = time.monotonic()
