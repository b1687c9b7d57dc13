"""A door's copy of the central roster: what it matches faces against, also offline.

SharedFaceStore is a FaceStore (the same SQLite file format, read by the gallery, the
People dialog and the commands as they are) whose people and encodings mirror the
server's, under the server's own ids, so that a person has one id at every door and in
the central log. Its writes go to the server first (central.roster) and are then pulled
back, so the copy only ever holds what the server holds: enrolling, renaming and
forgetting need the server, and say so in one line when it cannot be reached, while
recognising and logging go on with the copy.

A pull asks for the people changed since the newest revision the copy holds and applies
them in one SQLite transaction; a forgotten person is deleted with every encoding and
every face kept for their rows (secure_delete zeroes the pages). A copy never takes
anything from a database that is not its site, nor from one that looks emptied
(central.site): it stays as it is, and the door goes on with it; only `database adopt` or
`database join-new-site` start it afresh (`start_afresh`).

The copy also keeps each person's face key (central.face_seal): a server that crashed
loses them (people_keys is unlogged), and the first door to pull gives them back.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path

from attendance_app.central.calendar_server import CalendarChanges, CentralCalendar
from attendance_app.central.database import DatabaseError, Reachability
from attendance_app.central.group_server import CentralGroups, GroupChanges
from attendance_app.central.roster import ENCODING_COLUMNS, CentralRoster, RosterChanges
from attendance_app.central.site import ServerSite, SiteMismatch, check
from attendance_app.i18n import ngettext
from enrolment import NewEncoding, Person, event_faces
from enrolment.names import check_name, name_key
from enrolment.sqlite_files import ROSTER_COPY, DamagedFile
from enrolment.store import SAME_PHOTO_DISTANCE, FaceStore

_STATE = """
CREATE TABLE IF NOT EXISTS replica_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS face_keys (person_id INTEGER PRIMARY KEY, key BLOB NOT NULL);
"""

log = logging.getLogger(__name__)


class SharedFaceStore(FaceStore):
    """The local copy at `path` of the roster of `roster`'s server. `site`: the site the
    door's journal is bound to, which a copy that has none yet (new, or rebuilt) must
    match too: rows waiting for a site are never joined by another site's people. A
    damaged copy is moved aside and made again by the next pull, which finds it empty and
    asks for everything."""

    SCHEMA = FaceStore.SCHEMA + _STATE
    KIND = ROSTER_COPY
    FRESH_START = ("the copy is made again from the central database, at once when it answers"
                   " (the file moved aside holds faces: delete it when it is not needed)")

    def __init__(self, path: Path, roster: CentralRoster,
                 same_photo_distance: Mapping[str, float] = SAME_PHOTO_DISTANCE,
                 site: str | None = None) -> None:
        self.emptied = threading.Event()
        """Set when the copy, found damaged in use, was started afresh: a running door's
        listener (central.link) then pulls it again at once."""
        self._pulling = threading.RLock()  # a pull that meets damage starts afresh in it
        super().__init__(path, same_photo_distance)
        self.roster = roster
        self.journal_site = site
        self.mismatch: SiteMismatch | None = None  # the last site check's, if it failed

    def _start_afresh(self, damage: DamagedFile) -> str:
        # Under the pull lock: a pull under way in another thread (the listener's) would
        # otherwise write its old revision into the fresh copy, which then never asks for
        # the people again.
        with self._pulling:
            done = super()._start_afresh(damage)
        self.emptied.set()
        return done

    def _state(self, db: sqlite3.Connection, key: str) -> str | None:
        row = db.execute("SELECT value FROM replica_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @property
    def revision(self) -> int:
        """The newest roster revision this copy holds (0: none yet)."""
        with self._open() as db:
            return int(self._state(db, "revision") or 0)

    def pull(self) -> bool:
        """Bring the copy level with the server; True if anything changed. DatabaseError
        when the server cannot be reached, SiteMismatch when it is not this door's site
        (the copy stays as it was, either way)."""
        with self._pulling:  # the listener thread and a command may pull at once
            # The calendar is read before the groups, and they before the people: every
            # group and person an entry names then exists in the copy once the rest is
            # pulled, unless deleted since (skipped, as the server's cascade does).
            database = self.roster.database
            with database.transaction() as db:  # one connection for both: a login is dear
                calendar = CentralCalendar(database).changes_in(db, self._revision_of("calendar"))
                groups = CentralGroups(database).changes_in(db, self.groups_revision)
            changes = self.roster.changes_since(self.revision)
            self.check_site(changes.site)  # before any key is given back: only to its site
            for other in (groups.site, calendar.site):
                if other.site_id != changes.site.site_id:
                    self.check_site(other)  # the URL's database was replaced between
            if changes.unkeyed and self._restore_keys(changes.unkeyed):
                changes = self.roster.changes_since(self.revision)
            changed = self._apply(changes, groups, calendar)
            while not changes.complete:
                changes = self.roster.changes_since(changes.revision)
                changed |= self._apply(changes, groups, calendar)
            return changed

    def pull_or_warn(self) -> None:
        """Pull; when the server cannot be reached, say so (once in this process: the
        door's link says the same) and go on with the copy."""
        try:
            self.pull()
        except DatabaseError as error:
            Reachability.of(self.roster.database).failed(str(error))

    def _restore_keys(self, unkeyed: list[int]) -> int:
        """Give the server back the face keys it lost that this copy holds; how many."""
        with self._open() as db:
            held = db.execute(f"SELECT person_id, key FROM face_keys WHERE person_id IN"
                              f" ({','.join('?' * len(unkeyed))})", unkeyed).fetchall()
        if not held:
            return 0
        restored = self.roster.restore_keys(held)
        if restored:
            log.warning(ngettext(
                "the central database {where} had lost the face keys of {count} person (a "
                "server crash); this door gave them back from its copy",
                "the central database {where} had lost the face keys of {count} people (a "
                "server crash); this door gave them back from its copy",
                restored).format(where=self.roster.database.where, count=restored))
        return restored

    @property
    def groups_revision(self) -> int:
        """The newest roster revision of the groups this copy holds (0: none yet)."""
        return self._revision_of("groups")

    def _revision_of(self, part: str) -> int:
        """The newest roster revision of `part` ('groups', 'calendar') held (0: none)."""
        with self._open() as db:
            return int(self._state(db, f"{part}_revision") or 0)

    def _apply_calendar(self, db: sqlite3.Connection, changes: CalendarChanges) -> bool:
        """Bring the copy's closed days and leave (enrolment.days_off's tables, under the
        server's ids) level with `changes`, after the groups and people; True if any
        changed. An entry whose group or person the copy does not hold was deleted with
        it after the calendar was read: left out, as the server's cascade does."""
        db.executemany("DELETE FROM closed_days WHERE id = ?",
                       [(i,) for i in changes.removed_closures])
        db.executemany("DELETE FROM leave WHERE id = ?", [(i,) for i in changes.removed_leave])
        db.executemany(
            "INSERT OR REPLACE INTO closed_days (id, first_day, last_day, name, group_id,"
            " created_at) SELECT ?, ?, ?, ?, ?, ? WHERE ?5 IS NULL OR EXISTS"
            " (SELECT 1 FROM groups WHERE id = ?5)",
            [(i, first.isoformat(), last.isoformat(), name, group, made)
             for i, first, last, name, group, made in changes.closures])
        db.executemany(
            "INSERT OR REPLACE INTO leave (id, person_id, first_day, last_day, reason,"
            " created_at) SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS"
            " (SELECT 1 FROM people WHERE id = ?2)",
            [(i, person, first.isoformat(), last.isoformat(), reason, made)
             for i, person, first, last, reason, made in changes.leave])
        db.execute("INSERT OR REPLACE INTO replica_state VALUES ('calendar_revision', ?)",
                   (str(changes.revision),))
        return bool(changes.closures or changes.leave or changes.removed_closures
                    or changes.removed_leave)

    def _apply_groups(self, db: sqlite3.Connection, changes: GroupChanges) -> bool:
        """Bring the copy's groups (enrolment.groups' tables, under the server's ids) level
        with `changes`, after the people; True if any changed. A member the copy does not
        hold was forgotten after the groups were read: left out, as the server's cascade
        does."""
        db.executemany("DELETE FROM groups WHERE id = ?", [(i,) for i in changes.removed])
        # Names move between groups (a swap by renames): free them first, as for people.
        db.executemany("UPDATE groups SET name = '#' || id, name_key = '#' || id"
                       " WHERE id = ? OR name_key = ?",
                       [(group[0], name_key(group[1])) for group in changes.groups])
        db.executemany(
            "INSERT INTO groups (id, name, days, start, grace, end_time, created_at,"
            " name_key) VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?) ON CONFLICT (id) DO"
            " UPDATE SET name = excluded.name, name_key = excluded.name_key,"
            " days = excluded.days, start = excluded.start, grace = excluded.grace,"
            " end_time = excluded.end_time",
            [(*group, name_key(group[1])) for group in changes.groups])
        for group_id, people in changes.members.items():
            db.execute("DELETE FROM group_members WHERE group_id = ?", (group_id,))
            db.executemany("INSERT INTO group_members (group_id, person_id) SELECT ?, id"
                           " FROM people WHERE id = ?", [(group_id, p) for p in people])
        db.execute("INSERT OR REPLACE INTO replica_state VALUES ('groups_revision', ?)",
                   (str(changes.revision),))
        return bool(changes.groups or changes.removed)

    @property
    def site_id(self) -> str | None:
        """The site this copy's people are of (None: it has none yet). Kept under the
        name roster_id, which copies of earlier versions hold, with the same value."""
        with self._open() as db:
            return self._state(db, "roster_id")

    def check_site(self, server: ServerSite) -> None:
        """SiteMismatch unless `server` is the site of this copy (or, for a copy that has
        none yet, of the door's journal)."""
        with self._open() as db:
            holds_people = db.execute("SELECT EXISTS (SELECT 1 FROM people)").fetchone()[0]
        try:
            check(self.roster.database, server, self.site_id or self.journal_site,
                  self.revision, bool(holds_people))
        except SiteMismatch as mismatch:
            self.mismatch = mismatch
            raise
        self.mismatch = None

    def start_afresh(self) -> None:
        """Forget the copy of the old site and take the people of the database the URL
        names, whatever site it is (`database adopt`, `database join-new-site`)."""
        with self._pulling:
            self._empty()
            self.journal_site = None
        self.pull()

    def _apply(self, changes: RosterChanges, groups: GroupChanges,
               calendar: CalendarChanges) -> bool:
        """Apply a page of people changes, and with the last page the groups' and the
        calendar's (in the same transaction: a reader sees the people, their groups and
        their leave change together)."""
        with self._open() as db, db:
            people = changes.people
            ids = [person[0] for person in people]
            for person_id in changes.forgotten:
                event_faces.erase_person(db, person_id)
                db.execute("DELETE FROM encodings WHERE person_id = ?", (person_id,))
                db.execute("DELETE FROM people WHERE id = ?", (person_id,))
                db.execute("DELETE FROM face_keys WHERE person_id = ?", (person_id,))
            db.executemany("DELETE FROM encodings WHERE person_id = ?", [(i,) for i in ids])
            # Names move between people (a swap by renames): free the names of the people
            # changed and those about to be taken (their holder's own change follows).
            db.executemany("UPDATE people SET name = '#' || id, name_key = '#' || id"
                           " WHERE id = ? OR name_key = ?",
                           [(pid, name_key(name)) for pid, name, _ in people])
            db.executemany(
                "INSERT INTO people (id, name, created_at, name_key) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                " name_key = excluded.name_key",
                [(pid, name, created, name_key(name)) for pid, name, created in people])
            db.executemany(f"INSERT INTO encodings ({ENCODING_COLUMNS})"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", changes.encodings)
            db.executemany("INSERT OR REPLACE INTO face_keys VALUES (?, ?)", changes.keys)
            grouped = changes.complete and self._apply_groups(db, groups)
            dated = changes.complete and self._apply_calendar(db, calendar)
            db.execute("INSERT OR REPLACE INTO replica_state VALUES ('roster_id', ?)",
                       (changes.site.site_id,))
            db.execute("INSERT OR REPLACE INTO replica_state VALUES ('revision', ?)",
                       (str(changes.revision),))
        return bool(people or changes.forgotten or grouped or dated)

    def _empty(self) -> None:
        """Forget every person, encoding and kept face of the copy, and its site."""
        with self._open() as db, db:
            for table in ("event_faces", "closed_days", "leave", "group_members", "groups",
                          "encodings", "people",
                          "face_keys", "replica_state"):
                db.execute(f"DELETE FROM {table}")

    # Writes: on the server first, then pulled back into the copy.

    def enrol(self, name: str, encodings: list[NewEncoding]) -> Person:
        name = check_name(name)
        self.check_site(self.roster.site())  # never write to another site
        if not encodings:
            return super().enrol(name, encodings)  # refuses, with the store's words
        self._check(encodings)
        self.roster.enrol(name, encodings, self.same_photo_distance)
        self.pull()
        return self._require(name)

    def add_encodings(self, person_id: int, encodings: list[NewEncoding]) -> Person:
        self.check_site(self.roster.site())  # never write to another site
        self._check(encodings)
        self.roster.add_encodings(person_id, encodings, self.same_photo_distance)
        self.pull()
        with self._open() as db:
            name = db.execute("SELECT name FROM people WHERE id = ?", (person_id,)).fetchone()
        return self._require(name[0])

    def rename(self, old_name: str, new_name: str) -> Person:
        self.check_site(self.roster.site())  # never write to another site
        person = self._require(old_name)
        new_name = check_name(new_name)
        self.roster.rename(person.person_id, new_name)
        self.pull()
        return self._require(new_name)

    def forget(self, name: str) -> Person:
        self.check_site(self.roster.site())  # never write to another site
        person = self._require(name)
        self.roster.forget(person.person_id)
        self.pull()
        return person

