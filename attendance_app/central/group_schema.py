"""The server's tables of groups (schema version 7): groups with their hours, their
members, the groups removed, and the functions through which a door changes them.

Groups are the site's, like the people: a membership names the server's person id, so
forgetting a person (attendance_forget) ends their memberships in the same transaction
(ON DELETE CASCADE), and every door's copy does the same when it erases them. A group's
revision comes from the roster's sequence, drawn under the roster lock by the functions
below alone (as attendance_touch does for people), so a door that asks for "the groups
changed after N" never misses one, and a door cannot set a revision far ahead. A door
adds and renames groups and adds members with its grants; it removes a group or members
only through attendance_remove_group and attendance_leave_group, which give every door
the change to fetch: the doors still hold no DELETE on any table. groups_removed: which
groups went (their id only), as `forgotten` does for people.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

TOUCH_GROUP = "attendance_touch_group"
REMOVE_GROUP = "attendance_remove_group"
LEAVE_GROUP = "attendance_leave_group"

_GROUPS = """
CREATE TABLE groups (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    name_key text NOT NULL UNIQUE,
    days integer NOT NULL,
    start text NOT NULL,
    grace integer NOT NULL,
    end_time text,
    created_at text NOT NULL,
    revision bigint NOT NULL DEFAULT 0
);
CREATE INDEX groups_by_revision ON groups (revision);
CREATE TABLE group_members (
    group_id bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX group_members_by_person ON group_members (person_id);
CREATE TABLE groups_removed (group_id bigint PRIMARY KEY, revision bigint NOT NULL);
CREATE INDEX groups_removed_by_revision ON groups_removed (revision);
CREATE FUNCTION attendance_touch_group(which bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $touch$
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    UPDATE groups SET revision = nextval('roster_revision') WHERE id = which;
    PERFORM pg_notify({channel}, '');
END
$touch$;
CREATE FUNCTION attendance_remove_group(which bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $remove$
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    DELETE FROM groups WHERE id = which;
    INSERT INTO groups_removed VALUES (which, nextval('roster_revision'))
        ON CONFLICT (group_id) DO UPDATE SET revision = EXCLUDED.revision;
    PERFORM pg_notify({channel}, '');
END
$remove$;
CREATE FUNCTION attendance_leave_group(which bigint, who bigint[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $leave$
DECLARE
    taken integer;
BEGIN
    PERFORM pg_advisory_xact_lock({roster_lock});
    DELETE FROM group_members WHERE group_id = which AND person_id = ANY(who);
    GET DIAGNOSTICS taken = ROW_COUNT;
    UPDATE groups SET revision = nextval('roster_revision') WHERE id = which;
    PERFORM pg_notify({channel}, '');
    RETURN taken;
END
$leave$;
REVOKE ALL ON FUNCTION attendance_touch_group(bigint), attendance_remove_group(bigint),
    attendance_leave_group(bigint, bigint[]) FROM PUBLIC;
GRANT SELECT ON groups, group_members, groups_removed TO {door};
GRANT INSERT (name, name_key, days, start, grace, end_time, created_at),
    UPDATE (name, name_key, days, start, grace, end_time) ON groups TO {door};
GRANT INSERT ON group_members TO {door};
GRANT USAGE ON SEQUENCE groups_id_seq TO {door};
GRANT EXECUTE ON FUNCTION attendance_touch_group(bigint), attendance_remove_group(bigint),
    attendance_leave_group(bigint, bigint[]) TO {door};
"""
# INSERT on group_members needs no UPDATE: assigning twice is INSERT ... ON CONFLICT DO
# NOTHING. UPDATE of groups covers the name and hours columns only, never the revision.


def create_groups(db: psycopg.Connection, roster_lock: int, channel: str, door: str) -> None:
    """Make the tables and functions above in the current schema, granted to the doors'
    role `door`; the functions take `roster_lock` and notify `channel`, as the roster's."""
    schema = db.execute("SELECT current_schema()").fetchone()[0]
    db.execute(sql.SQL(_GROUPS).format(schema=sql.Identifier(schema),
                                       roster_lock=sql.Literal(roster_lock),
                                       channel=sql.Literal(channel),
                                       door=sql.Identifier(door)))
