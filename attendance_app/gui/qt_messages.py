"""Qt's own messages (a missing platform plugin, a font, a failed paint) into the log, so
they reach the log file like every other warning instead of a terminal the packaged app
does not have."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    log.log(LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install() -> Callable[..., Any] | None:
    """Send Qt's messages to the `qt` logger from now on; returns the previous handler, to
    put back with `restore`."""
    return qInstallMessageHandler(_to_log)


def restore(previous: Callable[..., Any] | None) -> None:
    """Put back the handler `install` replaced (None: Qt's own)."""
    qInstallMessageHandler(previous)
