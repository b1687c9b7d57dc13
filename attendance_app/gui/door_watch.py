"""What the window looks at by itself, on timers: with a central database, whether this
door reaches it and how many rows wait to be sent; without one, whether a command beside
the window (`attendance-app enrol`, `people delete`) changed the face store, so that its
lists and its camera take the change in without a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from attendance_app.people.roster_watch import RosterWatch

if TYPE_CHECKING:
    from attendance_app.central.link import CentralLink
    from attendance_app.gui.window_parts import DoorStatus
    from attendance_app.records.journal import Journal
    from enrolment import FaceStore

CENTRAL_STATUS_MS = 2000  # how often the status bar looks at the central database link


class DoorWatch(QObject):
    """Starts looking at once; stops with its parent (the window)."""

    def __init__(self, parent: QObject, link: CentralLink | None, journal: Journal,
                 store: FaceStore, status: DoorStatus,
                 roster_changed: Callable[[], None]) -> None:
        super().__init__(parent)
        self.link, self.journal, self.status = link, journal, status
        self.roster_changed = roster_changed
        self._timer = QTimer(self)
        self._roster_watch: RosterWatch | None = None
        if link is not None:
            self._timer.timeout.connect(self.show_central)
            self._timer.start(CENTRAL_STATUS_MS)
            self.show_central()
        else:
            self._roster_watch = RosterWatch(store)
            self._timer.timeout.connect(self.look_at_roster)
            self._timer.start(round(self._roster_watch.every * 1000))

    def show_central(self) -> None:
        """Whether this door reaches the central database, and the rows waiting to be sent
        (the reason, without the password, in the tooltip)."""
        assert self.link is not None
        self.status.show_central(self.link, self.journal.unsent_count())

    def look_at_roster(self) -> None:
        """Take in a change another process made to the face store (one row read)."""
        if self._roster_watch is not None and self._roster_watch.changed():
            self.roster_changed()
