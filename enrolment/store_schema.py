"""The face store's tables, indexes and change counter, and upgrading a store made by an
earlier version to them."""

from __future__ import annotations

import sqlite3

from enrolment.names import name_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    name_key TEXT
);
CREATE TABLE IF NOT EXISTS encodings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    vector BLOB NOT NULL,
    face_image BLOB,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    photo_hash TEXT,
    engine TEXT NOT NULL DEFAULT 'dlib',
    shot INTEGER
);
"""
# encodings.engine: the engine that made the vector ('dlib' in stores made before engines
# had names, which is what made them).
# encodings.shot: which photo or camera shot the row encodes. NULL in the shot's first row,
# the id of that first row in the rows other engines added for it: COALESCE(shot, id) names
# the shot. A NULL (rather than the row's own id) makes every row of an earlier version a
# shot of its own as it is, with no rewrite of each row and its face image at upgrade.
# A shot's face image is stored once: in its first row, or the first row that brought one.

GROUPS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL, name_key TEXT NOT NULL UNIQUE, days INTEGER NOT NULL,"
    " start TEXT NOT NULL, grace INTEGER NOT NULL, end_time TEXT, created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS group_members ("
    " group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " PRIMARY KEY (group_id, person_id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS group_members_by_person ON group_members(person_id)",
)
"""Groups and their members (enrolment.groups), added to stores of earlier versions as
they are opened. The index by person makes forgetting a person (the cascade) one lookup."""

CALENDAR_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS closed_days (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " first_day TEXT NOT NULL, last_day TEXT NOT NULL, name TEXT NOT NULL,"
    " group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE, created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS leave (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " first_day TEXT NOT NULL, last_day TEXT NOT NULL, reason TEXT NOT NULL,"
    " created_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS leave_by_person ON leave(person_id)",
    "CREATE TABLE IF NOT EXISTS calendar_log (counter INTEGER PRIMARY KEY AUTOINCREMENT,"
    " first_day TEXT NOT NULL, last_day TEXT NOT NULL)",
    *(f"CREATE TRIGGER IF NOT EXISTS calendar_log_{table}_{change.lower()} AFTER {change}"
      f" ON {table} BEGIN INSERT INTO calendar_log (first_day, last_day) VALUES"
      f" ({row}.first_day, {row}.last_day); DELETE FROM calendar_log WHERE counter <="
      f" (SELECT MAX(counter) FROM calendar_log) - 4096; END"
      for table in ("closed_days", "leave") for change, row in (("INSERT", "NEW"),
                                                                 ("DELETE", "OLD"))),
)
"""Closed days (the site's, or a group's: group_id) and each person's leave
(enrolment.days_off), beside the groups' tables and added the same way; days as
'YYYY-MM-DD', both ends included. Forgetting a person or deleting a group ends their
leave or closures in the same transaction (the cascades). calendar_log: the days of every
entry added or removed, by whoever (a command beside a running door, a roster copy's
pull of another door's change), so the door writing the workbook rewrites their months
(DaysOffBook.changed_since); triggers, as for roster_log, keeping the last 4,096."""

_CHANGES_TABLE = ("CREATE TABLE IF NOT EXISTS roster_changes"
                  " (id INTEGER PRIMARY KEY CHECK (id = 1), counter INTEGER NOT NULL)")
_CHANGES_ROW = "INSERT OR IGNORE INTO roster_changes (id, counter) VALUES (1, 0)"
_BUMP = "UPDATE roster_changes SET counter = counter + 1 WHERE id = 1"
# An UPDATE, never an INSERT OR REPLACE: a statement in a trigger takes the conflict
# clause of the statement that fired it (an INSERT OR IGNORE or an upsert of the roster
# copy's pull), which would turn a REPLACE into an ABORT or a silent no-op.
_LOG_TABLE = ("CREATE TABLE IF NOT EXISTS roster_log"
              " (counter INTEGER PRIMARY KEY, person_id INTEGER)")
LOG_KEPT = 4096
"""How many changes the log keeps: a door more changes behind than this rebuilds its
gallery (the log must not grow with the store's history)."""
_CHANGES = (("enrolled", "INSERT ON people", "NEW.id"), ("renamed", "UPDATE ON people", "NEW.id"),
            ("forgotten", "DELETE ON people", "OLD.id"),
            ("encoding_added", "INSERT ON encodings", "NEW.person_id"),
            ("encoding_deleted", "DELETE ON encodings", "OLD.person_id"),
            ("voided", "UPDATE OF voided ON event_faces", "NULL"))
_CHANGES_TRIGGERS = (
    *(f"DROP TRIGGER IF EXISTS roster_changes_{name}" for name, _, _ in _CHANGES),
    *(f"CREATE TRIGGER IF NOT EXISTS roster_log_{name} AFTER {change} BEGIN {_BUMP}; "
      "INSERT INTO roster_log (counter, person_id)"
      f" SELECT counter, {person} FROM roster_changes WHERE id = 1; "
      f"DELETE FROM roster_log WHERE counter <= (SELECT counter FROM roster_changes"
      f" WHERE id = 1) - {LOG_KEPT}; END"
      for name, change, person in _CHANGES))
"""A running door must notice people enrolled, renamed or forgotten (and rows voided) by
another process, e.g. `attendance-app forget` beside it (issue 20). Every write that
changes what a gallery holds bumps one counter in the file, whoever makes it: the door
reads that one row every second or so (FaceStore.change_counter), which costs the same at
2,000 people as at 2. Each bump also logs whose roster entry it touched (roster_log; NULL
for a voided row, which changes the negatives), so the door replaces only those people in
its gallery (FaceStore.changed_since) instead of reading every encoding again (issue 22:
495 ms at 20,000 people). Triggers, not code in each method, so no writer can forget; the
triggers of earlier versions (roster_changes_*, a bump alone) are replaced by these."""

_INDEXES = (
    # a person's rows and their shots (counting photos from the index alone)
    "CREATE INDEX IF NOT EXISTS encodings_by_shot ON encodings(person_id, shot)",
    # one engine's rows: all of them (a gallery), a person's, a shot's
    "CREATE INDEX IF NOT EXISTS encodings_by_engine ON encodings(engine, person_id, shot)",
    # the index of earlier versions: encodings_by_shot begins with the same column
    "DROP INDEX IF EXISTS encodings_by_person",
)


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def upgrade(db: sqlite3.Connection) -> None:
    """Give a store made by an earlier version the columns, tables and indexes added since:
    name keys (with their index), photo hashes, engines, shots, groups, the calendar.

    Old stores may hold two people whose names differ only in non-ASCII case (the bug the
    keys fix); the index is then made without uniqueness, and both stay listed so they
    can be renamed or forgotten. Their encodings are dlib's, each a shot of its own.
    """
    if "photo_hash" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN photo_hash TEXT")
    if "engine" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN engine TEXT NOT NULL DEFAULT 'dlib'")
    if "shot" not in _columns(db, "encodings"):
        db.execute("ALTER TABLE encodings ADD COLUMN shot INTEGER")
    for statement in (*_INDEXES, *GROUPS_SCHEMA, *CALENDAR_SCHEMA, _CHANGES_TABLE,
                      _CHANGES_ROW, _LOG_TABLE, *_CHANGES_TRIGGERS):
        db.execute(statement)
    if "name_key" not in _columns(db, "people"):
        db.execute("ALTER TABLE people ADD COLUMN name_key TEXT")
    rows = db.execute("SELECT id, name FROM people WHERE name_key IS NULL").fetchall()
    db.executemany("UPDATE people SET name_key = ? WHERE id = ?",
                   [(name_key(name), person_id) for person_id, name in rows])
    try:
        db.execute("CREATE UNIQUE INDEX IF NOT EXISTS people_by_key ON people(name_key)")
    except sqlite3.IntegrityError:
        db.execute("CREATE INDEX IF NOT EXISTS people_by_key ON people(name_key)")


def people_changed(db: sqlite3.Connection, since: int,
                   engine: str) -> tuple[int, set[int] | None]:
    """The change counter now and the ids of the people whose roster entry changed after
    change `since` (enrolled, renamed, forgotten, encodings added or deleted); None for
    the ids when the log cannot say (it no longer reaches back to `since`, or a row was
    voided meanwhile: the negatives changed) or when a changed person has a shot with no
    encoding of `engine` yet (it must be computed first): then the whole gallery must be
    read again."""
    row = db.execute("SELECT counter FROM roster_changes WHERE id = 1").fetchone()
    now = 0 if row is None else row[0]
    if now == since:
        return now, set()
    rows = db.execute("SELECT counter, person_id FROM roster_log WHERE counter > ?"
                      " ORDER BY counter", (since,)).fetchall()
    if since > now or not rows or rows[0][0] != since + 1 or len(rows) != now - since:
        return now, None
    people = {person for _, person in rows}
    if None in people:
        return now, None
    lacking = db.execute(
        f"SELECT 1 FROM encodings s WHERE s.person_id IN ({','.join('?' * len(people))})"
        " AND NOT EXISTS (SELECT 1 FROM encodings o WHERE o.engine = ?"
        " AND o.person_id = s.person_id AND COALESCE(o.shot, o.id) = COALESCE(s.shot, s.id))"
        " LIMIT 1", (*people, engine)).fetchone()
    return now, None if lacking else people
