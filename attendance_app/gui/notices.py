"""The window's notice area: every warning the terminal gets, shown where a user sees it.

A user who started the app by double-click has no terminal: with the workbook open in
LibreOffice the window showed nothing while rows waited (issue 20). `NoticeHandler` is a
logging handler that takes the app's WARNING records (attendance_app.errors) from any
thread and hands them to the GUI thread through a Qt signal; `NoticeArea`, under the
toolbar, shows one line per problem, with its advice and a dismiss button, and drops it
when a record says the problem has ended.
"""

from __future__ import annotations

import logging

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

from attendance_app.errors import is_app_warning, key_of, resolves_notice
from attendance_app.wording import as_sentence

NOTICE_STYLE = ("QFrame#notice { background: #fdecea; border: 1px solid #e0a39b; "
                "border-radius: 4px; } QLabel { color: #5f2120; }")
ICON_PX = 20


class NoticeHandler(logging.Handler):
    """Forwards the app's warnings to `heard` (key, first line, resolved), a signal: Qt
    queues it to the thread of the receiving widget, so any thread may log."""

    class _Bridge(QObject):
        heard = Signal(str, str, bool)

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._bridge = self._Bridge()
        self.heard = self._bridge.heard

    def filter(self, record: logging.LogRecord) -> bool:  # type: ignore[override]
        return is_app_warning(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage().splitlines()[0]
            self.heard.emit(key_of(record), text, resolves_notice(record))
        except RuntimeError:  # the window is gone while a thread still logs
            pass
        except Exception:  # noqa: BLE001 - logging must never raise into the caller
            self.handleError(record)

    def install(self) -> None:
        """Hear every logger of the process (their records reach the root's handlers)."""
        logging.getLogger().addHandler(self)

    def remove(self) -> None:
        logging.getLogger().removeHandler(self)


class _Notice(QFrame):
    """One problem: a warning icon, its line with the advice, and a dismiss button."""

    def __init__(self, text: str, dismiss: QToolButton) -> None:
        super().__init__()
        self.setObjectName("notice")
        self.setStyleSheet(NOTICE_STYLE)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(ICON_PX, ICON_PX))
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.set_text(text)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(dismiss)

    def set_text(self, text: str) -> None:
        self.label.setText(as_sentence(text))


class NoticeArea(QWidget):
    """The notices now standing, newest last; hidden when there is none."""

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

    def show_notice(self, key: str, text: str) -> None:
        """Show `text` for `key`, replacing what that key showed."""
        if key in self._notices:
            self._notices[key].set_text(text)
            return
        dismiss = QToolButton()
        dismiss.setText("Dismiss")
        dismiss.setToolTip("Hide this notice (it comes back if the problem is reported again)")
        dismiss.clicked.connect(lambda: self.clear(key))
        self._notices[key] = _Notice(text, dismiss)
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
