"""`attendance-app database init`, `status`, `send-people`, `add-door-user`, and the two
ways out of a site mismatch (central.site): `adopt` and `join-new-site`.

psycopg and the rest of the central database are imported inside the handlers, so the
other commands never load them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, fail
from attendance_app.i18n import _, ngettext

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.central.database import CentralDatabase
    from attendance_app.central.replica import SharedFaceStore
    from attendance_app.central.site import ServerSite
    from attendance_app.cli.invocation import Invocation
    from attendance_app.records.journal import Journal
    from enrolment import Person


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "database", _("The site's central PostgreSQL database (database.url), shared "
                                 "by several doors."))
    actions = p.add_subparsers(dest="database_command", metavar="ACTION", required=True)
    command(actions, "init", _("Create the attendance tables on the server, or bring them up to "
                             "date (safe to run again)."), init)
    command(actions, "status", _("Check the connection; print the server, the schema version and "
                               "how many people and events it holds."), status)
    command(actions, "send-people", _("Send the people enrolled in this door's own files, its "
                                    "groups and its calendar, to the central database (once, "
                                    "when a site that began with one door adds more)."),
            send_people)
    command(actions, "adopt", _("Make the database the URL names this door's site (its site's "
                              "database was made anew or emptied): send it this door's people "
                              "and every row the door logged since it joined (none is "
                              "doubled)."), adopt)
    command(actions, "join-new-site", _("Move this door to the site of the database the URL "
                                      "names: its copy takes that site's people; rows waiting "
                                      "for the old site stay in its journal."), join_new_site)
    door_user = command(actions, "add-door-user", _("Create a login for one door, with a door's "
                        "rights only (run with the login that owns the tables); the password "
                        "is read from ATTENDANCE_DOOR_PASSWORD or typed, never printed. Run "
                        "again to give it a new password."), add_door_user)
    door_user.add_argument("name", metavar="NAME", help=_("the login's name, e.g. door_gate"))


def _configured(workspace: Workspace) -> CentralDatabase | None:
    central = workspace.central
    if central is None:
        fail(_("no central database is configured; give its URL with --database, "
             "ATTENDANCE_DATABASE_URL or database.url in the settings"))
    return central


def init(args: argparse.Namespace, invocation: Invocation) -> int:
    """Create or update the schema; says which it did."""
    workspace = invocation.workspace
    from attendance_app.central import schema

    central = _configured(workspace)
    if central is None:
        return 1
    before, after = schema.initialise(central)
    if before is None:
        print(_("Created the attendance tables (schema version {version}) in {server}").format(
            version=after, server=central.where))
        local = _local_people(workspace)
        if local:
            print(ngettext("This door has {count} person enrolled in its own files; send "
                           "them to the central database with: {command}",
                           "This door has {count} people enrolled in its own files; send "
                           "them to the central database with: {command}", len(local)).format(
                count=len(local), command=as_typed("database send-people")))
    elif before == after:
        print(_("The attendance tables in {server} are up to date (schema version "
                "{version}); nothing to do").format(server=central.where, version=after))
    else:
        print(_("Updated the attendance tables in {server} from schema version {before} to "
                "{after}").format(server=central.where, before=before, after=after))
    return 0


def status(args: argparse.Namespace, invocation: Invocation) -> int:
    """Check the connection and print what the server holds; 1 when it cannot be used."""
    workspace = invocation.workspace
    from attendance_app.central import schema

    central = _configured(workspace)
    if central is None:
        return 1
    found = schema.status(central)
    print(_("Server: PostgreSQL {version} at {server}").format(version=found.server,
                                                               server=central.where))
    if found.version is None:
        print(_("Schema: none yet; set it up with: attendance-app database init"))
        return 1
    print(_("Schema version: {version}").format(version=found.version))
    schema.check_version(central, found.version)
    print(_("People: {count}").format(count=found.people))
    print(_("Events: {count}").format(count=found.events))
    _print_site(workspace, central)
    return 0


def _print_site(workspace: Workspace, central: CentralDatabase) -> None:
    """The database's site id, and whether this door belongs to that site."""
    from attendance_app.central.site import SiteMismatch

    copy = workspace.roster_copy()
    assert copy is not None, "a central database is configured"
    server = copy.roster.site()
    print(_("Site id: {site}").format(site=server.site_id))
    try:
        copy.check_site(server)
    except SiteMismatch as mismatch:
        print(_("This door: {problem}").format(problem=mismatch))


def _local_people(workspace: Workspace) -> list[Person]:
    """The people enrolled in this door's own face store (none when it has none)."""
    from attendance_app.app.workspace import FACES_FILE
    from enrolment import FaceStore

    path = workspace.data_dir / FACES_FILE
    return FaceStore(path).people() if path.exists() else []


def send_people(args: argparse.Namespace, invocation: Invocation) -> int:
    """Enrol the people of this door's own face store on the central database, with every
    photo and picture, and make its groups and its calendar the site's: a site that
    began with one door keeps its enrolments, groups, closed days and leave when it adds
    more. A name the server knows already
    gets the photos (a group: the members) it lacks."""
    workspace = invocation.workspace
    from attendance_app.app.workspace import FACES_FILE
    from enrolment import FaceStore

    central = _configured(workspace)
    if central is None:
        return 1
    people = _local_people(workspace)
    if not people:
        fail(_("nobody is enrolled in this door's own files ({path}); nothing to send").format(
            path=workspace.data_dir / FACES_FILE))
        return 1
    local, copy = FaceStore(workspace.data_dir / FACES_FILE), workspace.roster_copy()
    assert copy is not None, "a central database is configured"
    copy.pull()
    known = {person.name.casefold() for person in copy.people()}
    for person in people:
        copy.roster.enrol(person.name, local.shot_encodings(person.person_id),
                          copy.same_photo_distance)
    copy.pull()
    joined = sorted(person.name for person in people if person.name.casefold() in known)
    photos = sum(p.encoding_count for p in people)
    print(ngettext("Sent {count} person with {photos} to {server}",
                   "Sent {count} people with {photos} to {server}", len(people)).format(
        count=len(people), server=central.where,
        photos=ngettext("{count} photo", "{count} photos", photos).format(count=photos)))
    if joined:
        print("  " + ngettext("{count} name was there already; its photos were added: {names}",
                              "{count} names were there already; their photos were added: "
                              "{names}", len(joined)).format(
            count=len(joined), names=", ".join(joined[:5]) + (" …" if len(joined) > 5 else "")))
    from attendance_app.central.group_book import send_groups

    sent, merged = send_groups(local, copy)
    if sent:
        print(ngettext("Sent {count} group with its members",
                       "Sent {count} groups with their members", sent).format(count=sent))
        if merged:
            print("  " + _("{groups} existed already: members added, the site's hours kept")
                  .format(groups=", ".join(merged)))
    from attendance_app.central.calendar_book import send_calendar

    closures, leaves = send_calendar(local, copy)
    if closures or leaves:
        print(_("Sent the calendar: {closures} and {leaves}").format(
            closures=ngettext("{count} closure", "{count} closures", closures).format(
                count=closures),
            leaves=ngettext("{count} leave", "{count} leaves", leaves).format(count=leaves)))
    return 0


def add_door_user(args: argparse.Namespace, invocation: Invocation) -> int:
    """Create (or give a new password to) the login of one door; run with the owner's
    login. The password comes from DOOR_PASSWORD_VARIABLE or is typed twice."""
    workspace, name = invocation.workspace, args.name
    from attendance_app.central import door_users

    central = _configured(workspace)
    if central is None:
        return 1
    password = os.environ.get(door_users.DOOR_PASSWORD_VARIABLE)
    if password is None:
        if not sys.stdin.isatty():
            fail(_("no password for the door's login: set {variable}, or run this in a "
                   "terminal to type it").format(variable=door_users.DOOR_PASSWORD_VARIABLE))
            return 1
        password = getpass.getpass(_("Password for the door login {name}: ").format(name=name))
        if getpass.getpass(_("The same password again: ")) != password:
            fail(_("the two passwords differ; nothing was changed"))
            return 1
    created = door_users.add_door_user(central, name, password)
    host = central.where.split("@", 1)[-1]
    print((_("Created the door login {name} on {host}; on the door, use {url} as its database "
             "URL, with the password in ~/.pgpass or ATTENDANCE_DATABASE_URL") if created else
           _("Gave a new password to {name} on {host}; on the door, use {url} as its database "
             "URL, with the password in ~/.pgpass or ATTENDANCE_DATABASE_URL")).format(
        name=name, host=host, url=f"postgresql://{name}@{host}"))
    return 0


def adopt(args: argparse.Namespace, invocation: Invocation) -> int:
    """Make the database the URL names this door's site: the door's site was re-created
    or emptied (or moved to this database). Sends the people of the door's copy, with every
    photo and picture, and every row the door logged since it joined its site (the server
    ignores those it has: their ids), then takes this database's people into the copy."""
    workspace = invocation.workspace
    central = _configured(workspace)
    if central is None:
        return 1
    with _changing_site(workspace) as (copy, journal, server):
        people = {person.person_id: (person.name, copy.roster.enrol(
                      person.name, copy.shot_encodings(person.person_id),
                      copy.same_photo_distance))
                  for person in copy.people()}
        last_event, last_void = journal.last_id(), journal.last_void_id()
        sent, left = resend_rows(central, journal, people)
        journal.mark_sent("events", last_event)
        journal.mark_sent("voids", last_void)
        journal.bind_site(server.site_id)
        copy.start_afresh()
    print(_("This door now belongs to the site of {server}: sent {people} and {rows} (rows "
            "the database had already were left as they were)").format(
        server=central.where,
        people=ngettext("{count} person", "{count} people", len(people)).format(
            count=len(people)),
        rows=ngettext("{count} row", "{count} rows", sent).format(count=sent)))
    if left:
        print("  " + ngettext("{count} row of people this door's copy no longer has (forgotten "
                              "or renamed since) stays in this door's journal only",
                              "{count} rows of people this door's copy no longer has "
                              "(forgotten or renamed since) stay in this door's journal only",
                              left).format(count=left))
    return 0


def join_new_site(args: argparse.Namespace, invocation: Invocation) -> int:
    """Move this door to the site of the database the URL names: its copy takes that
    site's people; its rows waiting for the old site stay in its journal, never sent here."""
    workspace = invocation.workspace
    central = _configured(workspace)
    if central is None:
        return 1
    with _changing_site(workspace) as (copy, journal, server):
        waiting, last_event = journal.unsent_count(), journal.last_id()
        journal.mark_sent("events", last_event)
        journal.mark_sent("voids", journal.last_void_id())
        journal.bind_site(server.site_id, joined_after=last_event)
        copy.start_afresh()
    enrolled = len(copy.people())
    print(ngettext("This door now belongs to the site of {server} ({count} person enrolled "
                   "there)", "This door now belongs to the site of {server} ({count} people "
                   "enrolled there)", enrolled).format(server=central.where, count=enrolled))
    if waiting:
        print("  " + ngettext("{count} row logged for its old site stays in this door's "
                              "journal only", "{count} rows logged for its old site stay in "
                              "this door's journal only", waiting).format(count=waiting))
    return 0


@contextmanager
def _changing_site(workspace: Workspace) -> Iterator[tuple[SharedFaceStore, Journal, ServerSite]]:
    """The door's copy, its journal and the site of the database the URL names, with the
    data folder held: a running door must not log or send while its site changes. A
    journal that never sent is joined first, so nothing from before is sent again."""
    from attendance_app.app.instance_lock import DataFolderLock

    lock = DataFolderLock(workspace.journal_path)
    lock.acquire()
    try:
        copy, journal = workspace.roster_copy(), workspace.journal()
        assert copy is not None, "a central database is configured"
        journal.join_central(copy.site_id)
        yield copy, journal, copy.roster.site()
    finally:
        lock.release()


def resend_rows(central: CentralDatabase, journal: Journal,
                people: Mapping[int, tuple[str, int]]) -> tuple[int, int]:
    """Send every row logged since the door joined its site, with its voids, each under
    its person's id on `central` (`people`: copy's id -> (name, server's id)); (rows sent,
    rows left out because the copy no longer has their person).

    A row is matched by its id when the copy's person of that id has the row's name, else
    by the name alone: rows from before an earlier adopt name people by an older site's
    ids, which may now be someone else's."""
    from dataclasses import replace

    from attendance_app.central.pusher import BATCH, send_events, send_voids
    from enrolment.names import name_key

    by_id = {person_id: (name_key(name), server_id)
             for person_id, (name, server_id) in people.items()}
    by_name = dict(by_id.values())
    rows = journal.events_after(journal.joined_after)
    moved = []
    for event in rows:
        key = name_key(event.name)
        named = by_id.get(event.person_id)
        server_id = named[1] if named is not None and named[0] == key else by_name.get(key)
        if server_id is not None:
            moved.append(replace(event, person_id=server_id))
    door = journal.door_id
    for start in range(0, len(moved), BATCH):
        batch = moved[start:start + BATCH]
        with central.transaction() as db:
            send_events(db, door, batch)
            send_voids(db, door, [(0, event) for event in batch if event.void is not None])
    return len(moved), len(rows) - len(moved)
