"""The app's private SQLite files: created owner-only, checked on open, failures as one line.

The face store, the attendance journal, the unknown visitors' store and a door's copy of
the central roster are SQLite files holding personal data. They are created readable by
their owner only, a file that could not be set up on first start is removed again, and
every SQLite or file-system failure (disk full, folder not writable, a damaged file)
becomes the caller's own one-line error instead of a traceback.

Each kind of file carries its own SQLite application id (FileKind), so that another
program's database, or one of our files given in the place of another (the journal as the
face store), is refused on open instead of being read as "nobody enrolled". A file of an
earlier version has application id 0: it is accepted when its tables are ours, and
stamped. On open a file is also read through (`PRAGMA quick_check`), so a damaged page is
found at start, not in the middle of a run: measured 25 ms for a 25 MB face store (1,000
people, 3 photos each) and 55 ms for a 24 MB journal (200,000 rows).

What happens to a damaged or foreign file is the owner's choice: the face store (the
roster, kept nowhere else) refuses it in one line; the caches and the journal keep its
bytes beside it as NAME.damaged-DATE-TIME.sqlite3 (never deleted) and start afresh, with a
one-line warning, so the door keeps running.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

Connect = Callable[[], sqlite3.Connection]


@dataclass(frozen=True)
class FileKind:
    """One kind of SQLite file of this app: what to call it in a message, its application
    id, and the tables whose presence makes a file of an earlier version (application id 0)
    one of this kind."""

    label: str
    application_id: int
    tables: frozenset[str]


# Application ids are 32-bit numbers written in the file header; these spell ATDF, ATDJ,
# ATDU and ATDR in ASCII, so `file` or a hex dump tells them apart.
FACE_STORE = FileKind("face store", 0x41544446, frozenset({"people", "encodings"}))
JOURNAL = FileKind("attendance journal", 0x4154444A, frozenset({"events"}))
UNKNOWNS = FileKind("unknown visitors' store", 0x41544455, frozenset({"sightings"}))
ROSTER_COPY = FileKind("copy of the central roster", 0x41544452,
                       frozenset({"people", "encodings", "replica_state"}))
OUTBOX = FileKind("outbox of messages", 0x4154444D, frozenset({"outbox"}))
_KINDS = {kind.application_id: kind
          for kind in (FACE_STORE, JOURNAL, UNKNOWNS, ROSTER_COPY, OUTBOX)}

_DAMAGE_WORDS = ("malformed", "not a database", "file is encrypted")
"""SQLite's words for a damaged file, for errors that carry no error code."""


class DamagedFile(Exception):
    """The file at `path` is damaged or not a file of this kind; `reason` says how."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path} is damaged or not a file of this app ({reason})")
        self.path = path
        self.reason = reason


def is_damage(error: Exception) -> bool:
    """Whether an SQLite error means the file itself is damaged or not a database (rather
    than a full disk or a locked file): SQLITE_CORRUPT or SQLITE_NOTADB, by error code
    (extended codes included) or, without one, by SQLite's words."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return True
    return any(words in str(error) for words in _DAMAGE_WORDS)


def storage_problem(path: Path, error: Exception) -> str:
    """One line saying why an SQLite file of ours failed and what the user can do."""
    if is_damage(error):
        return f"{DamagedFile(path, str(error))}: move it aside or restore a backup"
    reason = getattr(error, "strerror", None) or str(error)
    return (f"{path} cannot be written or read ({reason}): check free disk space and that "
            "the folder is writable")


def remove_partial(path: Path) -> None:
    """Delete a database file this process has just created but could not set up, with
    SQLite's rollback journal, so a failed first start leaves nothing half-made behind."""
    for leftover in (path, path.with_name(path.name + "-journal")):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def connection(path: Path, connect: Connect, error: type[Exception],
               start_afresh: Callable[[DamagedFile], str] | None = None,
               ) -> Iterator[sqlite3.Connection]:
    """A connection from `connect` that is closed afterwards; SQLite errors become `error`.

    start_afresh: for a cache, what replaces the file when it turns out damaged while in
    use (returns the line saying so, the message of the `error` then raised): the action
    that met the damage fails, the next one finds a sound, empty file."""
    try:
        with closing(connect()) as db:
            yield db
    except sqlite3.Error as failure:
        if start_afresh is not None and is_damage(failure):
            raise error(start_afresh(DamagedFile(path, str(failure)))) from None
        raise error(storage_problem(path, failure)) from None


def _refusal(db: sqlite3.Connection, kind: FileKind) -> str | None:
    """Why the open file cannot be used as a file of `kind`: another kind, or damaged
    (None: it is a sound one, or empty). A file of an earlier version (application id 0)
    whose tables are ours is stamped with the id."""
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    if application_id not in (0, kind.application_id):
        other = _KINDS.get(application_id)
        return (f"it is this app's {other.label}, not its {kind.label}" if other else
                f"its application id {application_id:#x} is another program's")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application_id == 0 and tables and not kind.tables <= tables:
        return f"its tables are not those of the app's {kind.label}"
    problems = [row[0] for row in db.execute("PRAGMA quick_check(1)")]
    if problems != ["ok"]:  # e.g. "*** in database main ***\nPage 44: btreeInitPage() ..."
        detail = [line for line in problems[0].splitlines() if not line.startswith("***")]
        return "; ".join(["database disk image is malformed", *detail[:1]])
    if application_id == 0:
        try:
            db.execute(f"PRAGMA application_id = {kind.application_id}")
        except sqlite3.OperationalError as failure:
            # A read-only file or folder (no room for SQLite's rollback journal): read
            # as it is, and stamped when it can be.
            code = (getattr(failure, "sqlite_errorcode", None) or 0) & 0xFF
            if code not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
                raise
    return None


def _set_up(path: Path, schema: str, connect: Connect, error: type[Exception],
            kind: FileKind) -> None:
    """Make sure `path` exists (created 0600, folders as needed), is a file of `kind` and
    holds `schema`; DamagedFile when it is damaged or another kind of file."""
    created = False
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            created = True
        with closing(connect()) as db:
            reason = _refusal(db, kind)
            if reason is not None:
                raise DamagedFile(path, reason)
            with db:
                db.executescript(schema)
    except sqlite3.Error as failure:
        if created:
            remove_partial(path)
        if is_damage(failure):
            raise DamagedFile(path, str(failure)) from None
        raise error(storage_problem(path, failure)) from None
    except OSError as failure:
        if created:
            remove_partial(path)
        raise error(storage_problem(path, failure)) from None


def aside_name(path: Path, reason: str = "damaged") -> Path:
    """NAME.REASON-DATE-TIME.sqlite3 beside `path`, one not taken yet (nor its SQLite
    leftover journal): where a file of ours is kept when it must make way."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}")
    number = 1
    while aside.exists() or aside.with_name(aside.name + "-journal").exists():
        number += 1
        aside = path.with_name(f"{path.stem}.{reason}-{stamp}-{number}{path.suffix}")
    return aside


def move_aside(path: Path) -> Path:
    """Keep the bytes of a damaged `path` in a new owner-only file beside it (returned),
    with SQLite's leftover journal files, then empty `path` in place.

    Copied and emptied rather than renamed: the file keeps its place, so the lock a running
    door holds on its journal (attendance_app.app.instance_lock) stays on journal.sqlite3.
    Nothing is emptied unless the copy reached the disk whole.
    """
    aside = aside_name(path)
    try:
        with open(path, "rb") as damaged, \
                open(os.open(aside, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as kept:
            shutil.copyfileobj(damaged, kept)
            kept.flush()
            os.fsync(kept.fileno())
    except OSError:
        aside.unlink(missing_ok=True)
        raise
    for suffix in ("-journal", "-wal", "-shm"):
        leftover = path.with_name(path.name + suffix)
        if leftover.exists():
            os.replace(leftover, aside.with_name(aside.name + suffix))
    os.truncate(path, 0)
    return aside


def start_afresh(path: Path, schema: str, connect: Connect, error: type[Exception],
                 kind: FileKind, damage: DamagedFile, fresh_start: str) -> str:
    """Move the damaged file at `path` aside (move_aside) and set up an empty file of
    `kind` in its place; returns the line saying so, ending with `fresh_start` (what
    follows, e.g. "a fresh journal is started"). `error` when either step fails."""
    try:
        aside = move_aside(path)
    except OSError as failure:
        raise error(f"{damage}, and it cannot be moved aside ({failure.strerror}): "
                    "check free disk space, then move it aside or restore a backup") from None
    try:
        _set_up(path, schema, connect, error, kind)
    except DamagedFile as again:
        raise error(f"{again}: move it aside or restore a backup") from None
    return f"{damage}: moved aside to {aside}; {fresh_start}"


def create_private(path: Path, schema: str, connect: Connect, error: type[Exception],
                   kind: FileKind, fresh_start: str | None = None) -> None:
    """Make sure `path` exists (created 0600, folders as needed), is a file of `kind` and
    holds `schema`.

    A damaged or foreign file raises `error` ("… move it aside or restore a backup") when
    `fresh_start` is None. Otherwise it is moved aside and replaced (start_afresh), and a
    warning says where to and what follows (`fresh_start`).
    """
    try:
        _set_up(path, schema, connect, error, kind)
    except DamagedFile as damage:
        if fresh_start is None:
            raise error(f"{damage}: move it aside or restore a backup") from None
        log.warning("%s", start_afresh(path, schema, connect, error, kind, damage, fresh_start))
