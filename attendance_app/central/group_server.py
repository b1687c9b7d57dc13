"""The site's groups on the central server: writes made at any door, and the changes a
door's copy pulls (the tables: central.group_schema).

Each write is one server transaction under the roster lock (schema.ROSTER_LOCK), so two
doors adding the same name at once make one group and the second is told so, and ends by
giving the group a new revision (attendance_touch_group), which also notifies every door
as a roster change does. Groups are named by the server's ids, which every door's copy
keeps, and people by the server's person ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

from attendance_app.central.database import CentralDatabase
from attendance_app.central.group_schema import LEAVE_GROUP, REMOVE_GROUP, TOUCH_GROUP
from attendance_app.central.schema import ROSTER_LOCK
from attendance_app.central.site import ServerSite, read_site
from attendance_app.i18n import _
from enrolment import StoreError
from enrolment.names import name_key

GROUP_COLUMNS = "id, name, days, start, grace, COALESCE(end_time, ''), created_at"


@dataclass(frozen=True)
class GroupChanges:
    """What changed after a revision: the groups changed, as they are now (GROUP_COLUMNS),
    with all their members' person ids; the ids of the groups removed; the newest revision
    included; `site`: which database answered (central.site)."""

    site: ServerSite
    revision: int
    groups: list[tuple[int, str, int, str, int, str, str]]
    members: dict[int, list[int]]
    removed: list[int]


def _gone(name: str) -> StoreError:
    return StoreError(f"there is no group called {name!r} on the central database any more; "
                      "`group list` shows them")


class CentralGroups:
    """Group writes and change queries against `database`."""

    def __init__(self, database: CentralDatabase) -> None:
        self.database = database

    def _locked(self, db: psycopg.Connection, name: str, group_id: int | None = None) -> None:
        """Take the roster lock; StoreError when another group than `group_id` is called
        `name` (in any letter case), or when group `group_id` is gone."""
        db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
        other = db.execute("SELECT name FROM groups WHERE name_key = %s AND id <> %s",
                           (name_key(name), group_id or 0)).fetchone()
        if other is not None:
            raise StoreError(_("a group called {name!r} exists already; choose another name")
                .format(name=other[0]))

    def _require(self, db: psycopg.Connection, group_id: int, name: str) -> None:
        if db.execute("SELECT 1 FROM groups WHERE id = %s", (group_id,)).fetchone() is None:
            raise _gone(name)

    def add(self, name: str, days: int, start: str, grace: int, end: str) -> int:
        """Create the group (`name` checked already); its id."""
        with self.database.transaction() as db:
            self._locked(db, name)
            group_id = db.execute(
                "INSERT INTO groups (name, name_key, days, start, grace, end_time, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (name, name_key(name), days, start, grace, end or None,
                 datetime.now().isoformat(timespec="seconds"))).fetchone()[0]
            db.execute(f"SELECT {TOUCH_GROUP}(%s)", (group_id,))
            return group_id

    def set_hours(self, group_id: int, name: str, days: int, start: str, grace: int,
                  end: str) -> None:
        """Give group `group_id` (called `name`) new hours."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            self._require(db, group_id, name)
            db.execute("UPDATE groups SET days = %s, start = %s, grace = %s, end_time = %s"
                       " WHERE id = %s", (days, start, grace, end or None, group_id))
            db.execute(f"SELECT {TOUCH_GROUP}(%s)", (group_id,))

    def rename(self, group_id: int, old: str, new: str) -> None:
        """Give group `group_id` (called `old`) the name `new` (checked already)."""
        with self.database.transaction() as db:
            self._locked(db, new, group_id)
            self._require(db, group_id, old)
            db.execute("UPDATE groups SET name = %s, name_key = %s WHERE id = %s",
                       (new, name_key(new), group_id))
            db.execute(f"SELECT {TOUCH_GROUP}(%s)", (group_id,))

    def remove(self, group_id: int) -> None:
        """Delete the group and its memberships; every door's copy does the same."""
        with self.database.transaction() as db:
            db.execute(f"SELECT {REMOVE_GROUP}(%s)", (group_id,))

    def assign(self, group_id: int, name: str, people: Sequence[int]) -> int:
        """Put the people `people` (server ids) in the group; how many were not in it.
        StoreError when one of them was forgotten meanwhile (at another door)."""
        with self.database.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (ROSTER_LOCK,))
            self._require(db, group_id, name)
            known = {row[0] for row in db.execute(
                "SELECT id FROM people WHERE id = ANY(%s)", (list(people),))}
            if set(people) - known:
                raise StoreError(_("someone named was forgotten on the central database meanwhile;"
                                   " the people command lists who is enrolled"))
            added = db.execute(
                "INSERT INTO group_members (group_id, person_id)"
                " SELECT %s, unnest(%s::bigint[]) ON CONFLICT DO NOTHING",
                (group_id, list(people))).rowcount
            db.execute(f"SELECT {TOUCH_GROUP}(%s)", (group_id,))
            return added

    def unassign(self, group_id: int, people: Sequence[int]) -> int:
        """Take the people `people` (server ids) out of the group; how many were in it."""
        with self.database.transaction() as db:
            return db.execute(f"SELECT {LEAVE_GROUP}(%s, %s)",
                              (group_id, list(people))).fetchone()[0]

    def changes_since(self, revision: int) -> GroupChanges:
        """The groups changed and removed after `revision`, whole (a site has tens or
        hundreds of groups, not the thousands of people that make the roster page)."""
        with self.database.transaction() as db:
            return self.changes_in(db, revision)

    def changes_in(self, db: psycopg.Connection, revision: int) -> GroupChanges:
        """changes_since, read through `db` (a pull's one connection)."""
        site = read_site(db, self.database)
        groups = db.execute(f"SELECT {GROUP_COLUMNS}, revision FROM groups"
                            " WHERE revision > %s ORDER BY revision", (revision,)).fetchall()
        removed = db.execute("SELECT group_id, revision FROM groups_removed"
                             " WHERE revision > %s", (revision,)).fetchall()
        members: dict[int, list[int]] = {group[0]: [] for group in groups}
        for group_id, person_id in db.execute(
                "SELECT group_id, person_id FROM group_members WHERE group_id = ANY(%s)"
                " ORDER BY group_id, person_id", (list(members),)):
            members[group_id].append(person_id)
        newest = max([revision, *(g[-1] for g in groups), *(r[1] for r in removed)])
        return GroupChanges(site, newest, [g[:-1] for g in groups], members,
                            [r[0] for r in removed])
