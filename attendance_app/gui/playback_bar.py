"""The controls under the video for a video file: pause and resume, restart, a position
slider, and a "fast" choice; with the position shown in the status bar ("0:42 / 1:22").

Shown only while the source is a video file: a camera or a stream shows what happens
now and has nothing to wind. The bar drives the worker's PlaybackControl
(attendance_app.camera.playback), which the reading thread obeys between frames, and
reads the position back from it a few times a second. Once the file has ended, the run
behind it is over (its last faces counted); restarting or moving the slider then asks
the window, through `replay_requested(frame)`, for a new run from that frame. A replayed
stretch logs nobody twice: the attendance policy is restored from the journal, as at
any start, so its one-row-a-day or cooldown rules hold across replays.

`toggle_pause` and the QAction `toggle_pause_action` (objectName "toggle_pause", its row
of gui/shortcuts.py: Space while the video has the focus) are what a keyboard shortcut
calls. Space is not taken
from the bar itself: there it presses the focused button or ticks "Fast", as people
using the keyboard expect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStatusBar,
    QStyle,
    QToolButton,
    QWidget,
)

from attendance_app.camera.playback import PlaybackControl, clock_text
from attendance_app.gui import shortcuts
from attendance_app.gui.window_state import remember_flag, remembered_flag
from attendance_app.i18n import _

if TYPE_CHECKING:
    from attendance_app.gui.video_worker import VideoWorker

POLL_MS = 200
FAST_KEY = "playback/fast"


class PlaybackBar(QWidget):
    """Pause/play, restart, position, fast; `bind` gives it the control of a new run."""

    replay_requested = Signal(int)  # the file had ended: play it again from this frame

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control: PlaybackControl | None = None
        self._running = False
        style = self.style()
        self.pause_button = QToolButton()
        self.pause_button.setAccessibleName(_("Pause the video"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.restart_button = QToolButton()
        self.restart_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.restart_button.setToolTip(_("Play the video again from the start"))
        self.restart_button.setAccessibleName(_("Restart the video"))
        self.restart_button.clicked.connect(self.restart)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(_("Position in the video"))
        self.slider.setToolTip(_("Drag to go to another moment of the video"))
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value()))
        self.slider.actionTriggered.connect(self._slider_stepped)
        self.fast_box = QCheckBox(_("Fast"))
        self.fast_box.setToolTip(_("Process the video as fast as the computer can, instead of "
                                   "at its own speed"))
        self.fast_box.setAccessibleName(_("Process the video as fast as possible"))
        self.fast_box.setChecked(remembered_flag(FAST_KEY))
        self.fast_box.toggled.connect(self._fast_toggled)
        self.position_label = QLabel()
        self.position_label.setAccessibleName(_("Position in the video"))
        self.toggle_pause_action = QAction(_("Pause or resume the video"), self)
        self.toggle_pause_action.setObjectName("toggle_pause")
        shortcuts.install_one(self.toggle_pause_action)  # Space, on the video only
        self.toggle_pause_action.triggered.connect(self.toggle_pause)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        for widget in (self.pause_button, self.restart_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.fast_box)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self.bind(None)

    @property
    def fast(self) -> bool:
        """The remembered "fast" choice, for the next run's control."""
        return self.fast_box.isChecked()

    def listen_on(self, video: QWidget) -> None:
        """Space toggles pause while `video` has the focus too (a click gives it)."""
        video.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        video.addAction(self.toggle_pause_action)

    def bind(self, worker: VideoWorker | None) -> None:
        """Drive the playback of `worker`, a new run: shown for a video file, hidden
        for any other source (and for None: no source)."""
        control = worker.playback if worker is not None else None
        self.control = control
        if worker is not None and control is not None:
            worker.finished.connect(self.run_finished)
        self._running = control is not None
        self.setVisible(control is not None)
        self.position_label.setVisible(control is not None)
        self.toggle_pause_action.setEnabled(control is not None)
        if control is None:
            self._timer.stop()
            return
        self._timer.start(POLL_MS)
        self.refresh()

    def run_finished(self) -> None:
        """A run is over (the file ended, or it failed): when it is the one the bar
        drives, the next command starts a new one."""
        sender = self.sender()
        if getattr(sender, "playback", None) is self.control:
            self._running = False
            self.refresh()

    @property
    def replaying_needed(self) -> bool:
        """Whether a command must start a new run (the last one is over)."""
        return self.control is not None and (not self._running or self.control.ended)

    # -- commands (the buttons, the slider, shortcuts) ---------------------------------------
    def toggle_pause(self) -> None:
        """Pause a playing video, resume a paused one; at the end, play it again."""
        if self.control is None:
            return
        if self.replaying_needed:
            self.replay_requested.emit(0)
            return
        self.control.toggle_pause()
        self.refresh()

    def restart(self) -> None:
        if self.control is None:
            return
        if self.replaying_needed:
            self.replay_requested.emit(0)
        else:
            self.control.restart()
            self.refresh()

    def seek(self, frame: int) -> None:
        if self.control is None:
            return
        if self.replaying_needed:
            self.replay_requested.emit(frame)
        else:
            self.control.seek(frame)
            self.control.position = frame  # shown at once, before the reader gets there

    def _slider_stepped(self, action: int) -> None:
        """A click on the groove or a key: go there (a drag goes on release)."""
        if action != QSlider.SliderAction.SliderMove:
            QTimer.singleShot(0, lambda: self.seek(self.slider.value()))

    def _fast_toggled(self, fast: bool) -> None:
        remember_flag(FAST_KEY, fast)
        if self.control is not None:
            self.control.set_fast(fast)

    # -- showing where it is ---------------------------------------------------------------
    def refresh(self) -> None:
        """The position, the slider and the pause button as the control says now."""
        control = self.control
        if control is None:
            return
        position, length = control.seconds
        words = (_("{position} / {length}, paused") if control.paused and self._running
                 else "{position} / {length}")
        self.position_label.setText(words.format(position=clock_text(position),
                                                 length=clock_text(length)))
        self.slider.setMaximum(max(0, control.frame_count - 1))
        if not self.slider.isSliderDown():
            self.slider.setValue(control.position)
        playing = not control.paused and not self.replaying_needed
        icon = (QStyle.StandardPixmap.SP_MediaPause if playing
                else QStyle.StandardPixmap.SP_MediaPlay)
        self.pause_button.setIcon(self.style().standardIcon(icon))
        words = _("Pause the video") if playing else _("Play the video")
        self.pause_button.setToolTip(words)
        self.pause_button.setAccessibleName(words)
        if self.replaying_needed:
            self._timer.stop()


def add_playback_bar(layout: QBoxLayout, video: QWidget, status: QStatusBar,
                     replay: Callable[[int], None]) -> PlaybackBar:
    """A playback bar added to `layout` (under `video`, whose Space it hears too), its
    position shown in `status`; `replay(frame)` starts a new run of the same file."""
    bar = PlaybackBar()
    layout.addWidget(bar)
    status.addPermanentWidget(bar.position_label)
    bar.listen_on(video)
    bar.replay_requested.connect(replay)
    return bar
