"""The attendance log the pages read: this data folder's journal, or the site's central
log when a central database is configured, read the way `report` reads it
(Workspace.records: corrections applied, repeats marked across doors).

Watching it costs a door nothing: `version` is one cheap question (the newest row, void
and correction numbers) on a read-only SQLite connection, or one query on the server, and
nothing here ever writes the journal. The records object is built once (its first
opening makes sure the journal's tables exist, as every reader of it does) and only
when the journal exists: a web server started before the first door run creates no
journal.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from attendance_app.records.corrections import CorrectedJournal

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.central.records import CentralJournal
    from attendance_app.records.workbook_sync import WorkbookSync
    from attendance_app.types import AttendanceEvent

_NEWEST = ("SELECT (SELECT COALESCE(MAX(id), 0) FROM events),"
           " (SELECT COALESCE(MAX(id), 0) FROM voids),"
           " (SELECT COALESCE(MAX(id), 0) FROM corrections)")
_LATEST = 2 ** 62
"""A correction number past any: corrected_after(_LATEST) reads only the newest number."""


class SiteLog:
    """The log of `workspace`: its records, their version, today's rows; to the reports
    (records.workbooks.Workbooks) the workspace with its records built once."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._records: CorrectedJournal | CentralJournal | None = None

    @property
    def central(self) -> bool:
        return bool(self.workspace.database_url)

    def records(self) -> CorrectedJournal | CentralJournal | None:
        """The journal (None while there is none yet) or the central log."""
        if self._records is None and (self.central or self.workspace.journal_path.exists()):
            self._records = self.workspace.records()
        return self._records

    def journal(self) -> CorrectedJournal:
        """This door's own journal (records.workbooks.Workbooks asks for it)."""
        return self.workspace.journal()

    def workbook_sync(self, journal: CorrectedJournal | CentralJournal) -> WorkbookSync:
        """Writes the month workbooks (or a range's) from `journal`."""
        return self.workspace.workbook_sync(journal)

    def version(self) -> tuple[int, ...]:
        """Numbers that change whenever a row is logged, voided or corrected."""
        if self.central:
            log = self.records()
            assert log is not None
            return (log.last_id(), log.last_void_id(), log.corrected_after(_LATEST)[0])
        path = self.workspace.journal_path
        if not path.exists() or self.records() is None:
            return (0, 0, 0)
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return tuple(db.execute(_NEWEST).fetchone())
        finally:
            db.close()

    def day(self, when: date) -> list[AttendanceEvent]:
        """The rows of `when`, newest first (void ones too, marked)."""
        log = self.records()
        if log is None:
            return []
        return sorted(log.events_on(when), key=lambda e: (e.timestamp, e.event_id or 0),
                      reverse=True)
