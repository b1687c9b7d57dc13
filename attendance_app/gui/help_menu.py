"""The window's Help menu: the log folder, to send its files to whoever helps, and the
About box.

A menu bar of its own, with Help only: the toolbar holds the daily tasks, and Help is
where people look for "About" (on macOS Qt moves it into the application menu)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from attendance_app.app.log_file import log_folder
from attendance_app.gui.about_dialog import AboutDialog
from attendance_app.gui.desktop import open_in_system


def add_help_menu(window: QMainWindow) -> QMenu:
    """Help → Open log folder, About Attendance; returns the menu."""
    menu = window.menuBar().addMenu("&Help")
    open_logs = QAction("Open log folder", window)
    open_logs.triggered.connect(lambda: open_log_folder(window))
    about = QAction("About Attendance", window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: open_about(window))
    menu.addAction(open_logs)
    menu.addAction(about)
    return menu


def open_about(window: QWidget) -> AboutDialog:
    """The About box, beside the window (not modal: the door goes on being watched)."""
    dialog = AboutDialog(window)
    dialog.setModal(False)
    dialog.show()
    return dialog


def open_log_folder(parent: QWidget, folder: Path | None = None) -> bool:
    """Show the log folder in the file manager; where none opens it (or it cannot be made),
    a message gives its path, selectable to copy. Returns whether it opened."""
    folder = log_folder() if folder is None else folder
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        opened = open_in_system(folder)
    except OSError:
        opened = False
    if not opened:
        box = QMessageBox(QMessageBox.Icon.Information, "Log folder",
                          f"The log files are in:\n\n{folder}\n\nSend window.log, commands.log "
                          "and crash.log from there to whoever helps you.", parent=parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
    return opened
