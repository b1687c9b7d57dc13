"""`attendance-app database init`, `status`, `send-people` and `add-door-user`."""

from __future__ import annotations

import getpass
import os
import sys

from attendance_app.central import schema
from attendance_app.central.door_users import DOOR_PASSWORD_VARIABLE, add_door_user
from attendance_app.central.database import CentralDatabase
from attendance_app.commands import as_typed, fail
from attendance_app.wording import counted
from attendance_app.workspace import FACES_FILE, Workspace
from enrolment import FaceStore, Person


def _configured(workspace: Workspace) -> CentralDatabase | None:
    central = workspace.central
    if central is None:
        fail("no central database is configured; give its URL with --database, "
             "ATTENDANCE_DATABASE_URL or database.url in the settings")
    return central


def init(workspace: Workspace) -> int:
    """Create or update the schema; says which it did."""
    central = _configured(workspace)
    if central is None:
        return 1
    before, after = schema.initialise(central)
    if before is None:
        print(f"Created the attendance tables (schema version {after}) in {central.where}")
        local = _local_people(workspace)
        if local:
            print(f"This door has {counted(len(local), 'person', 'people')} enrolled in its own "
                  "files; send them to the central database with: "
                  + as_typed("database send-people"))
    elif before == after:
        print(f"The attendance tables in {central.where} are up to date (schema version "
              f"{after}); nothing to do")
    else:
        print(f"Updated the attendance tables in {central.where} from schema version {before} "
              f"to {after}")
    return 0


def status(workspace: Workspace) -> int:
    """Check the connection and print what the server holds; 1 when it cannot be used."""
    central = _configured(workspace)
    if central is None:
        return 1
    found = schema.status(central)
    print(f"Server: PostgreSQL {found.server} at {central.where}")
    if found.version is None:
        print("Schema: none yet; set it up with: attendance-app database init")
        return 1
    print(f"Schema version: {found.version}")
    schema.check_version(central, found.version)
    print(f"People: {found.people}")
    print(f"Events: {found.events}")
    return 0


def _local_people(workspace: Workspace) -> list[Person]:
    """The people enrolled in this door's own face store (none when it has none)."""
    path = workspace.data_dir / FACES_FILE
    return FaceStore(path).people() if path.exists() else []


def send_people(workspace: Workspace) -> int:
    """Enrol the people of this door's own face store on the central database, with every
    photo and picture: a site that began with one door keeps its enrolments when it adds
    more. A name the server knows already gets the photos it lacks."""
    central = _configured(workspace)
    if central is None:
        return 1
    people = _local_people(workspace)
    if not people:
        fail(f"nobody is enrolled in this door's own files ({workspace.data_dir / FACES_FILE}); "
             "nothing to send")
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
    print(f"Sent {counted(len(people), 'person', 'people')} with "
          f"{counted(sum(p.encoding_count for p in people), 'photo')} to {central.where}")
    if joined:
        print(f"  {counted(len(joined), 'name')} were there already; their photos were added: "
              + ", ".join(joined[:5]) + (" …" if len(joined) > 5 else ""))
    return 0


def door_user(workspace: Workspace, name: str) -> int:
    """Create (or give a new password to) the login of one door; run with the owner's
    login. The password comes from DOOR_PASSWORD_VARIABLE or is typed twice."""
    central = _configured(workspace)
    if central is None:
        return 1
    password = os.environ.get(DOOR_PASSWORD_VARIABLE)
    if password is None:
        if not sys.stdin.isatty():
            fail(f"no password for the door's login: set {DOOR_PASSWORD_VARIABLE}, or run "
                 "this in a terminal to type it")
            return 1
        password = getpass.getpass(f"Password for the door login {name}: ")
        if getpass.getpass("The same password again: ") != password:
            fail("the two passwords differ; nothing was changed")
            return 1
    created = add_door_user(central, name, password)
    host = central.where.split("@", 1)[-1]
    print(f"{'Created the door login' if created else 'Gave a new password to'} {name} on "
          f"{host}; on the door, use postgresql://{name}@{host} as its database URL, with the "
          "password in ~/.pgpass or ATTENDANCE_DATABASE_URL")
    return 0
