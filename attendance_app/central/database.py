"""Connecting to the central PostgreSQL server, with failures as one line and no password.

A door talks to the server in short transactions over connections it opens itself; a
failure to connect or a connection lost midway becomes a DatabaseError whose message
says what is wrong and what to do, and never shows the password of the URL.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import psycopg.errors

from attendance_app.config.database_url import database_of, describe, hide, redact, server_of
from attendance_app.errors import AttendanceError, notice, resolves
from attendance_app.i18n import N_, _
from enrolment import StoreError

log = logging.getLogger(__name__)
# psycopg logs its own warning when a pipelined transaction dies with its connection
# ("error ignored terminating <psycopg.Pipeline [BAD]>"): a failure the door reports once
# in its own words (Reachability); the door's log stays at one line per outage.
logging.getLogger("psycopg").setLevel(logging.ERROR)

CONNECT_TIMEOUT_SECONDS = 5
"""How long a door waits for the server to answer a connection: long enough for a slow
network, short enough that an unreachable server is reported before people wonder."""


class DatabaseError(StoreError, AttendanceError):
    """The central database cannot be used now (unreachable, refused, not set up). A kind
    of StoreError: commands and the window report it as one line, like the local files."""


_UNREACHABLE = {
    "Connection refused": N_("connection refused"),
    "timeout expired": N_("no answer"),
    "could not translate host name": N_("unknown host name"),
    "Name or service not known": N_("unknown host name"),
    "No route to host": N_("no route to the host"),
    "Network is unreachable": N_("network unreachable"),
    "server closed the connection": N_("the server closed the connection"),
    "terminating connection": N_("the server is shutting down"),
    "the database system is shutting down": N_("the server is shutting down"),
    "the database system is starting up": N_("the server is starting up"),
    "consuming input failed": N_("the connection was lost"),
    "connection is lost": N_("the connection was lost"),
    "the connection is closed": N_("the connection was lost"),
}
"""libpq's words for a server that cannot be reached now, and ours (translated when
shown)."""


def _reason(error: psycopg.Error, url: str) -> str:
    """One line saying why the server could not be used, and what to do about it; the
    password of `url` is hidden in libpq's own words, which may quote it."""
    return _reason_shown(hide(" ".join(str(error).split()), url), error, url)


def _reason_shown(text: str, error: psycopg.Error, url: str) -> str:
    """The line of _reason() for libpq's `text`, in the user's language (libpq's own words,
    quoted in it, stay as libpq wrote them)."""
    where = describe(url)
    if "password authentication failed" in text:
        return _("the central database {where} refused the user name or password; correct "
                 "database.url (or --database, or ATTENDANCE_DATABASE_URL)").format(where=where)
    if "no password supplied" in text:
        return _("the central database {where} asks for a password and none was given; put "
                 "it in ~/.pgpass (a line server:port:database:user:password) or in "
                 "ATTENDANCE_DATABASE_URL").format(where=where)
    if re.search(r"database \S+ does not exist", text):
        return _("database {database!r} does not exist on server {server}: create it (ask "
                 "the server's administrator) or correct the URL (database.url, --database "
                 "or ATTENDANCE_DATABASE_URL)").format(database=database_of(url),
                                                        server=server_of(url))
    if 'invalid integer value' in text or 'invalid port' in text:
        return _("the database URL {url} has a port that is not a number; correct it"
                 ).format(url=redact(url))
    if isinstance(error, psycopg.errors.InsufficientPrivilege):
        return _("the central database {where} refused this to its user ({problem}); a "
                 "door's login only logs and enrols: run database init and add-door-user "
                 "with the login that owns the attendance tables").format(where=where,
                                                                          problem=text)
    if isinstance(error, psycopg.errors.UndefinedTable):
        return _("the central database {where} has no attendance tables yet; set them up "
                 "once with: attendance-app database init").format(where=where)
    for words, ours in _UNREACHABLE.items():
        if words in text:
            return _("the central database {where} is unreachable ({reason}); this door goes "
                     "on with its copy of the people and sends its rows when the server is "
                     "back").format(where=where, reason=_(ours))
    tail = text.rsplit("failed:", 1)[-1].strip()  # libpq's own reason, after the address
    return _("the central database {where} failed: {problem}").format(
        where=where, problem=tail.removeprefix("FATAL:").strip())


@dataclass(frozen=True)
class CentralDatabase:
    """The server at `url` (a postgresql:// URL, as libpq takes it)."""

    url: str

    @property
    def where(self) -> str:
        """The server and database, without the password, for messages."""
        return describe(self.url)

    def connect(self, autocommit: bool = False) -> psycopg.Connection:
        """A new connection; DatabaseError (one line) if the server cannot be reached."""
        try:
            return psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                   autocommit=autocommit, application_name="attendance-app")
        except psycopg.Error as error:
            raise DatabaseError(_reason(error, self.url)) from None

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        """A connection in one transaction, committed at the end, rolled back on an error
        and closed either way; psycopg errors become DatabaseError."""
        db = self.connect()
        try:
            with db:
                yield db
        except psycopg.Error as error:
            raise DatabaseError(_reason(error, self.url)) from None
        finally:
            db.close()

    def problem(self, error: psycopg.Error) -> DatabaseError:
        """`error` of a connection of this database as a one-line DatabaseError."""
        return DatabaseError(_reason(error, self.url))


class Reachability:
    """Whether a door reaches the server: the first failure of any of its threads (or of
    its first look at the roster) is logged once, and the recovery once, however often
    they retry. `of` gives the one of this process for a database."""

    _of_process: dict[str, Reachability] = {}
    _registry_lock = threading.Lock()

    def __init__(self, database: CentralDatabase) -> None:
        self.database = database
        self._lock = threading.Lock()
        self.failure: str | None = None
        self.known = False  # whether any attempt has ended yet, either way

    @classmethod
    def of(cls, database: CentralDatabase) -> Reachability:
        """This process's Reachability of `database` (a door is one process)."""
        with cls._registry_lock:
            return cls._of_process.setdefault(database.url, cls(database))

    def failed(self, message: str) -> None:
        with self._lock:
            if self.failure is None:
                log.warning("%s", message, extra=notice("central", self.database.where))
            self.failure = message
            self.known = True

    def reached(self) -> None:
        with self._lock:
            if self.failure is not None:
                # Shown in the window when the notice goes: in the user's language.
                log.info(_("the central database {where} is reachable again; waiting rows "
                           "are being sent").format(where=self.database.where),
                         extra=resolves("central", self.database.where))
            self.failure = None
            self.known = True
