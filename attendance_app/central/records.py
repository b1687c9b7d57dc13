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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import psycopg

from attendance_app.central.database import CentralDatabase
from attendance_app.central.site import check, read_site
from attendance_app.records.journal import month_bounds
from attendance_app.records.policy import AttendancePolicy
from attendance_app.types import AgeGender, AttendanceEvent, Expression, Void

# An event of the central log with its void; read by event_from_row.
COLUMNS = ("e.seq, e.timestamp, e.person_id, e.name, e.camera, e.distance, e.kind,"
            " v.voided_at, v.voided_by, v.reason, e.expression, e.expression_probability, e.uid,"
            " e.utc_offset, e.age, e.gender, e.gender_probability")
FROM_EVENTS = "FROM events e LEFT JOIN voids v ON v.event_uid = e.uid"


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
            repeats[event.event_id or 0] = (f"repeat: logged at {first.camera} at "
                                            f"{first.timestamp:%H:%M:%S} already (not counted)")
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
                 site: str | None = None) -> None:
        self.database = database
        self.cooldown = cooldown
        self.site = site

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        """A transaction on the log, after checking it is the log of `site` (the door's,
        central.site): a door pointed at another site never writes that site's rows into
        its workbook (SiteMismatch, reported as the workbook's one warning)."""
        with self.database.transaction() as db:
            if self.site is not None:
                check(self.database, read_site(db, self.database), self.site)
            yield db

    def _select(self, condition: str, params: tuple) -> list[AttendanceEvent]:
        with self._reading() as db:
            rows = db.execute(f"SELECT {COLUMNS} {FROM_EVENTS} WHERE {condition} ORDER BY e.seq",
                              params).fetchall()
        return [event_from_row(row) for row in rows]

    def _days(self, first: date, after_last: date) -> list[AttendanceEvent]:
        """Every event of the days from `first` up to `after_last`, repeats marked."""
        return mark_repeats(self._select("e.timestamp >= %s AND e.timestamp < %s", (
            datetime.combine(first, time.min), datetime.combine(after_last, time.min))),
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

    def events_after(self, seq: int) -> list[AttendanceEvent]:
        """The events that reached the server after number `seq`, oldest first, repeats
        judged against their whole days."""
        new = self._select("e.seq > %s", (seq,))
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
        return (rows[-1][0] if rows else mark), [event_from_row(row[1:]) for row in rows]

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
