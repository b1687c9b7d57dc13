"""`attendance-app database add-door-user NAME`: a login for one door, with a door's rights.

A door's login is a member of the database's doors' role (schema.door_role), so it has
exactly what a door needs and no more (schema._DOOR_GRANTS): with its password a thief of
one door can add rows, not delete the site's log. The password is read from the
environment (DOOR_PASSWORD_VARIABLE) or typed twice, never echoed or printed, and is sent
to the server only as a SCRAM verifier made here (libpq's PQencryptPasswordConn), so the
plain password is in no statement the server could log and in no server file.
"""

from __future__ import annotations

import re

from psycopg import sql

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase, DatabaseError, describe
from attendance_app.i18n import _

DOOR_PASSWORD_VARIABLE = "ATTENDANCE_DOOR_PASSWORD"

LOGIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
"""Login names that need no quoting in a URL or in SQL: letters, digits and _."""


_IS_DOOR = """
SELECT NOT (r.rolsuper OR r.rolcreaterole OR r.rolname = current_user) AND EXISTS (
    SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
    WHERE g.rolname = %s AND m.member = r.oid AND NOT m.admin_option)
FROM pg_roles r WHERE r.rolname = %s
"""
# Whether an existing role is a door's login (None: no such role): a plain member of the
# doors' role. Not any member: the login that created that role is one too (with the
# admin option, since PostgreSQL 16), and its password is not this command's to change.


def add_door_user(database: CentralDatabase, name: str, password: str) -> bool:
    """Create the door login `name` with `password`, or give an existing door login that
    password; True when it was created. DatabaseError (one line) when it cannot be."""
    if not LOGIN_NAME.fullmatch(name):
        raise DatabaseError(_("{name!r} cannot be a door's login name: use letters, digits and _ "
                              "(at most 63, not starting with a digit), e.g. door_gate")
            .format(name=name))
    if not password:
        raise DatabaseError(_("a door's login needs a password; set {variable} or type one when "
                              "asked").format(variable=DOOR_PASSWORD_VARIABLE))
    with database.transaction() as db:
        schema.check_version(database, schema.schema_version(db))
        group = schema.door_role(db)
        verifier = db.pgconn.encrypt_password(password.encode(), name.encode(),
                                              b"scram-sha-256").decode()
        found = db.execute(_IS_DOOR, (group, name)).fetchone()
        if found is not None and not found[0]:
            raise DatabaseError(_("{name} is a login of its own on {server}, not a door's; choose "
                                  "another name").format(name=name, server=describe(database.url)))
        statement = ("ALTER ROLE {} PASSWORD {}" if found else
                     "CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}")
        db.execute(sql.SQL(statement).format(sql.Identifier(name), sql.Literal(verifier),
                                             sql.Identifier(group)))
    return found is None
