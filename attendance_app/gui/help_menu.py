"""The window's Help menu: the keyboard shortcuts, the log folder, to send its files to
whoever helps, the app in the Linux applications menu, and the About box.

A menu bar of its own, with Help only: the toolbar holds the daily tasks, and Help is
where people look for "About" (on macOS Qt moves it into the application menu)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from attendance_app.app.desktop_entry import add_to_menu
from attendance_app.app.log_file import log_folder
from attendance_app.errors import AttendanceError
from attendance_app.gui.about_dialog import AboutDialog
from attendance_app.gui.desktop import open_in_system
from attendance_app.gui.shortcuts_dialog import open_shortcuts
from attendance_app.i18n import _


def add_help_menu(window: QMainWindow) -> QMenu:
    """Help → Open log folder, Add to applications menu (Linux), About Attendance;
    returns the menu."""
    menu = window.menuBar().addMenu(_("&Help"))
    keys = QAction(_("Keyboard shortcuts…"), window)
    keys.setObjectName("keyboard_shortcuts")  # F1 (gui/shortcuts.py)
    keys.triggered.connect(lambda: open_shortcuts(window))
    menu.addAction(keys)
    menu.addSeparator()
    open_logs = QAction(_("Open log folder"), window)
    open_logs.triggered.connect(lambda: open_log_folder(window))
    about = QAction(_("About Attendance…"), window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: open_about(window))
    menu.addAction(open_logs)
    if sys.platform.startswith("linux"):
        add_entry = QAction(_("Add to applications menu"), window)
        add_entry.triggered.connect(lambda: add_menu_entry(window))
        menu.addAction(add_entry)
    menu.addAction(about)
    return menu


def add_menu_entry(parent: QWidget) -> bool:
    """Put this copy of the app in the Linux applications menu (desktop_entry.py); says in
    a message what was done or why not. Returns whether the entry was written."""
    try:
        path = add_to_menu()
    except AttendanceError as error:
        QMessageBox.warning(parent, _("Applications menu"),
                            _("The app could not be added: {reason}.").format(reason=error))
        return False
    QMessageBox.information(parent, _("Applications menu"),
                            _("Attendance is now in your applications menu ({path}).").format(
                                path=path))
    return True


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
        box = QMessageBox(QMessageBox.Icon.Information, _("Log folder"),
                          _("The log files are in:\n\n{folder}\n\nSend window.log, commands.log "
                            "and crash.log from there to whoever helps you.").format(
                                folder=folder), parent=parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()
    return opened
