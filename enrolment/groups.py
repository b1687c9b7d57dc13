"""Groups (classes, departments) and who belongs to them, kept in the face store's file.

Two small tables beside `people` in faces.sqlite3 (store_schema.GROUPS_SCHEMA), not a file
of their own: a membership names a person by the store's id, so forgetting a person ends
their memberships in the same transaction (a foreign key with ON DELETE CASCADE), and a
backup of the roster is one file. A person belongs to zero, one or more groups.

Hours are kept as plain columns (week days as a bit mask, Monday = bit 0; start and end as
'HH:MM'; grace in minutes): this package knows nothing of how reports judge them
(exports.hours does); the command line checks them before they get here.

With a central database the same two tables live on the server keyed by its ids, and a
door's roster copy (a FaceStore too) holds them as it holds people, under the server's
ids (attendance_app.central.group_server); its writes go through the server
(central.group_book), its reads are these.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from enrolment.names import check_name, name_key
from enrolment.values import StoreError

if TYPE_CHECKING:
    from enrolment.store import FaceStore


@dataclass(frozen=True)
class Group:
    """A group with its hours and how many people belong to it.

    days: week days as a bit mask (Monday = 1, Tuesday = 2, ... Sunday = 64); start and
    end: 'HH:MM' (end '' when not set); grace: minutes."""

    group_id: int
    name: str
    days: int
    start: str
    grace: int
    end: str
    members: int


_GROUP = """
    SELECT g.id, g.name, g.days, g.start, g.grace, COALESCE(g.end_time, ''),
           (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id)
    FROM groups g
"""


def _group(row: tuple[int, str, int, str, int, str, int]) -> Group:
    return Group(*row)


class GroupBook:
    """The groups of the face store `store`, read and written through the store's own
    connections (`_open`: foreign keys on, every SQLite error a one-line StoreError), so
    the two tables follow the same rules as `people`. A class of its own rather than more
    methods on FaceStore, which holds the encodings' rules and is at its size limit."""

    def __init__(self, store: FaceStore) -> None:
        self.store = store

    def groups(self) -> list[Group]:
        """Every group, by name, with its number of members."""
        with self.store._open() as db:  # noqa: SLF001
            rows = db.execute(f"{_GROUP} ORDER BY g.name COLLATE NOCASE").fetchall()
        return [_group(row) for row in rows]

    def find(self, name: str) -> Group | None:
        """The group called `name` in any letter case or Unicode form, or None."""
        with self.store._open() as db:  # noqa: SLF001
            row = db.execute(f"{_GROUP} WHERE g.name_key = ?", (name_key(name),)).fetchone()
        return None if row is None else _group(row)

    def require(self, name: str) -> Group:
        """The group called `name`; StoreError naming the command that lists them if none."""
        group = self.find(name)
        if group is None:
            raise StoreError(f"there is no group called {name!r}; `group list` shows them")
        return group

    def add(self, name: str, days: int, start: str, grace: int, end: str = "") -> Group:
        """Create a group; refuses a name another group has (in any letter case)."""
        name = check_name(name)
        if self.find(name) is not None:
            raise StoreError(f"a group called {name!r} exists already; choose another name")
        with self.store._open() as db, db:  # noqa: SLF001
            db.execute("INSERT INTO groups (name, name_key, days, start, grace, end_time,"
                       " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (name, name_key(name), days, start, grace, end or None,
                        datetime.now().isoformat(timespec="seconds")))
        return self.require(name)

    def set_hours(self, name: str, days: int, start: str, grace: int, end: str = "") -> Group:
        """Give an existing group new hours."""
        group = self.require(name)
        with self.store._open() as db, db:  # noqa: SLF001
            db.execute("UPDATE groups SET days = ?, start = ?, grace = ?, end_time = ?"
                       " WHERE id = ?", (days, start, grace, end or None, group.group_id))
        return self.require(name)

    def rename(self, old: str, new: str) -> Group:
        """Give a group a new name; refuses one another group has."""
        group = self.require(old)
        new = check_name(new)
        other = self.find(new)
        if other is not None and other.group_id != group.group_id:
            raise StoreError(f"a group called {other.name!r} exists already; choose another name")
        with self.store._open() as db, db:  # noqa: SLF001
            db.execute("UPDATE groups SET name = ?, name_key = ? WHERE id = ?",
                       (new, name_key(new), group.group_id))
        return self.require(new)

    def remove(self, name: str) -> Group:
        """Delete a group and its memberships (its people stay enrolled)."""
        group = self.require(name)
        with self.store._open() as db, db:  # noqa: SLF001
            db.execute("DELETE FROM groups WHERE id = ?", (group.group_id,))
        return group

    def _people(self, names: Iterable[str]) -> list[int]:
        """The ids of the people called `names`, all or none: StoreError on the first unknown."""
        ids = []
        for name in names:
            person = self.store.find(name)
            if person is None:
                raise StoreError(f"nobody called {name!r} is enrolled; the people command "
                                 "lists who is")
            ids.append(person.person_id)
        return ids

    def assign(self, name: str, people: Iterable[str]) -> int:
        """Put `people` (names) in the group; returns how many were not in it yet."""
        group, ids = self.require(name), self._people(people)
        with self.store._open() as db, db:  # noqa: SLF001
            before = db.total_changes
            db.executemany("INSERT OR IGNORE INTO group_members (group_id, person_id)"
                           " VALUES (?, ?)", [(group.group_id, i) for i in ids])
            return db.total_changes - before

    def unassign(self, name: str, people: Iterable[str]) -> int:
        """Take `people` (names) out of the group; returns how many were in it."""
        group, ids = self.require(name), self._people(people)
        with self.store._open() as db, db:  # noqa: SLF001
            before = db.total_changes
            db.executemany("DELETE FROM group_members WHERE group_id = ? AND person_id = ?",
                           [(group.group_id, i) for i in ids])
            return db.total_changes - before

    def memberships(self) -> dict[int, list[int]]:
        """Each person's group ids (people in no group are left out): one query, for reports."""
        found: dict[int, list[int]] = {}
        with self.store._open() as db:  # noqa: SLF001
            for person_id, group_id in db.execute(
                    "SELECT person_id, group_id FROM group_members ORDER BY person_id, group_id"):
                found.setdefault(person_id, []).append(group_id)
        return found
