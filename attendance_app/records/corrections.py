"""Corrections with an audit trail: a missed arrival added by hand, a void undone, a time
corrected.

A correction never edits a row. Each is one line appended to the journal's `corrections`
table (when, by whom, what, why, the event it concerns), so the rows keep what the camera
logged and the table is the audit trail. `CorrectedJournal` reads the journal through the
corrections, applied in the order they were made: that *effective view* is what the
reports, the workbooks and the window show. A hand-added arrival is the one correction
that also adds an event row (its camera "by hand: NAME", match distance 0), in the same
transaction as its audit line, so that every reader counts it like any other row.

The table sits in the journal's own file (created the first time a journal is opened
through this class; a journal of an earlier version keeps every row), so one commit holds
a row and its audit line. With a central database the corrections are the central log's
(central.records: a `corrections` table on the server keyed by the event's uid), applied
by the same functions (`apply_corrections`, `audit_lines`); `Correcting` is what both
offer the rules (records.correcting) and the workbook writer.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from attendance_app import local_time
from attendance_app.i18n import _
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent, Void
from exports.audit import AuditLine

ADD, UNDO_VOID, CORRECT, VOID_AGAIN = "add arrival", "undo void", "correct time", "void again"
"""The corrections, as the Audit sheet names them. VOID_AGAIN: a row whose void was undone
is voided once more (the voids table holds one void per row, so the second is a line
here)."""

BY_HAND = "by hand: "
"""How a hand-added row's camera begins; the rest is who added it."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    made_at TEXT NOT NULL,
    made_by TEXT NOT NULL,
    action TEXT NOT NULL,
    event_id INTEGER NOT NULL REFERENCES events(id),
    new_time TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_by_event ON corrections(event_id);
CREATE INDEX IF NOT EXISTS corrections_by_new_time ON corrections(new_time);
"""
# new_time: for 'correct time', the local wall time the row should have had (naive ISO,
# like events.timestamp); NULL for the other actions.
_COLUMNS = "c.id, c.made_at, c.made_by, c.action, c.event_id, c.new_time, c.reason"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Correction:
    """One line of the audit trail: `action` (ADD, UNDO_VOID or CORRECT) of event
    `event_id`, made at `made_at` by `made_by` because of `reason`; `new_time` for CORRECT."""

    correction_id: int
    made_at: datetime
    made_by: str
    action: str
    event_id: int
    new_time: datetime | None
    reason: str

    def applied(self, event: AttendanceEvent) -> AttendanceEvent:
        """`event` as it reads after this correction, its note (`correction`) saying what
        was done, by whom and why, after the notes of the corrections before."""
        if self.action == VOID_AGAIN:
            return replace(event, void=Void(self.made_at, self.made_by, self.reason))
        by, why = self.made_by, self.reason
        if self.action == UNDO_VOID:
            note = (_("void undone by {by}: {reason}").format(by=by, reason=why)
                    if event.void is None else
                    _("void ({void}) undone by {by}: {reason}").format(
                        void=event.void.reason, by=by, reason=why))
            event = replace(event, void=None)
        elif self.action == CORRECT and self.new_time is not None:
            note = _("time corrected from {time} by {by}: {reason}").format(
                time=f"{event.timestamp:%Y-%m-%d %H:%M:%S}", by=by, reason=why)
            event = replace(event, timestamp=self.new_time,
                            utc_offset=local_time.offset_at(self.new_time))
        else:
            note = _("added by hand by {by}: {reason}").format(by=by, reason=why)
        return replace(event, correction=note if event.correction is None
                       else f"{event.correction}; {note}")


def _correction(row: tuple) -> Correction:
    return Correction(row[0], datetime.fromisoformat(row[1]), row[2], row[3], row[4],
                      None if row[5] is None else datetime.fromisoformat(row[5]), row[6])


def apply_corrections(events: list[AttendanceEvent],
                      corrections: Sequence[Correction]) -> list[AttendanceEvent]:
    """`events` with `corrections` (oldest first) applied to the rows they concern."""
    if not corrections:
        return events
    by_id = {event.event_id: event for event in events}
    for correction in corrections:
        if (event := by_id.get(correction.event_id)) is not None:
            by_id[correction.event_id] = correction.applied(event)
    return [by_id[event.event_id] for event in events]


def _stamp(moment: datetime) -> str:
    """A time in a correction's words: ISO, as in the void's words (records.row_words),
    whatever the language; the words around it are translated."""
    return f"{moment:%Y-%m-%d %H:%M}"


def audit_lines(corrections: Sequence[Correction],
                logged: Mapping[int, AttendanceEvent | None]) -> list[AuditLine]:
    """The Audit sheet's lines of `corrections` (oldest first), each with what it changed,
    read against the rows as `logged` (by event id, before any correction)."""
    rows = dict(logged)
    lines = []
    for correction in corrections:
        event = rows.get(correction.event_id)
        if event is None:
            continue
        if correction.action == CORRECT and correction.new_time is not None:
            details = _("from {old} to {new}").format(old=_stamp(event.timestamp),
                                                     new=_stamp(correction.new_time))
        elif correction.action == ADD:
            details = _("arrival at {time}").format(time=_stamp(event.timestamp))
        else:
            details = _("the row of {time}").format(time=_stamp(event.timestamp))
        rows[correction.event_id] = correction.applied(event)
        lines.append(AuditLine(correction.made_at, correction.made_by, correction.action,
                               correction.event_id, event.name, details, correction.reason))
    return lines


@runtime_checkable
class Correcting(Protocol):
    """A log read through its corrections and where they are appended: a door's journal
    (CorrectedJournal) or the central log (central.records.CentralJournal)."""

    def events_on(self, day: date) -> list[AttendanceEvent]: ...

    def event(self, event_id: int) -> AttendanceEvent | None: ...

    def corrected_after(self, correction_id: int) -> tuple[int, set[str]]: ...

    def audit_between(self, start: datetime, end: datetime) -> list[AuditLine]: ...

    def add_by_hand(self, event: AttendanceEvent, made_at: datetime, by: str,
                    reason: str) -> AttendanceEvent: ...

    def append(self, made_at: datetime, by: str, action: str, event_id: int,
               reason: str, new_time: datetime | None = None) -> None: ...


def is_by_hand(camera: str) -> bool:
    """Whether a row of `camera` was added by hand (its camera says by whom)."""
    return camera.startswith(BY_HAND)


class CorrectedJournal(Journal):
    """The journal read through its corrections (the effective view), and where
    corrections are appended. Every read of events goes through `apply_corrections`."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        with self._open() as db, db:
            db.executescript(_SCHEMA)

    def _corrections(self, db: sqlite3.Connection, where: str,
                     params: tuple) -> list[Correction]:
        """The corrections `where` says (on `c`, the corrections, and `e`, their events),
        oldest first; the corrections drive the query, so it costs what they hold."""
        rows = db.execute(f"SELECT {_COLUMNS} FROM corrections c CROSS JOIN events e"
                          f" ON e.id = c.event_id WHERE {where} ORDER BY c.id",
                          params).fetchall()
        return [_correction(row) for row in rows]

    def _concerning(self, start: datetime, end: datetime) -> list[Correction]:
        """The corrections of every row logged, or corrected to a time, from `start` up
        to `end`, oldest first."""
        span = (_iso(start), _iso(end))
        with self._open() as db:
            return self._corrections(
                db, "(e.timestamp >= ? AND e.timestamp < ?) OR c.event_id IN"
                    " (SELECT event_id FROM corrections WHERE new_time >= ? AND new_time < ?)",
                span + span)

    def events_between(self, start: datetime, end: datetime) -> list[AttendanceEvent]:
        """The events whose effective time is from `start` up to `end`, in journal order:
        the slice logged then, less the rows corrected away from it, plus the rows
        corrected into it."""
        raw = super().events_between(start, end)
        corrections = self._concerning(start, end)
        known = {event.event_id for event in raw}
        moved_in = sorted({c.event_id for c in corrections} - known)
        logged = [Journal.event(self, event_id) for event_id in moved_in]
        events = raw + [event for event in logged if event is not None]
        events.sort(key=lambda event: event.event_id or 0)
        return [event for event in apply_corrections(events, corrections)
                if start <= event.timestamp < end]

    def events_after(self, event_id: int, limit: int = -1) -> list[AttendanceEvent]:
        """The events newer than `event_id`, oldest first, at most `limit` (-1: all), as
        corrected."""
        events = super().events_after(event_id, limit)
        if not events:
            return events
        with self._open() as db:
            corrections = self._corrections(db, "c.event_id > ? AND c.event_id <= ?",
                                            (event_id, events[-1].event_id))
        return apply_corrections(events, corrections)

    def event(self, event_id: int) -> AttendanceEvent | None:
        """The event with id `event_id` as corrected, or None if there is none."""
        event = super().event(event_id)
        if event is None:
            return None
        with self._open() as db:
            corrections = self._corrections(db, "c.event_id = ?", (event_id,))
        return apply_corrections([event], corrections)[0]

    def void(self, event_id: int, mark: Void) -> bool:
        """Mark event `event_id` void with `mark`; False if it is void already. A row
        whose void was undone is voided again by a VOID_AGAIN line."""
        if super().void(event_id, mark):
            return True
        event = self.event(event_id)
        if event is None or event.void is not None:
            return False
        self.append(mark.at, mark.by, VOID_AGAIN, event_id, mark.reason)
        return True

    def corrections_of(self, event_id: int) -> list[Correction]:
        """The corrections of event `event_id`, oldest first."""
        with self._open() as db:
            return self._corrections(db, "c.event_id = ?", (event_id,))

    def last_correction_id(self) -> int:
        """The newest correction's number, 0 when none: it changes with every correction,
        by this process or another, so a running door notices at little cost."""
        with self._open() as db:
            return db.execute("SELECT COALESCE(MAX(id), 0) FROM corrections").fetchone()[0]

    def corrected_after(self, correction_id: int) -> tuple[int, set[str]]:
        """(the newest correction's number, the months ('YYYY-MM') whose rows changed by
        the corrections after `correction_id`): where each row concerned was logged and
        every time it was given, so a running workbook writer rewrites them."""
        newest = self.last_correction_id()
        with self._open() as db:
            rows = db.execute(
                "SELECT substr(e.timestamp, 1, 7) FROM events e WHERE e.id IN (SELECT event_id"
                " FROM corrections WHERE id > ?) UNION SELECT substr(new_time, 1, 7) FROM"
                " corrections WHERE new_time IS NOT NULL AND event_id IN (SELECT event_id"
                " FROM corrections WHERE id > ?)", (correction_id, correction_id)).fetchall()
        return newest, {row[0] for row in rows}

    def audit_between(self, start: datetime, end: datetime) -> list[AuditLine]:
        """The Audit sheet of the rows logged, or corrected to a time, from `start` up to
        `end` (a month): each of their corrections, oldest first, with what it changed."""
        corrections = self._concerning(start, end)
        return audit_lines(corrections, {event_id: Journal.event(self, event_id) for event_id
                                         in dict.fromkeys(c.event_id for c in corrections)})

    def add_by_hand(self, event: AttendanceEvent, made_at: datetime, by: str,
                    reason: str) -> AttendanceEvent:
        """Commit `event` (added by hand: its camera BY_HAND + `by`) and its audit line in
        one transaction; returns it with its journal id."""
        event = replace(event, camera=BY_HAND + by, distance=0.0,
                        utc_offset=local_time.offset_at(event.timestamp))
        uid = uuid.uuid4().hex
        assert event.utc_offset is not None
        with self._open() as db, db:
            event_id = db.execute(
                "INSERT INTO events (timestamp, person_id, name, camera, distance, kind, uid,"
                " utc_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(event.timestamp), event.person_id, event.name, event.camera,
                 event.distance, event.kind, uid, int(event.utc_offset.total_seconds())),
            ).lastrowid
            self._append(db, made_at, by, ADD, event_id, None, reason)
        return replace(event, event_id=event_id, uid=uid)

    def append(self, made_at: datetime, by: str, action: str, event_id: int,
               reason: str, new_time: datetime | None = None) -> None:
        """Append one correction (UNDO_VOID or CORRECT) of event `event_id`."""
        with self._open() as db, db:
            self._append(db, made_at, by, action, event_id, new_time, reason)

    @staticmethod
    def _append(db: sqlite3.Connection, made_at: datetime, by: str, action: str,
                event_id: int | None, new_time: datetime | None, reason: str) -> None:
        db.execute("INSERT INTO corrections (made_at, made_by, action, event_id, new_time,"
                   " reason) VALUES (?, ?, ?, ?, ?, ?)",
                   (_iso(made_at), by, action, event_id,
                    None if new_time is None else _iso(new_time), reason))
