"""The main window's fixed parts: its toolbar (with the Calendar… entry), the banner over
the video when the source fails, the colour legend under it, and the status bar's entries.

Kept apart from main_window.py, which reacts to the door's signals: these parts only
show what they are told.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStatusBar,
    QToolBar,
    QToolButton,
)

from attendance_app.app.door_report import SourceState
from attendance_app.camera.sources import SourceKind, SourceSpec, without_password
from attendance_app.gui.refusals_list import refusal_line
from attendance_app.gui.video_view import STATUS_COLOURS
from attendance_app.i18n import N_, _, ngettext
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import TrackStatus
from attendance_app.wording import as_sentence

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.central.link import CentralLink
    from enrolment import FaceStore

LOADING_TEXT = N_("Loading face models…")
TOOLBAR_STYLE = ("QToolBar { spacing: 6px; padding: 4px; } "
                 "QToolButton { padding: 4px 10px; }")


STATE_WORDS = {
    SourceState.STARTING: N_("Starting…"),
    SourceState.CONNECTED: N_("Camera connected"),
    SourceState.RECONNECTING: N_("Camera lost: reconnecting…"),
    SourceState.NO_CAMERA: N_("No camera"),
    SourceState.PLAYING: N_("Playing video"),
    SourceState.ENDED: N_("Video finished"),
    SourceState.PHOTOS: N_("Showing photos"),
    SourceState.PHOTO_DONE: N_("Photo done"),
    SourceState.PHOTOS_DONE: N_("All photos done"),
    SourceState.STOPPED: N_("Stopped"),
}
"""The source's states (SourceState, the session's English words, which the window
compares) as the status bar shows them: marked here, for the window's catalog."""


def state_text(state: str) -> str:
    """`state` (a SourceState) in the user's language."""
    return _(STATE_WORDS.get(state, state))


def fps_text(fps: float) -> str:
    """The processing rate for the status bar, with the region's decimal mark (12,5 in
    German); empty for none (photos)."""
    return _("{rate} frames/s").format(rate=QLocale().toString(fps, "f", 1)) if fps else ""


def window_title(spec: SourceSpec) -> str:
    """The window's title naming its source (a stream's password hidden)."""
    if spec.kind is SourceKind.CAMERA:
        return _("Attendance: camera {number}").format(number=spec.location)
    if spec.kind is SourceKind.STREAM:
        return _("Attendance: {address}").format(address=without_password(spec.location))
    return _("Attendance: {path}").format(path=spec.location)


def unusable_source_text(source: str) -> str:
    """Why `source` (as --source or camera.source wrote it) cannot be shown, in the
    window's words (SourceSpec.parse's own names the command line's option)."""
    return _("“{source}” is not a webcam number, a network camera address, or a file or "
             "folder that exists: choose another source.").format(source=source)


def add_toolbar(window: QMainWindow,
                entries: tuple[tuple[str, Callable[[], object]], ...]) -> QToolBar:
    """The toolbar of `entries` (text, what it does), each a raised button; an action is
    named after what it does ("open_enrol"), which gives it its keys (gui/shortcuts.py)."""
    toolbar = QToolBar(_("Main"))
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.setStyleSheet(TOOLBAR_STYLE)
    window.addToolBar(toolbar)
    for text, slot in entries:
        action = QAction(text, window)
        action.setIconText(text)  # a tool button shows the icon text, which drops the "…"
        action.setObjectName(getattr(slot, "__name__", ""))
        action.triggered.connect(lambda _=False, slot=slot: slot())
        toolbar.addAction(action)
        button = toolbar.widgetForAction(action)
        if isinstance(button, QToolButton):  # raised: a button, not a line of text
            button.setAutoRaise(False)
    return toolbar


class DoorWindow(Protocol):
    """What the Calendar… entry needs of the main window."""

    workspace: Workspace
    store: FaceStore


CALENDAR_TEXT = N_("Calendar…")


def add_calendar_action(toolbar: QToolBar, window: QMainWindow) -> QAction:
    """The toolbar's Calendar… entry (open_calendar: Ctrl+L), after Reports…, opening the closed days and
    leave (gui/calendar_dialog.py): here, not in main_window.py, which is at its size."""
    from attendance_app.gui.calendar_dialog import open_calendar

    def show() -> None:
        door = cast("DoorWindow", window)
        open_calendar(door.workspace, door.store, window)

    action = QAction(_(CALENDAR_TEXT), window)
    action.setIconText(action.text())  # "Calendar…" on the button too: it opens a dialog
    action.setObjectName("open_calendar")
    action.triggered.connect(lambda _=False: show())
    actions = toolbar.actions()
    names = [entry.objectName() for entry in actions]
    place = names.index("open_reports") + 1 if "open_reports" in names else len(actions)
    if place < len(actions):
        toolbar.insertAction(actions[place], action)
    else:
        toolbar.addAction(action)
    button = toolbar.widgetForAction(action)
    if isinstance(button, QToolButton):
        button.setAutoRaise(False)
    return action


def legend() -> QLabel:
    """What the box colours mean, in words, under the video."""
    parts = [f'<span style="color:{STATUS_COLOURS[status].name()}; font-size:16px">&#9632;</span> {text}'
             for status, text in ((TrackStatus.RECOGNISED, _("recognised")),
                                  (TrackStatus.UNSURE, _("still checking")),
                                  (TrackStatus.UNKNOWN, _("not enrolled")))]
    return QLabel("&nbsp;&nbsp;&nbsp;".join(parts))


class SourceBanner(QFrame):
    """The amber band over the video saying why the source cannot be shown, with the way
    to choose another."""

    def __init__(self, choose_source: Callable[[], object]) -> None:
        super().__init__()
        self.setStyleSheet("QFrame { background: #fff4e5; border: 1px solid #f0c36d; "
                           "border-radius: 4px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setStyleSheet("border: none; color: #5c3c00;")
        button = QPushButton(_("Choose another source…"))
        button.clicked.connect(lambda: choose_source())
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(button)
        self.hide()

    def show_problem(self, message: str) -> None:
        self.text.setText(as_sentence(message))
        self.show()


def _separator() -> QFrame:
    """A thin vertical line between status bar entries."""
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class DoorStatus:
    """The status bar's permanent entries, each with a separator that shows and hides with
    it: models loading, the source's state, frames per second, people enrolled, and the
    central database (only at a door of a site); and for a while, a refusal just noted."""

    def __init__(self, status: QStatusBar, central: bool) -> None:
        self.status = status
        self.models = QLabel(_(LOADING_TEXT))
        self.camera = QLabel()
        self.fps = QLabel()
        self.people = QLabel()
        self.central = QLabel()
        self._separators: dict[QLabel, QFrame] = {}
        for label in (self.models, self.camera, self.fps, self.people, self.central):
            self._separators[label] = _separator()
            status.addPermanentWidget(self._separators[label])
            status.addPermanentWidget(label)
        self.show_loading(False)
        self.set_fps("")
        self._set_visible(self.central, central)

    def _set_visible(self, label: QLabel, visible: bool) -> None:
        label.setVisible(visible)
        self._separators[label].setVisible(visible)

    def tell_refusal(self, refusal: Refusal) -> None:
        """A face refused by the liveness check, as the panel's list words it."""
        self.status.showMessage(_("{refusal} (no attendance row)").format(
            refusal=refusal_line(refusal)), 8000)

    def show_loading(self, loading: bool) -> None:
        self._set_visible(self.models, loading)

    def set_fps(self, text: str) -> None:
        """Frames per second; empty hides it with its separator."""
        self.fps.setText(text)
        self._set_visible(self.fps, bool(text))

    def show_central(self, link: CentralLink, waiting: int) -> None:
        """Whether this door reaches the central database, and the rows waiting to be sent
        (the reason, without the password, in the tooltip)."""
        failure = link.reachability.failure
        if not link.reachability.known:
            text = _("Central database: connecting…")
        elif failure is not None and waiting:
            text = ngettext("Central database: not connected, {count} row waiting",
                            "Central database: not connected, {count} rows waiting",
                            waiting).format(count=waiting)
        elif failure is not None:
            text = _("Central database: not connected")
        elif waiting:
            text = ngettext("Central database: sending {count} row",
                            "Central database: sending {count} rows", waiting).format(count=waiting)
        else:
            text = _("Central database: connected")
        self.central.setText(text)
        self.central.setToolTip(failure or _("Connected to {where}").format(
            where=link.database.where))
