"""What the window remembers between starts, as desktop programs do: its size, place and
maximised state, the split between the video and today's list, the People dialog's
size, the last folder of each file dialog and the video's "fast" choice.

It is kept with QSettings in an INI file, `window.ini`, in the app's own settings folder
(beside the user's config.yaml: ~/.config/attendance-app on Linux), not in the
registry or a plist, so that it goes with the settings and tests (which give every test
its own XDG_CONFIG_HOME) never touch the user's. Losing it costs nothing but the layout.

The first start fills most of the screen (FIRST_SHARE of it, centred). A place saved on
a screen that is no longer there (a laptop off its docking station) is not restored:
the window would open where nobody can see it, so it opens as at the first start.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QSplitter

from attendance_app.config.location import APP_NAME

STATE_FILE = "window.ini"
FIRST_SHARE = 0.9
"""How much of the screen's width and height the window takes at the first start."""
VISIBLE_PX = 100
"""How much of a restored window must lie on a screen (each way) to be put back there."""


def state_path() -> Path:
    """window.ini in the app's per-user settings folder (XDG_CONFIG_HOME on Linux)."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / STATE_FILE


def remembered() -> QSettings:
    """The remembered state; written to disk by Qt when it is dropped (or on sync)."""
    return QSettings(str(state_path()), QSettings.Format.IniFormat)


def first_geometry() -> QRect:
    """FIRST_SHARE of the primary screen's free area (without task bars), centred."""
    area = QGuiApplication.primaryScreen().availableGeometry()
    width, height = round(area.width() * FIRST_SHARE), round(area.height() * FIRST_SHARE)
    return QRect(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2,
                 width, height)


def on_a_screen(rect: QRect) -> bool:
    """Whether enough of `rect` lies on one of today's screens to be seen and grabbed."""
    for screen in QGuiApplication.screens():
        shared = screen.availableGeometry().intersected(rect)
        if shared.width() >= min(VISIBLE_PX, rect.width()) and \
                shared.height() >= min(VISIBLE_PX, rect.height()):
            return True
    return False


def restore_window(window: QMainWindow, splitter: QSplitter) -> None:
    """Put the window where it was (before it is shown) and the splitter as it was."""
    settings = remembered()
    rect = settings.value("window/normal_geometry")
    if isinstance(rect, QRect) and rect.isValid() and on_a_screen(rect):
        window.setGeometry(rect)
    else:
        window.setGeometry(first_geometry())
    if settings.value("window/maximised", False, type=bool):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    split = settings.value("window/splitter")
    if isinstance(split, QByteArray) and not split.isEmpty():
        splitter.restoreState(split)


def save_window(window: QMainWindow, splitter: QSplitter) -> None:
    """Remember the window's place (its normal one when maximised) and the split."""
    settings = remembered()
    settings.setValue("window/normal_geometry", window.normalGeometry())
    settings.setValue("window/maximised", window.isMaximized())
    settings.setValue("window/splitter", splitter.saveState())
    settings.sync()


def restore_dialog(dialog: QDialog, name: str) -> None:
    """Give `dialog` the size it had when last closed (`name`: its key), if any."""
    size = remembered().value(f"{name}/size")
    if size is not None and size.isValid():
        dialog.resize(size)


def save_dialog(dialog: QDialog, name: str) -> None:
    settings = remembered()
    settings.setValue(f"{name}/size", dialog.size())
    settings.sync()


def remembered_flag(key: str, default: bool = False) -> bool:
    return bool(remembered().value(key, default, type=bool))


def remember_flag(key: str, value: bool) -> None:
    settings = remembered()
    settings.setValue(key, value)
    settings.sync()
