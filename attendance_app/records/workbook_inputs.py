"""A digest of everything a month's workbook is written from, so a process can tell that
the file the app saved last already shows what it would write now, and not write it.

`report --day` at a site of 5,000 people rewrote December's workbook (111,000 rows,
13 s) only to print one day's lists, although the door had saved that very workbook
seconds before (docs/measurements/records_scale.md). A month's workbook is a function
of its rows, the roster (current names), the hours and calendar (the Schedule), the
site's name and the month's audit lines, the app's version (a newer one may lay the
workbook out anew) and the workbook's language and date formats (exports.words: a
switch of language rewrites the month in it): nothing else, not even today's date (exports.reports.period_report).
The digest covers each of them in a canonical form (sets and mappings sorted), so two
processes reading the same state agree on it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
from collections.abc import Iterable, Mapping, Sequence
from datetime import time

from attendance_app.records.saved_files import held
from exports import AttendanceRow, RosterEntry
from exports.audit import AuditLine
from exports.hours import Schedule
from exports.words import formats_key


def canonical(value: object) -> object:
    """`value` as plain tuples whose repr is the same in every process for equal values:
    dataclasses by their fields, mappings and sets sorted, other objects by their
    attributes. (A frozenset's order, and so its repr, depends on how it was built.)"""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(canonical(getattr(value, field.name))
                                        for field in dataclasses.fields(value)))
    if isinstance(value, Mapping):
        return tuple(sorted(((canonical(key), canonical(item)) for key, item in value.items()),
                            key=repr))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((canonical(item) for item in value), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(canonical(item) for item in value)
    if hasattr(value, "__dict__"):
        return (type(value).__name__, canonical(vars(value)))
    return value


def inputs_of(rows: Sequence[AttendanceRow], roster: Iterable[RosterEntry],
              schedule: Schedule | time | None, site: str,
              audit: Sequence[AuditLine] | None) -> str:
    """The digest of what a month's workbook holding `rows` is written from. The rows
    count by saved_files.held (an event's id, void and correction: the rest of an event
    never changes), their names by the roster."""
    digest = hashlib.sha256(held(rows).encode())
    for part in (tuple(roster), _source_of(schedule), site, audit, _version(), formats_key()):
        digest.update(repr(canonical(part)).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def _source_of(schedule: Schedule | time | None) -> object:
    """What a Schedule is made from (Schedule.of_groups): the site's hours, the groups,
    the closures and the leave; its indexes by person and by day follow from them, and
    are ten times their size at 5,000 people."""
    if not isinstance(schedule, Schedule):
        return schedule
    return schedule.site, schedule.groups, schedule.days_off.closed, schedule.days_off.leave


def _version() -> str:
    """The installed app's version ("" when run from a source tree not installed)."""
    try:
        return importlib.metadata.version("attendance-app")
    except importlib.metadata.PackageNotFoundError:
        return ""
