"""After a closed day or a leave is added or removed: the month workbooks already written
for its days are written again, so what people open agrees with the calendar (as after a
correction: attendance_app.records.correcting).

Only months whose file exists are rewritten: a month not written yet gets the calendar
when it is, and a leave over a year costs the months on disk, not twelve new files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from attendance_app.records.months import months_between
from attendance_app.records.workbook_sync import WorkbookSync
from exports import WorkbookError


@dataclass
class Rewritten:
    """The files written again, and the months that could not be (with why)."""

    files: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def rewrite_written(sync: WorkbookSync, first: date, last: date) -> Rewritten:
    """Rewrite the workbooks of the months from `first` to `last` that exist; a workbook
    that cannot be written now (open in Excel) is listed in `failed`, the calendar kept."""
    latest = sync.journal.latest_month()
    done = Rewritten()
    for month in months_between(first, last):
        if not sync.path_for(month, month == latest).exists():
            continue
        try:
            done.files.append(sync.rewrite_month(month))
        except (WorkbookError, OSError) as error:
            done.failed.append((month, str(error)))
    return done
