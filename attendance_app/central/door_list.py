"""A door's list of today as the site's log has it: the window's list after a correction.

A correction at a door with a central database is made in the central log (central.
records), which the door's own journal never hears; the window's list would go on
showing the rows as the door's camera logged them. Here the door's rows are read back
through the log's corrections, each keeping its number at the door (a void is made at the
door, by that number: records.voiding).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from attendance_app.central.pusher import event_uid
from attendance_app.central.records import CentralJournal
from attendance_app.types import AttendanceEvent


def as_door_rows(log: CentralJournal, rows: list[AttendanceEvent],
                 day: date) -> list[AttendanceEvent]:
    """`rows` (the door's journal's rows of `day`) as `log` has them now: a time corrected,
    a void undone or made again, each row keeping its number at the door; the arrivals
    added by hand at this door (`log.door`) that day, with no number at the door (None:
    no door voids them); a row not sent yet as logged. Oldest first."""
    logged = {event_uid(row, log.door): row for row in rows}
    site = log.events_on(day)
    with log.database.transaction() as db:
        doors = dict(db.execute("SELECT uid, door FROM events WHERE uid = ANY(%s)",
                                ([*logged, *(event.uid for event in site)],)).fetchall())
    shown = [row for uid, row in logged.items() if uid not in doors]
    for event in site:
        door_row = logged.get(event.uid or "")
        if door_row is not None:
            shown.append(replace(event, event_id=door_row.event_id, uid=door_row.uid))
        elif doors.get(event.uid) == log.door:
            shown.append(replace(event, event_id=None))
    return sorted(shown, key=lambda event: event.moment)
