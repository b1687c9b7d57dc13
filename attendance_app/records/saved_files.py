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
"""

from __future__ import annotations

import logging
from pathlib import Path

from attendance_app.records.journal import Journal, JournalError

log = logging.getLogger(__name__)

Signature = tuple[int, int, int]
"""(inode, size, modification time in ns) of a file."""


def _key(path: Path) -> str:
    return f"saved {path.resolve()}"


def last_saved(journal: Journal, path: Path) -> Signature | None:
    """The signature of the app's last save of `path` from `journal`, None if unknown."""
    try:
        value = journal._meta(_key(path))  # the journal's own facts, read as it reads its own
    except JournalError:
        return None
    if value is None:
        return None
    inode, size, modified = (int(part) for part in value.split())
    return inode, size, modified


def remember_saved(journal: Journal, path: Path, signature: Signature) -> None:
    """Remember that the app just saved (or checked) `path` as `signature`. A journal that
    cannot be written now only means the next process reads the file back: the save
    itself succeeded, so this never fails it."""
    try:
        with journal._open() as db, db:
            db.execute("INSERT OR REPLACE INTO journal_meta VALUES (?, ?)",
                       (_key(path), " ".join(str(part) for part in signature)))
    except JournalError as error:
        log.debug("could not remember the save of %s: %s", path, error)
