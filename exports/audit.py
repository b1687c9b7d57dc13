"""The Audit sheet: every correction made by hand to a month's rows (an arrival added, a
time corrected, a void undone), who made it, when and why, as a printed record to file
beside the month's other sheets. The corrections themselves live in the journal
(attendance_app.records.corrections); this is their table, independent of the journal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from exports.tables import Column, Table

AUDIT = "Audit"


@dataclass(frozen=True)
class AuditLine:
    """One correction: made at `made_at` by `made_by`; `action` in words ("add arrival",
    "correct time", "undo void", "void again"); the row it concerns (`event_id`, `name`);
    `details` such as "from 08:30:00 to 07:55:00"; `reason` as written."""

    made_at: datetime
    made_by: str
    action: str
    event_id: int
    name: str
    details: str
    reason: str


AUDIT_COLUMNS = (
    Column("Made at", 20, "yyyy-mm-dd hh:mm:ss"),
    Column("By", 18),
    Column("Correction", 14),
    Column("Event ID", 10),
    Column("Name", 24),
    Column("Details", 36, wrap=True),
    Column("Reason", 40, wrap=True),
)


def audit_table(lines: Sequence[AuditLine]) -> Table:
    """The Audit sheet's table, oldest correction first (an empty month: its header
    alone, which says no correction was made)."""
    return Table(AUDIT, AUDIT_COLUMNS,
                 [(line.made_at, line.made_by, line.action, line.event_id, line.name,
                   line.details, line.reason) for line in lines])
