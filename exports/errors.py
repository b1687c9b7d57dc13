"""Why a workbook could not be read or written, phrased as what the user should do.

Every message is a single line: the recorder logs it as a warning and the command
line prints it, so it has to make sense on its own.
"""

from __future__ import annotations


class WorkbookError(Exception):
    """The workbook could not be read or written; the journal still holds every row."""


class WorkbookLocked(WorkbookError):
    """The workbook exists but may not be replaced right now (read-only, or open elsewhere).

    This is temporary by nature, so callers keep the rows and try again later.
    """


class WorkbookBusy(WorkbookLocked):
    """Another process is saving in the workbook's folder and did not finish within the
    wait (exports.save_lock): temporary too, so the rows wait and the save is retried."""


class WorkbookCorrupt(WorkbookError):
    """The file is not a readable attendance workbook.

    It is never modified: callers move it aside and rebuild from the journal.
    """
