"""Where the app keeps its files, and which setting or option chose each place.

One data folder holds the face store, the journal and (by default) the workbook, so a
user can back up, move or erase everything by handling one folder. The precedences
(command-line option > environment > settings file > default) are applied here, once;
the objects built from these places are attendance_app.app.workspace's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from platformdirs import user_data_dir

from attendance_app.config.settings import AppConfig, check_database_url
from attendance_app.errors import AttendanceError
from attendance_app.i18n import _
from exports.owner_only import make_folder

FACES_FILE = "faces.sqlite3"
JOURNAL_FILE = "journal.sqlite3"
WORKBOOK_FILE = "attendance.xlsx"
ROSTER_COPY_FILE = "central-roster.sqlite3"
"""With a central database: the door's copy of its roster (attendance_app.central.replica),
beside and apart from faces.sqlite3, whose people have this door's own ids."""
DATABASE_URL_VARIABLE = "ATTENDANCE_DATABASE_URL"


class WorkspaceError(AttendanceError):
    """The data folder or workbook location cannot be used."""


def default_data_dir() -> Path:
    """The platform's per-user data folder, e.g. ~/.local/share/attendance-app."""
    return Path(user_data_dir("attendance-app", appauthor=False))


def _database_url(config: AppConfig, database: str | None) -> tuple[str, str]:
    """(URL, where it came from) by the precedence --database > ATTENDANCE_DATABASE_URL >
    database.url: an error names the place to correct."""
    if database:
        return database, "--database"
    if os.environ.get(DATABASE_URL_VARIABLE):
        return os.environ[DATABASE_URL_VARIABLE], DATABASE_URL_VARIABLE
    return config.database.url, _("database.url in the settings")


@dataclass(frozen=True)
class Paths:
    """The settings and file locations of one run of the app, with the precedences that
    chose them applied (`resolve`). Building nothing: what is made from them is
    attendance_app.app.workspace's job."""

    config: AppConfig
    data_dir: Path
    workbook_path: Path
    database_url: str = ""

    @classmethod
    def resolve(cls, config: AppConfig, data_dir: Path | None, workbook: Path | None,
                database: str | None = None) -> Self:
        """Apply the precedences --workbook > config attendance.workbook > data folder, and
        --database > ATTENDANCE_DATABASE_URL > config database.url (a subclass resolves
        to itself)."""
        data_dir = (data_dir or default_data_dir()).expanduser().resolve()
        if workbook is None and config.attendance.workbook:
            workbook = Path(config.attendance.workbook).expanduser()
            if not workbook.is_absolute():
                workbook = data_dir / workbook
        workbook = (workbook or data_dir / WORKBOOK_FILE).expanduser().resolve()
        if workbook.suffix.lower() != ".xlsx":
            raise WorkspaceError(_("workbook {path} must end in .xlsx; choose an Excel file "
                                   "name").format(path=workbook))
        if workbook.parent != data_dir and not workbook.parent.is_dir():
            raise WorkspaceError(_("the folder of workbook {path} does not exist; create it or "
                                   "choose another path").format(path=workbook))
        try:
            make_folder(data_dir)  # 0700 when made here: it holds biometric data
        except OSError as error:
            raise WorkspaceError(_("data folder {path} cannot be created ({error}); choose "
                                   "another with --data-dir").format(
                path=data_dir, error=error.strerror)) from None
        url, origin = _database_url(config, database)
        try:
            check_database_url(url)
        except ValueError as error:
            raise WorkspaceError(_("the database URL ({origin}) {problem}").format(
                origin=origin, problem=error)) from None
        return cls(config, data_dir, workbook, url)

    @property
    def journal_path(self) -> Path:
        return self.data_dir / JOURNAL_FILE

    @property
    def faces_path(self) -> Path:
        """This door's own face store (without a central database)."""
        return self.data_dir / FACES_FILE

    @property
    def roster_copy_path(self) -> Path:
        """With a central database: the door's copy of the central roster."""
        return self.data_dir / ROSTER_COPY_FILE
