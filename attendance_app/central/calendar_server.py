"""The site's calendar on the central server: closed days and leave written at any door,
and the changes a door's copy pulls (the tables: central.calendar_schema).

Each write is one server transaction under the roster lock (schema.ROSTER_LOCK), so two
doors closing the same days at once make one closure and the second is told so, and ends
by giving the entry a revision (attendance_touch_closure, attendance_touch_leave), which
also notifies every door as a roster change does. Groups and people are named by the
server's ids, which every door's copy keeps; the checks of names, texts and spans are the
copy's (enrolment.days_off), made before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import psycopg

from attendance_app.central.calendar_schema import (
    REMOVE_CLOSURE,
    REMOVE_LEAVE,
    TOUCH_CLOSURE,
    TOUCH_LEAVE,
)
from attendance_app.central.database import CentralDatabase
from attendance_app.central.schema import ROSTER_LOCK
from attendance_app.central.site import ServerSite, read_site
from attendance_app.i18n import _
from enrolment import StoreError

ClosureRow = tuple[int, date, date, str, "int | None", str]
"""id, first day, last day, name, group id (None: the site's), created at."""
LeaveRow = tuple[int, int, date, date, str, str]
"""id, person id, first day, last day, reason, created at."""


@dataclass(frozen=True)
class CalendarChanges:
    """What changed after a revision: the closures and leave added, the ids of those
    removed, the newest revision included; `site`: which database answered."""

    site: ServerSite
    revision: int
    closures: list[ClosureRow]
    leave: list[LeaveRow]
    removed_closures: list[int]
    removed_leave: list[int]


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class CentralCalendar:
    """Calendar writes and change queries against `database`."""

    def __init__(self, database: CentralDatabase) -> None:
        self.database = database

    def close(self, first: date, last: date, name: str, group_id: int | None) -> int:
        """Close the site (group_id None) or the group from `first` to `last`; its id.
        StoreError when a closure of the same scope touches those days (made meanwhile
        at another door), or when the group was deleted meanwhile."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            if group_id is not None and db.execute(
                    "SELECT 1 FROM groups WHERE id = %s", (group_id,)).fetchone() is None:
                raise StoreError(_("that group was deleted on the central database meanwhile; "
                                   "`group list` shows the groups"))
            clash = db.execute(
                "SELECT first_day, last_day, name FROM closed_days WHERE first_day <= %s AND"
                " last_day >= %s AND group_id IS NOT DISTINCT FROM %s ORDER BY first_day",
                (last, first, group_id)).fetchone()
            if clash is not None:
                raise StoreError(_("{first} to {last} is closed already ({name}); remove it first "
                                   "to change it")
                    .format(first=clash[0], last=clash[1], name=clash[2]))
            closure_id = db.execute(
                "INSERT INTO closed_days (first_day, last_day, name, group_id, created_at)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (first, last, name, group_id, _now())).fetchone()[0]
            db.execute(f"SELECT {TOUCH_CLOSURE}(%s)", (closure_id,))
            return closure_id

    def reopen(self, closure_id: int) -> bool:
        """Remove the closure; False when it was removed already (at another door)."""
        with self.database.transaction() as db:
            return db.execute(f"SELECT {REMOVE_CLOSURE}(%s)", (closure_id,)).fetchone()[0]

    def add_leave(self, person_id: int, first: date, last: date, reason: str) -> int:
        """Give the person leave from `first` to `last`; its id. StoreError when the
        person was forgotten meanwhile (at another door)."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            if db.execute("SELECT 1 FROM people WHERE id = %s", (person_id,)).fetchone() is None:
                raise StoreError(_("that person was forgotten on the central database meanwhile; "
                                   "the people command lists who is enrolled"))
            leave_id = db.execute(
                "INSERT INTO leave (person_id, first_day, last_day, reason, created_at)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (person_id, first, last, reason, _now())).fetchone()[0]
            db.execute(f"SELECT {TOUCH_LEAVE}(%s)", (leave_id,))
            return leave_id

    def remove_leave(self, leave_id: int) -> bool:
        """Remove the leave; False when it was removed already (at another door)."""
        with self.database.transaction() as db:
            return db.execute(f"SELECT {REMOVE_LEAVE}(%s)", (leave_id,)).fetchone()[0]

    def changes_since(self, revision: int) -> CalendarChanges:
        """The entries added and removed after `revision`, whole (a site's calendar holds
        tens of closures and hundreds of leaves a year, not the roster's thousands)."""
        with self.database.transaction() as db:
            return self.changes_in(db, revision)

    def changes_in(self, db: psycopg.Connection, revision: int) -> CalendarChanges:
        """changes_since, read through `db` (a pull's one connection)."""
        site = read_site(db, self.database)
        closures = _rows(db, "SELECT id, first_day, last_day, name, group_id, created_at,"
                             " revision FROM closed_days WHERE revision > %s", revision)
        leave = _rows(db, "SELECT id, person_id, first_day, last_day, reason, created_at,"
                          " revision FROM leave WHERE revision > %s", revision)
        removed = _rows(db, "SELECT kind, entry_id, revision FROM calendar_removed"
                            " WHERE revision > %s", revision)
        newest = max([revision, *(row[-1] for row in (*closures, *leave, *removed))])
        return CalendarChanges(site, newest, [row[:-1] for row in closures],
                               [row[:-1] for row in leave],
                               [row[1] for row in removed if row[0] == "closure"],
                               [row[1] for row in removed if row[0] == "leave"])


def _rows(db: psycopg.Connection, query: str, revision: int) -> list[tuple]:
    return db.execute(query + " ORDER BY revision", (revision,)).fetchall()
