"""The log file a user can send: warnings and errors of every thread, kept in the user's
log folder, a few megabytes at most.

A packaged app has no terminal, so "send me the log" needs a file. The command line sets
it up once per process (`set_up`, from attendance_app/cli/main.py): a rotating file
handler on the root logger at WARNING, so every thread's warnings land there; uncaught
exceptions (sys.excepthook, threading.excepthook) logged before the usual report; and
faulthandler's trace of a hard crash (a segfault in Qt or dlib, where Python's own
handling never runs) appended to crash.log beside it. Each start writes one first line:
version, platform, Python and the command's name, never its arguments (a database URL
carries a password); every line passes through `redact_secrets` as well, so a password
inside a URL or a `password=` option never reaches the file, whoever logged it.

Setting up never stops the app: a folder that cannot be written gives one note on
stderr, and the app goes on without a file.

Two processes at once (the window and a command beside it): each kind writes its own
file (window.log, commands.log), so the long-running window never shares one with a
command. Two commands at once share commands.log: each record is one append, so lines
do not mix, and a process that finds the file rotated by the other reopens the new one
before writing (`_SharedRotatingFileHandler`); where a rotation cannot rename a file
another process holds open (Windows), it is skipped and tried again at the next line.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import platform
import re
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from attendance_app.app.version import app_version

APP_NAME = "attendance-app"
MAX_BYTES = 1_000_000
BACKUPS = 5
"""1 MB per file and 5 older ones: 6 MB at most per kind, small enough to mail."""

FILE_OF = {"window": "window.log", "command": "commands.log"}
CRASH_FILE = "crash.log"
FORMAT = "%(asctime)s pid %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s"

HIDDEN = "***"
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*):\S*@")
_PASSWORD_OPTION = re.compile(r"(?P<head>\bpassword\s*=\s*)(?:'[^']*'|\"[^\"]*\"|[^\s&;,]*)",
                              re.IGNORECASE)

_handler: logging.Handler | None = None
_crash_file: IO[str] | None = None
"""Kept open for the life of the process: faulthandler writes to its descriptor."""


def log_folder() -> Path:
    """Where the log files are: platformdirs' user log folder (Linux
    ~/.local/state/attendance-app/log, Windows %LOCALAPPDATA%\\attendance-app\\Logs,
    macOS ~/Library/Logs/attendance-app)."""
    import platformdirs  # here: `--help` and parsing load nothing a command does not need

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def redact_secrets(text: str) -> str:
    """`text` with every URL's password (scheme://user:password@, up to the last '@' of
    the word, as config/database_url.py reads a URL) and every `password=` value hidden."""
    text = _URL_PASSWORD.sub(lambda match: f"{match['head']}:{HIDDEN}@", text)
    return _PASSWORD_OPTION.sub(lambda match: f"{match['head']}{HIDDEN}", text)


class _RedactingFormatter(logging.Formatter):
    """Formats as usual, then hides secrets in the whole line, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_secrets(super().format(record))


class _SharedRotatingFileHandler(RotatingFileHandler):
    """A rotating file that another process may write and rotate too (module docstring):
    it follows the other's rotation, tolerates a rotation that fails, and creates its
    files readable by their owner only (a log names people and folders)."""

    def _open(self) -> IO[str]:
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=lambda path, flags: os.open(path, flags, 0o600))

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is not None and not self._still_current():
            self.stream.close()
            self.stream = self._open()
        super().emit(record)

    def _still_current(self) -> bool:
        """Whether the open file is still the one at the log's path (not rotated away)."""
        try:
            mine, current = os.fstat(self.stream.fileno()), os.stat(self.baseFilename)
        except OSError:
            return False
        return (mine.st_dev, mine.st_ino) == (current.st_dev, current.st_ino)

    def rotate(self, source: str, dest: str) -> None:
        try:
            super().rotate(source, dest)
        except OSError:
            pass  # held open by another process (Windows): the next line tries again


def first_line(command: str) -> str:
    """The line each start writes: what ran, where, and which command (its name only)."""
    build = "bundle" if getattr(sys, "frozen", False) else "Python environment"
    return (f"start: {APP_NAME} {app_version()} ({build}), Python {platform.python_version()}, "
            f"{platform.platform()}, command: {command}")


def file_only(level: int, message: str) -> None:
    """A line for the log file alone, whatever the root logger's level: what the command
    line already printed to people (its warnings and errors), the first and last line."""
    if _handler is not None:
        _handler.handle(logging.LogRecord("attendance_app", level, __file__, 0, message,
                                          None, None))


def ended(code: int) -> None:
    """The last line of a run: its exit code (0: it did its job)."""
    file_only(logging.INFO if code == 0 else logging.ERROR, f"end: exit code {code}")


def _log_uncaught(kind: type[BaseException], error: BaseException,
                  tb: TracebackType | None) -> None:
    logging.getLogger("attendance_app").critical("uncaught exception", exc_info=(kind, error, tb))


def _hook_exceptions() -> None:
    """Log what escapes the main thread or any other, then report it as before."""
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

    def excepthook(kind: type[BaseException], error: BaseException,
                   tb: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            _log_uncaught(kind, error, tb)
        previous_hook(kind, error, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> Any:
        if args.exc_type is not SystemExit:
            error = args.exc_value if args.exc_value is not None else args.exc_type()
            _log_uncaught(args.exc_type, error, args.exc_traceback)
        return previous_thread_hook(args)

    sys.excepthook, threading.excepthook = excepthook, thread_hook


def set_up(kind: str, command: str) -> Path | None:
    """Log warnings and errors of this process to its kind's file ("window" or "command")
    in the user log folder, starting with `first_line(command)`; returns the file, or
    None when the folder cannot be written (after one note on stderr). Once per process."""
    global _handler, _crash_file
    if _handler is not None:
        return Path(_handler.baseFilename) if isinstance(_handler, RotatingFileHandler) else None
    folder = log_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        crash = open(folder / CRASH_FILE, "a", encoding="utf-8",
                     opener=lambda path, flags: os.open(path, flags, 0o600))
        try:
            handler = _SharedRotatingFileHandler(folder / FILE_OF[kind], maxBytes=MAX_BYTES,
                                                 backupCount=BACKUPS, encoding="utf-8")
        except OSError:
            crash.close()
            raise
    except OSError as error:
        print(f"note: no log file: cannot write {folder} ({error.strerror or error}); "
              "the app goes on without it", file=sys.stderr, flush=True)
        return None
    handler.setLevel(logging.WARNING)
    handler.setFormatter(_RedactingFormatter(FORMAT))
    _handler, _crash_file = handler, crash
    logging.getLogger().addHandler(handler)
    file_only(logging.INFO, first_line(command))
    _hook_exceptions()
    faulthandler.enable(file=crash, all_threads=True)
    return Path(handler.baseFilename)
