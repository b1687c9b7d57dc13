"""What reports, voids and corrections need of the app to reach the month workbooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from attendance_app.records.journal import Journal
    from attendance_app.records.workbook_sync import WorkbookSync


class Workbooks(Protocol):
    """Where the month workbooks are written from and to, as reports and voids need it.
    The app's Workspace (attendance_app.app.workspace) is one; named here so that records/
    does not import the app above it (the layers in pyproject.toml)."""

    def journal(self) -> Journal:
        """This door's own journal."""
        ...

    def records(self) -> Journal:
        """The log the workbooks are written from: the central log when there is one."""
        ...

    def workbook_sync(self, journal: Journal) -> WorkbookSync:
        """Writes the month workbooks from `journal`."""
        ...
