"""The central attendance log, read the way a door's journal is read.

CentralJournal answers the questions WorkbookSync, the reports and `export` ask of a
Journal (the events after a number, of a day, of a month, the voids since a number), from
the events every door sent, so the workbook and the reports are written from the central
log on any door. An event's number here is its place on the server (events.seq).

The once-a-day or cooldown policy is applied across doors when the log is read: of one
person's rows on one day, in time order, a row the policy would not have written (the
person was logged at another door, within the cooldown or already that day) is a
*repeat*: it stays in the log and in the workbook, struck through with the words saying
so, and no report counts it. Decided on the times of the rows, not the order they
arrived in, it comes out the same when a door was offline and sent its rows hours later;
times between rows are real elapsed time (each row carries its door's UTC offset).

Corrections (records.corrections: an arrival added by hand, a void undone, a time
corrected) are the central log's too, made at any door and written on the server at once,
each an appended row of its `corrections` table, never an edit: they name rows by the
numbers the central workbook shows (events.seq), which a door's own journal does not
know, and a row logged at one door may be corrected at another (the office). Every read
applies them as a door's journal does (apply_corrections), before repeats are judged, so
every door's reports and workbooks agree. Offline they are refused in one line, as
enrolling is: a correction is made by a person at a keyboard, who can make it again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import psycopg
from psycopg.types.json import Json

from attendance_app import local_time
from attendance_app.central.database import CentralDatabase
from attendance_app.central.pusher import event_uid, send_events
from attendance_app.central.schema import EVENTS_CHANNEL, EVENTS_LOCK
from attendance_app.central.site import check, read_site
from attendance_app.i18n import _
from attendance_app.records.corrections import (
    ADD,
    BY_HAND,
    Correction,
    apply_corrections,
    audit_lines,
)
from attendance_app.records.journal import month_bounds
from attendance_app.records.policy import AttendancePolicy
from attendance_app.types import AgeGender, AttendanceEvent, Expression, Void
from exports.audit import AuditLine

# An event of the central log with its void; read by event_from_row.
COLUMNS = ("e.seq, e.timestamp, e.person_id, e.name, e.camera, e.distance, e.kind,"
            " v.voided_at, v.voided_by, v.reason, e.expression, e.expression_probability, e.uid,"
            " e.utc_offset, e.age, e.gender, e.gender_probability")
FROM_EVENTS = "FROM events e LEFT JOIN voids v ON v.event_uid = e.uid"
# A correction as records.corrections.Correction takes it, naming its row by events.seq.
_CORRECTIONS = ("SELECT c.seq, c.made_at, c.made_by, c.action, e.seq, c.new_time, c.reason"
                " FROM corrections c JOIN events e ON e.uid = c.event_uid")
_MOVED_INTO = "SELECT event_uid FROM corrections WHERE new_time >= %s AND new_time < %s"
_INSERT_CORRECTION = ("INSERT INTO corrections (door, made_at, made_by, action, event_uid,"
                      " new_time, reason) SELECT %s, %s, %s, %s, uid, %s, %s FROM events"
                      " WHERE seq = %s")


def event_from_row(row: tuple) -> AttendanceEvent:
    void = None if row[7] is None else Void(row[7], row[8], row[9])
    expression = None if row[10] is None else Expression(row[10], row[11])
    return AttendanceEvent(row[1], row[2], row[3], row[4], row[5], row[6], row[0], void,
                           expression, uid=row[12],
                           utc_offset=None if row[13] is None else timedelta(seconds=row[13]),
                           age_gender=None if row[14] is None else AgeGender(*row[14:17]))


def mark_repeats(events: Iterable[AttendanceEvent],
                 cooldown: timedelta | None) -> list[AttendanceEvent]:
    """`events` (whole days of them) with the repeats marked, in the order given."""
    events = list(events)
    policy = AttendancePolicy(cooldown)
    counted: dict[int, AttendanceEvent] = {}
    repeats: dict[int, str] = {}
    for event in sorted(events, key=lambda e: (e.moment, e.event_id or 0)):
        if event.void is not None:
            continue
        if policy.decide(event.person_id, event.moment) is None:
            first = counted[event.person_id]
            # Translators: a central row's note in the workbook's Voided column.
            repeats[event.event_id or 0] = _(
                "repeat: logged at {camera} at {time} already (not counted)").format(
                camera=first.camera, time=f"{first.timestamp:%H:%M:%S}")
            continue
        policy.remember(event)
        counted[event.person_id] = event
    return [event if event.event_id not in repeats else
            replace(event, repeat=repeats[event.event_id])
            for event in events]


class CentralJournal:
    """The central log at `database`, with repeats judged by `cooldown` (None: one row per
    person per day), the attendance.cooldown_minutes of the door reading it."""

    def __init__(self, database: CentralDatabase, cooldown: timedelta | None,
                 site: str | None = None, door: str = "") -> None:
        self.database = database
        self.cooldown = cooldown
        self.site = site
        self.door = door or "by hand"
        """The door whose corrections these are (its journal's door_id), for the log."""

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """A transaction on the log, after checking it is the log of `site` (the door's,
        central.site): a door pointed at another site never writes that site's rows into
        its workbook (SiteMismatch, reported as the workbook's one warning)."""
        with self.database.transaction() as db:
            if self.site is not None:
                check(self.database, read_site(db, self.database), self.site)
            yield db

    @staticmethod
    def _corrections(db: psycopg.Connection, condition: str,
                     params: tuple) -> list[Correction]:
        """The corrections of the rows `condition` (on `e`, the events) selects, oldest
        first; the corrections (few) drive the query."""
        return [Correction(*row) for row in db.execute(
            f"{_CORRECTIONS} WHERE {condition} ORDER BY c.seq", params).fetchall()]

    def _select(self, condition: str, params: tuple) -> list[AttendanceEvent]:
        """The events `condition` (on `e`) selects, by number, as corrected."""
        with self._reading() as db:
            rows = db.execute(f"SELECT {COLUMNS} {FROM_EVENTS} WHERE {condition} ORDER BY e.seq",
                              params).fetchall()
            corrections = self._corrections(db, condition, params) if rows else []
        return apply_corrections([event_from_row(row) for row in rows], corrections)

    def _days(self, first: date, after_last: date) -> list[AttendanceEvent]:
        """Every event of the days from `first` up to `after_last` as corrected (the rows
        logged then less those corrected away, plus those corrected into them), repeats
        marked among them."""
        span = (datetime.combine(first, time.min), datetime.combine(after_last, time.min))
        logged = "e.timestamp >= %s AND e.timestamp < %s"
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {COLUMNS} {FROM_EVENTS} WHERE {logged} UNION ALL SELECT {COLUMNS}"
                f" {FROM_EVENTS} WHERE e.uid IN ({_MOVED_INTO}) AND NOT ({logged})"
                " ORDER BY 1", span + span + span).fetchall()
            corrections = self._corrections(
                db, f"({logged}) OR c.event_uid IN ({_MOVED_INTO})", span + span)
        events = apply_corrections([event_from_row(row) for row in rows], corrections)
        return mark_repeats([e for e in events if span[0] <= e.timestamp < span[1]],
                            self.cooldown)

    def events_between(self, start: datetime, end: datetime) -> list[AttendanceEvent]:
        """Events from `start` up to `end` (wall times), in real time order, as a door's
        journal lists them (a door that was offline sends its rows after later ones; the
        night the clocks go back, 02:20 may follow 02:50); whole days are read so that a
        repeat is judged against the rows before it."""
        end_day = end.date() + timedelta(days=0 if end.time() == time.min else 1)
        return sorted((event for event in self._days(start.date(), end_day)
                       if start <= event.timestamp < end),
                      key=lambda event: (event.moment, event.event_id or 0))

    def events_on(self, day: date) -> list[AttendanceEvent]:
        return self._days(day, day + timedelta(days=1))

    def events_in_month(self, month: str) -> list[AttendanceEvent]:
        return self.events_between(*month_bounds(month))

    def events_after(self, seq: int, limit: int | None = None) -> list[AttendanceEvent]:
        """The events that reached the server after number `seq`, oldest first, at most
        `limit` (None: all), repeats judged against their whole days."""
        new = self._select("e.seq IN (SELECT seq FROM events WHERE seq > %s ORDER BY seq"
                           " LIMIT %s)", (seq, limit))
        if not new:
            return []
        days = {event.timestamp.date() for event in new}
        marked = {event.event_id: event for event in
                  self._days(min(days), max(days) + timedelta(days=1))}
        return [marked.get(event.event_id, event) for event in new]

    def events(self) -> list[AttendanceEvent]:
        """Every event: for checks and tools, never per event."""
        return self.events_after(0)

    def event(self, seq: int) -> AttendanceEvent | None:
        found = self._select("e.seq = %s", (seq,))
        return found[0] if found else None

    def last_id(self) -> int:
        return self._scalar("SELECT COALESCE(MAX(seq), 0) FROM events")

    def last_void_id(self) -> int:
        """The newest mark (a void, or a late row that may move a repeat): a reader that
        sees it change rewrites the months of the rows marked since."""
        return self._scalar("SELECT COALESCE(MAX(seq), 0) FROM marks")

    def voided_after(self, mark: int) -> tuple[int, list[AttendanceEvent]]:
        """(the newest mark, the events marked after `mark`): their months change."""
        with self._reading() as db:
            rows = db.execute(f"SELECT m.seq, {COLUMNS} FROM marks m JOIN events e"
                              " ON e.uid = m.event_uid LEFT JOIN voids v ON v.event_uid = e.uid"
                              " WHERE m.seq > %s ORDER BY m.seq", (mark,)).fetchall()
            marked = [event_from_row(row[1:]) for row in rows]
            corrections = self._corrections(db, "e.seq = ANY(%s)",
                                            ([e.event_id for e in marked],)) if rows else []
        return (rows[-1][0] if rows else mark), apply_corrections(marked, corrections)

    def corrected_after(self, correction: int) -> tuple[int, set[str]]:
        """(the newest correction's number, the months ('YYYY-MM') whose rows changed by
        the corrections after number `correction`: where each row concerned was logged
        and every time it was given), so the workbook writer rewrites them."""
        with self._reading() as db:
            newest = db.execute("SELECT COALESCE(MAX(seq), 0) FROM corrections").fetchone()[0]
            rows = db.execute(
                "SELECT to_char(e.timestamp, 'YYYY-MM') FROM events e WHERE e.uid IN"
                " (SELECT event_uid FROM corrections WHERE seq > %s) UNION SELECT"
                " to_char(new_time, 'YYYY-MM') FROM corrections WHERE new_time IS NOT NULL"
                " AND event_uid IN (SELECT event_uid FROM corrections WHERE seq > %s)",
                (correction, correction)).fetchall()
        return newest, {row[0] for row in rows}

    def audit_between(self, start: datetime, end: datetime) -> list[AuditLine]:
        """The Audit sheet of the rows logged, or corrected to a time, from `start` up to
        `end` (a month): each of their corrections, oldest first, with what it changed."""
        span = (start, end)
        with self._reading() as db:
            corrections = self._corrections(
                db, f"(e.timestamp >= %s AND e.timestamp < %s) OR c.event_uid IN"
                    f" ({_MOVED_INTO})", span + span)
            rows = db.execute(f"SELECT {COLUMNS} {FROM_EVENTS} WHERE e.seq = ANY(%s)",
                              ([c.event_id for c in corrections],)).fetchall()
        logged = {row[0]: event_from_row(row) for row in rows}
        return audit_lines(corrections, logged)

    def number_of(self, event: AttendanceEvent) -> int | None:
        """The place in the log of `event`, a row of this door's journal (found by the id
        made at the door); None while it has not reached the server."""
        with self._reading() as db:
            row = db.execute("SELECT seq FROM events WHERE uid = %s",
                             (event_uid(event, self.door),)).fetchone()
        return None if row is None else row[0]

    def add_by_hand(self, event: AttendanceEvent, made_at: datetime, by: str,
                    reason: str) -> AttendanceEvent:
        """Add `event` (a missed arrival: its camera BY_HAND + `by`) to the log with its
        audit line, in one transaction; returns it with its number in the log."""
        event = replace(event, camera=BY_HAND + by, distance=0.0, uid=uuid.uuid4().hex,
                        utc_offset=local_time.offset_at(event.timestamp))
        with self._reading() as db:
            send_events(db, self.door, [event])
            seq = db.execute("SELECT seq FROM events WHERE uid = %s", (event.uid,)).fetchone()[0]
            db.execute(_INSERT_CORRECTION, (self.door, made_at, by, ADD, None, reason, seq))
        return replace(event, event_id=seq)

    def append(self, made_at: datetime, by: str, action: str, event_id: int,
               reason: str, new_time: datetime | None = None) -> None:
        """Append one correction (UNDO_VOID or CORRECT) of the row numbered `event_id`."""
        with self._reading() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (EVENTS_LOCK,))  # seq: see schema
            db.execute(_INSERT_CORRECTION, (self.door, made_at, by, action, new_time, reason,
                                            event_id))
            db.execute("SELECT pg_notify(%s, %s::text)",
                       (EVENTS_CHANNEL, Json({"door": self.door, "count": 0})))

    def latest_month(self) -> str | None:
        with self._reading() as db:
            newest = db.execute("SELECT MAX(timestamp) FROM events").fetchone()[0]
        return None if newest is None else f"{newest:%Y-%m}"

    def month_totals(self) -> dict[str, tuple[int, int]]:
        """Per month ('YYYY-MM'): how many events and the largest number among them."""
        with self._reading() as db:
            rows = db.execute("SELECT to_char(timestamp, 'YYYY-MM'), COUNT(*), MAX(seq)"
                              " FROM events GROUP BY 1").fetchall()
        return {month: (count, largest) for month, count, largest in rows}

    def _scalar(self, query: str) -> int:
        with self._reading() as db:
            return db.execute(query).fetchone()[0]
