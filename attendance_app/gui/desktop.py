"""Opening files and folders in the programs the user already has (Excel, Files…)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_in_system(path: Path) -> bool:
    """Open `path` with its default program; False if the desktop refused."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
