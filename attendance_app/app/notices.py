"""Warnings a user must act on, for the window as well as the terminal: one convention.

The app says what went wrong with plain `log.warning(...)` (workbook locked, server
unreachable, a file moved aside); the terminal prints it, and the window shows every
WARNING record of the app's loggers in its notice area (gui/notices.py), whoever logged
it and from whichever thread, so a new warning needs nothing more to be seen there.

Some problems end by themselves (the workbook is closed in Excel, the server answers
again), and their notice must then go. For those, tag the warning and its recovery with
the same key, through `extra`:

    log.warning("%s", message, extra=notice("workbook", path))
    log.warning("workbook %s is writable again", path, extra=resolves("workbook", path))

A tagged warning replaces the notice with the same key (one notice per problem, however
often it is logged); a record that `resolves` a key removes that notice. An untagged
warning is its own key: shown once, dismissed by the user.
"""

from __future__ import annotations

import logging

APP_LOGGERS = ("attendance_app", "enrolment", "exports", "trackers")
"""The top-level packages whose warnings are the app's (not a library's)."""


def notice(*parts: object) -> dict[str, object]:
    """`extra` for a warning about a problem that can end, named by `parts` (e.g. the
    kind of problem and the file or server it is about)."""
    return {"notice": ":".join(str(part) for part in parts)}


def resolves(*parts: object) -> dict[str, object]:
    """`extra` for the record saying the problem `notice(*parts)` named has ended."""
    return {**notice(*parts), "resolved": True}


def is_app_warning(record: logging.LogRecord) -> bool:
    """Whether `record` is a warning of the app that the user should see (errors with a
    traceback are the worker's failures, which the window reports on its own)."""
    return (record.levelno == logging.WARNING
            and record.name.split(".", 1)[0] in APP_LOGGERS)


def key_of(record: logging.LogRecord) -> str:
    """The notice `record` is about: its tag, else its own text."""
    tag = getattr(record, "notice", None)
    return tag if isinstance(tag, str) else record.getMessage()


def resolves_notice(record: logging.LogRecord) -> bool:
    """Whether `record` says its notice's problem has ended."""
    return getattr(record, "resolved", False) is True
