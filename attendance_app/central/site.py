"""Which site a door belongs to, and what the door does when the URL names another.

Every central database gets an id when `database init` makes it (attendance_meta.site_id).
A door remembers it in two places, each for what it holds:
- its journal (journal_meta.site_id): the rows waiting to be sent name people by that
  site's ids, so they are bound to that site and go nowhere else;
- its copy of the roster (replica_state): the people it recognises are that site's.
A door pointed at a database with another id (another site's, or its own dropped and made
anew) or at one that looks emptied (the roster's revision went backwards, or it holds
nobody and forgot nobody while the copy holds people) is in a *mismatch*: it sends
nothing there and takes nothing from there, keeps its copy and its rows, recognises and
logs people from its copy, and says once, in one line, what happened and the command
that resolves it. Pointed back at its site, it sends what waited, each row once.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from attendance_app.central.database import CentralDatabase, DatabaseError
from attendance_app.central.schema import check_version, schema_version
from attendance_app.i18n import N_, _

RESOLVE = N_("point database.url back at this door's site; or, if this database is now the "
           "site's, run: attendance-app database adopt (sends this door's people and rows to "
           "it); or, to move this door to that other site, run: attendance-app database "
           "join-new-site (its waiting rows stay in its journal)")
"""The ways out of a mismatch, named in its one line."""


class SiteMismatch(DatabaseError):
    """The database the URL names is not (or no longer) this door's site."""


@dataclass(frozen=True)
class ServerSite:
    """What a database says of itself: its id, the newest roster revision it ever gave
    (its sequence, which deleting rows does not lower), and whether it holds or forgot
    anybody."""

    site_id: str
    revision: int
    holds_roster: bool


def read_site(db: psycopg.Connection, database: CentralDatabase) -> ServerSite:
    """The site state of `database`, to which `db` is connected (one query: a push pays
    one round trip for it); DatabaseError (one line: run `database init`) when it is of
    a schema version before site ids."""
    site, revision, holds = db.execute(
        "SELECT (SELECT value FROM attendance_meta WHERE key = 'site_id'),"
        " (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM roster_revision),"
        " EXISTS (SELECT 1 FROM people) OR EXISTS (SELECT 1 FROM forgotten)").fetchone()
    if site is None:
        check_version(database, schema_version(db))
        raise DatabaseError(_("the central database {where} has no site id; give it one with: "
                              "attendance-app database init").format(where=database.where))
    return ServerSite(site, revision, holds)


def short(site: str) -> str:
    """The first 8 characters of a site id: enough to tell sites apart in a message."""
    return site[:8]


def check(database: CentralDatabase, server: ServerSite, remembered: str | None,
          copy_revision: int = 0, copy_holds_people: bool = False) -> None:
    """SiteMismatch (one line) unless `server` is the site the door remembers; a door
    that remembers none yet (new, or never reached a server) matches any."""
    if remembered is None:
        return
    if server.site_id != remembered:
        raise SiteMismatch(_("the central database {where} is not this door's site (its site id is"
                             " {server_id}, this door's is {door_id}: another site's database, or "
                             "this site's made anew); this door sends nothing there and goes on "
                             "with its own copy of the people and its rows; {advice}")
            .format(where=database.where, server_id=short(server.site_id),
                    door_id=short(remembered), advice=_(RESOLVE)))
    if server.revision < copy_revision or (copy_holds_people and not server.holds_roster):
        raise SiteMismatch(_("the central database {where} holds less than this door's copy of its"
                             " people (emptied, or restored from an older backup); this door keeps"
                             " its copy and rows and sends nothing there; if this database stays "
                             "the site's, run: attendance-app database adopt (sends this door's "
                             "people and rows to it)").format(where=database.where))
