"""The workbook files the app saved last, remembered in the journal they were written from,
so that the next process (a `report`, a `void`, an `export` beside a running door) can
replace such a file without reading it back first.

Reading a month's workbook back is what keeps rows the journal lacks from being dropped
(WorkbookSync._check_file), and for a month of 5,000 people it costs 17 s, nearly what
writing it costs (docs/measurements/records_scale.md). A file whose inode, size and
modification time are those of the app's last save of it is that save, holding nothing
but the journal's rows. The signature is kept in the journal's own table of facts
(journal_meta), not beside the file: a journal replaced or restored from a backup, whose
rows may differ, vouches for no file.

With the signature goes what the save held (held(): its month and a digest of its rows'
ids, voids and corrections), so a door's start, which compares the main file with the
journal, learns it from the journal without reading the file either (5,000 people:
16.7 s).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

from attendance_app.records.journal import Journal, JournalError, month_of
from exports import AttendanceRow

log = logging.getLogger(__name__)


Signature = tuple[int, int, int]
"""(inode, size, modification time in ns) of a file."""


def signature_of(path: Path) -> Signature | None:
    """What tells our last save of `path` apart from any later change to it."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def _key(path: Path) -> str:
    return f"saved {path.resolve()}"


def _held_key(path: Path) -> str:
    return f"held {path.resolve()}"


def _inputs_key(path: Path) -> str:
    return f"inputs {path.resolve()}"


def held(rows: Sequence[AttendanceRow]) -> str:
    """What a month file holding `rows` shows of the journal, in a few words: its month
    ("-" when empty), then a digest of each row's id, void and correction in order (what
    a start compares; names and reports are written afresh at every save anyway)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.event_id}\x1f{row.void}\x1f{row.correction}\x1e".encode())
    return f"{month_of(rows[0].timestamp) if rows else '-'}:{len(rows)}:{digest.hexdigest()}"


def _fact(journal: Journal, key: str) -> str | None:
    """One of the journal's own facts, None if unknown or unreadable now."""
    try:
        return journal._meta(key)  # read as the journal reads its own
    except JournalError:
        return None


def last_saved(journal: Journal, path: Path) -> Signature | None:
    """The signature of the app's last save of `path` from `journal`, None if unknown."""
    value = _fact(journal, _key(path))
    try:
        inode, size, modified = (int(part) for part in (value or "").split())
    except ValueError:  # unknown, or not as this version writes it: read the file
        return None
    return inode, size, modified


def _of_last_save(journal: Journal, key: str, path: Path) -> str | None:
    """The fact `key` about the app's last save of `path`, None if unknown: each such
    fact is kept with the signature of the save it describes."""
    value, signature = _fact(journal, key), last_saved(journal, path)
    if not value or signature is None:
        return None
    *saved, fact = value.split()
    return fact if saved == [str(part) for part in signature] else None


def saved_holding(journal: Journal, path: Path) -> str | None:
    """held() of the rows of the app's last save of `path` from `journal`, None if unknown
    (a file the app vouched for without writing it, or saved by a version that kept no
    such fact)."""
    return _of_last_save(journal, _held_key(path), path)


def saved_inputs(journal: Journal, path: Path) -> str | None:
    """What the app's last save of `path` was written from (records.workbook_inputs),
    None if unknown."""
    return _of_last_save(journal, _inputs_key(path), path)


def remember_saved(journal: Journal, path: Path, signature: Signature,
                   holding: str | None = None, inputs: str | None = None) -> None:
    """Remember that the app just saved (or checked) `path` as `signature`, holding rows
    of which `holding` is held() and written from `inputs` (records.workbook_inputs;
    None: not known). A journal that cannot be written now only means the next process
    reads the file back: the save itself succeeded, so this never fails it. (What it
    held is a fact of its own: an earlier version of the app reads the signature as it
    did.)"""
    saved = " ".join(str(part) for part in signature)
    try:
        with journal._open() as db, db:
            db.executemany("INSERT OR REPLACE INTO journal_meta VALUES (?, ?)", [
                (_key(path), saved), (_held_key(path), f"{saved} {holding}" if holding else ""),
                (_inputs_key(path), f"{saved} {inputs}" if inputs else "")])
    except JournalError as error:
        log.debug("could not remember the save of %s: %s", path, error)
