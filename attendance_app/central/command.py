"""`attendance-app database init` and `database status`."""

from __future__ import annotations

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.commands import fail
from attendance_app.wording import counted
from attendance_app.workspace import Workspace


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
    print(f"Events: {counted(found.events, 'event')}")
    return 0
