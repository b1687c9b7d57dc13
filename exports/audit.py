"""The Audit sheet: every correction made by hand to a month's rows (an arrival added, a
time corrected, a void undone), who made it, when and why, as a printed record to file
beside the month's other sheets. The corrections themselves live in the journal
(attendance_app.records.corrections); this is their table, independent of the journal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from exports.tables import MOMENT, Column, Table, shown
from exports.words import N_, _

AUDIT = N_("Audit")


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
    Column(N_("Made at"), 20, MOMENT),
    Column(N_("By"), 18),
    Column(N_("Correction"), 14),
    Column(N_("Event ID"), 10),
    Column(N_("Name"), 24),
    Column(N_("Details"), 36, wrap=True),
    Column(N_("Reason"), 40, wrap=True),
)


_ACTIONS = {
    # Translators: the Audit sheet's Correction column: what was done to a row.
    "add arrival": N_("add arrival"),
    "correct time": N_("correct time"),
    "undo void": N_("undo void"),
    "void again": N_("void again"),
}
"""The corrections' actions (attendance_app.records.corrections keeps them in English in
the journal) as the Audit sheet shows them."""


def audit_table(lines: Sequence[AuditLine]) -> Table:
    """The Audit sheet's table, oldest correction first (an empty month: its header
    alone, which says no correction was made)."""
    return Table(_(AUDIT), shown(AUDIT_COLUMNS),
                 [(line.made_at, line.made_by,
                   _(_ACTIONS[line.action]) if line.action in _ACTIONS else line.action,
                   line.event_id, line.name,
                   line.details, line.reason) for line in lines], key=AUDIT)
