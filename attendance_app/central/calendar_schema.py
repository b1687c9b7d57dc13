"""The server's tables of the calendar (schema version 9): closed days (the site's, or one
group's) and each person's leave, the entries removed, and the functions through which
a door changes them.

The same model as the groups' (central.group_schema): a closure names the server's group
id and a leave the server's person id, so deleting a group ends its closures and
forgetting a person (attendance_forget) ends their leave in the same transaction (ON
DELETE CASCADE), and every door's copy does the same when it deletes them. Revisions come
from the roster's sequence, drawn under the roster lock by the functions below alone, so
a door asking for "the calendar changed after N" never misses an entry and cannot set one
far ahead. A door adds entries with its grants; it removes one only through
attendance_remove_closure and attendance_remove_leave, which record the removal for every
door to fetch: the doors still hold no DELETE or UPDATE on these tables.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

TOUCH_CLOSURE = "attendance_touch_closure"
TOUCH_LEAVE = "attendance_touch_leave"
REMOVE_CLOSURE = "attendance_remove_closure"
REMOVE_LEAVE = "attendance_remove_leave"

_CALENDAR = """
CREATE TABLE closed_days (
    id bigserial PRIMARY KEY,
    first_day date NOT NULL,
    last_day date NOT NULL CHECK (last_day >= first_day),
    name text NOT NULL,
    group_id bigint REFERENCES groups (id) ON DELETE CASCADE,
    created_at text NOT NULL,
    revision bigint NOT NULL DEFAULT 0
);
CREATE INDEX closed_days_by_revision ON closed_days (revision);
CREATE TABLE leave (
    id bigserial PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    first_day date NOT NULL,
    last_day date NOT NULL CHECK (last_day >= first_day),
    reason text NOT NULL,
    created_at text NOT NULL,
    revision bigint NOT NULL DEFAULT 0
);
CREATE INDEX leave_by_revision ON leave (revision);
CREATE INDEX leave_by_person ON leave (person_id);
CREATE TABLE calendar_removed (
    kind text NOT NULL CHECK (kind IN ('closure', 'leave')),
    entry_id bigint NOT NULL,
    revision bigint NOT NULL,
    PRIMARY KEY (kind, entry_id)
);
CREATE INDEX calendar_removed_by_revision ON calendar_removed (revision);
CREATE FUNCTION attendance_touch_closure(which bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $touch$
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    UPDATE closed_days SET revision = nextval('roster_revision') WHERE id = which;
    PERFORM pg_notify({channel}, '');
END
$touch$;
CREATE FUNCTION attendance_touch_leave(which bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $touch$
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    UPDATE leave SET revision = nextval('roster_revision') WHERE id = which;
    PERFORM pg_notify({channel}, '');
END
$touch$;
CREATE FUNCTION attendance_remove_closure(which bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $remove$
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    DELETE FROM closed_days WHERE id = which;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO calendar_removed VALUES ('closure', which, nextval('roster_revision'));
    PERFORM pg_notify({channel}, '');
    RETURN true;
END
$remove$;
CREATE FUNCTION attendance_remove_leave(which bigint) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $remove$
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    DELETE FROM leave WHERE id = which;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    INSERT INTO calendar_removed VALUES ('leave', which, nextval('roster_revision'));
    PERFORM pg_notify({channel}, '');
    RETURN true;
END
$remove$;
REVOKE ALL ON FUNCTION attendance_touch_closure(bigint), attendance_touch_leave(bigint),
    attendance_remove_closure(bigint), attendance_remove_leave(bigint) FROM PUBLIC;
GRANT SELECT ON closed_days, leave, calendar_removed TO {door};
GRANT INSERT (first_day, last_day, name, group_id, created_at) ON closed_days TO {door};
GRANT INSERT (person_id, first_day, last_day, reason, created_at) ON leave TO {door};
GRANT USAGE ON SEQUENCE closed_days_id_seq, leave_id_seq TO {door};
GRANT EXECUTE ON FUNCTION attendance_touch_closure(bigint), attendance_touch_leave(bigint),
    attendance_remove_closure(bigint), attendance_remove_leave(bigint) TO {door};
"""
# No UPDATE at all: an entry is added or removed, never changed (to change one, remove it
# and add it again, as `holiday` and `leave` say). An id removed is never used again (the
# sequences), so calendar_removed never meets one twice.


def create_calendar(db: psycopg.Connection, roster_lock: int, channel: str, door: str) -> None:
    """Make the tables and functions above in the current schema, granted to the doors'
    role `door`; the functions take `roster_lock` and notify `channel`, as the roster's."""
    schema = db.execute("SELECT current_schema()").fetchone()[0]
    db.execute(sql.SQL(_CALENDAR).format(schema=sql.Identifier(schema),
                                         roster_lock=sql.Literal(roster_lock),
                                         channel=sql.Literal(channel),
                                         door=sql.Identifier(door)))
