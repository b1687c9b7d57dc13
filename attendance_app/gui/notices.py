"""The window's notice area: every warning the terminal gets, shown where a user sees it.

A user who started the app by double-click has no terminal: with the workbook open in
LibreOffice the window showed nothing while rows waited (issue 20). `NoticeHandler` is a
logging handler that takes the app's WARNING records (attendance_app.errors) from any
thread and hands them to the GUI thread through a Qt signal; `NoticeArea`, under the
toolbar, shows one line per problem, with its advice and a dismiss button, and drops it
when a record says the problem has ended (that record, information, goes to the status
bar). Each notice carries its level (information, warning, error: the record's level)
in its icon, its colours and its accessible name, so a screen reader says it too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.errors import APP_LOGGERS, is_app_warning, key_of, resolves_notice
from attendance_app.i18n import N_, _
from attendance_app.wording import as_sentence

ICON_PX = 20


@dataclass(frozen=True)
class Level:
    """How a notice looks and is read out: its icon, colours and spoken name."""

    name: str  # "information", "warning", "error"
    icon: QStyle.StandardPixmap
    background: str
    border: str
    colour: str
    spoken: str  # N_: "Warning: {text}", translated when shown


INFORMATION = Level("information", QStyle.StandardPixmap.SP_MessageBoxInformation,
                    "#e8f1fb", "#9cc0e6", "#0b3d6b", N_("Information: {text}"))
WARNING = Level("warning", QStyle.StandardPixmap.SP_MessageBoxWarning,
                "#fff4e5", "#f0c36d", "#5c3c00", N_("Warning: {text}"))
ERROR = Level("error", QStyle.StandardPixmap.SP_MessageBoxCritical,
              "#fdecea", "#e0a39b", "#5f2120", N_("Error: {text}"))
LEVELS = {level.name: level for level in (INFORMATION, WARNING, ERROR)}


def level_of(record: logging.LogRecord) -> Level:
    """The notice level of a log record: INFO is information, ERROR an error."""
    if record.levelno >= logging.ERROR:
        return ERROR
    return INFORMATION if record.levelno < logging.WARNING else WARNING


class NoticeHandler(logging.Handler):
    """Forwards the app's notices to `heard` (key, first line, resolved, level name), a
    signal: Qt queues it to the thread of the receiving widget, so any thread may log."""

    class _Bridge(QObject):
        heard = Signal(str, str, bool, str)

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self._bridge = self._Bridge()
        self.heard = self._bridge.heard
        self._levels: dict[str, int] = {}  # the app loggers' levels before install()

    def filter(self, record: logging.LogRecord) -> bool:  # type: ignore[override]
        return is_app_warning(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage().splitlines()[0]
            self.heard.emit(key_of(record), text, resolves_notice(record), level_of(record).name)
        except RuntimeError:  # the window is gone while a thread still logs
            pass
        except Exception:  # noqa: BLE001 - logging must never raise into the caller
            self.handleError(record)

    def install(self) -> None:
        """Hear every logger of the process (their records reach the root's handlers),
        the app's information too: a recovery ("writable again") is logged as information,
        which a logger left at Python's default level (WARNING) would drop."""
        logging.getLogger().addHandler(self)
        self._levels = {}
        for name in APP_LOGGERS:
            logger = logging.getLogger(name)
            if logger.getEffectiveLevel() > logging.INFO:
                self._levels[name] = logger.level
                logger.setLevel(logging.INFO)

    def remove(self) -> None:
        logging.getLogger().removeHandler(self)
        for name, level in self._levels.items():
            logging.getLogger(name).setLevel(level)
        self._levels = {}


class _Notice(QFrame):
    """One notice: its level's icon, its line with the advice, and a dismiss button."""

    def __init__(self, text: str, dismiss: QToolButton, level: Level) -> None:
        super().__init__()
        self.level = level
        self.setObjectName("notice")
        self.setStyleSheet(f"QFrame#notice {{ background: {level.background}; border: 1px "
                           f"solid {level.border}; border-radius: 4px; }} "
                           f"QLabel {{ color: {level.colour}; }}")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(level.icon).pixmap(ICON_PX, ICON_PX))
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.set_text(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(dismiss)

    def set_text(self, text: str) -> None:
        """The line, and what a screen reader says of it: its level, then the line."""
        self.label.setText(as_sentence(text))
        spoken = _(self.level.spoken).format(text=as_sentence(text))
        self.label.setAccessibleName(spoken)
        self.setAccessibleName(spoken)


class NoticeArea(QWidget):
    """The notices now standing, newest last; hidden when there is none. `ended` carries
    the line saying a problem has ended, for the status bar."""

    ended = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._notices: dict[str, _Notice] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(4)
        self.hide()

    def texts(self) -> list[str]:
        """The lines shown, oldest first."""
        return [notice.label.text() for notice in self._notices.values()]

    def levels(self) -> list[str]:
        """The level of each line shown ("information", "warning", "error"), oldest first."""
        return [notice.level.name for notice in self._notices.values()]

    def hear(self, key: str, text: str, resolved: bool, level: str) -> None:
        """A notice of the app (NoticeHandler.heard): shown until its problem ends; the
        line saying it ended is emitted by `ended` when it took a notice away."""
        if not resolved:
            self.show_notice(key, text, LEVELS[level])
        elif self.clear(key):
            self.ended.emit(as_sentence(text))

    def show_notice(self, key: str, text: str, level: Level = WARNING) -> None:
        """Show `text` for `key` at `level`, replacing what that key showed."""
        if key in self._notices:
            if self._notices[key].level == level:
                self._notices[key].set_text(text)
                return
            self.clear(key)
        dismiss = QToolButton()
        dismiss.setText(_("Dismiss"))
        dismiss.setToolTip(_("Hide this notice (it comes back if it is reported again)"))
        dismiss.clicked.connect(lambda: self.clear(key))
        self._notices[key] = _Notice(text, dismiss, level)
        self._layout.addWidget(self._notices[key])
        self.show()

    def clear(self, key: str) -> bool:
        """Take the notice of `key` away; False when none was shown."""
        notice = self._notices.pop(key, None)
        if notice is None:
            return False
        self._layout.removeWidget(notice)
        notice.deleteLater()
        self.setVisible(bool(self._notices))
        return True
