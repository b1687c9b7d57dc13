"""The window's file dialogs, each opening in the folder it was last used in.

Every kind of file has its own memory (a video is not looked for where the reports were
saved): `start_folder` says where a dialog opens, `remember_folder` records the folder
of what the user chose, in the remembered window state (gui/window_state.py). The first
time, a dialog opens in the user's own folder for that kind (Videos, Pictures,
Documents, from QStandardPaths), not the home folder; a remembered folder since deleted
is passed over the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from attendance_app.gui.window_state import remembered

Place = QStandardPaths.StandardLocation


@dataclass(frozen=True)
class FileKind:
    """A kind of file dialog: its key in window.ini and the user's folder it starts in."""

    key: str
    first: Place


VIDEO = FileKind("video", Place.MoviesLocation)
PHOTOS = FileKind("photos", Place.PicturesLocation)
REPORT_WORKBOOK = FileKind("report_workbook", Place.DocumentsLocation)
CSV_FOLDER = FileKind("csv_folder", Place.DocumentsLocation)
CALENDAR = FileKind("calendar", Place.DocumentsLocation)
WORKBOOK = FileKind("workbook", Place.DocumentsLocation)


def start_folder(kind: FileKind, fallback: Path | None = None) -> Path:
    """Where a dialog of `kind` opens: the folder last chosen in one, when it still
    exists; else `fallback` (when given and there) or the user's folder for the kind;
    the home folder only when there is no such folder."""
    last = remembered().value(f"folders/{kind.key}")
    candidates = [Path(str(last))] if last else []
    if fallback is not None:
        candidates.append(fallback)
    candidates += [Path(found) for found in QStandardPaths.standardLocations(kind.first)]
    for folder in candidates:
        if folder.is_dir():
            return folder
    return Path.home()


def remember_folder(kind: FileKind, chosen: Path, is_folder: bool = False) -> None:
    """Record the folder of `chosen` (a file, or the folder itself) for the next time."""
    settings = remembered()
    settings.setValue(f"folders/{kind.key}", str(chosen if is_folder else chosen.parent))
    settings.sync()


def open_file(parent: QWidget, kind: FileKind, title: str, filters: str) -> Path | None:
    """One existing file of `kind`, or None when the user cancels."""
    name, _chosen = QFileDialog.getOpenFileName(parent, title, str(start_folder(kind)), filters)
    return _chosen_path(kind, name)


def open_files(parent: QWidget, kind: FileKind, title: str, filters: str) -> list[Path]:
    """Existing files of `kind` (none when the user cancels)."""
    names, _chosen = QFileDialog.getOpenFileNames(parent, title, str(start_folder(kind)), filters)
    paths = [Path(name) for name in names]
    if paths:
        remember_folder(kind, paths[0])
    return paths


def save_file(parent: QWidget, kind: FileKind, title: str, suggested_name: str, filters: str,
              fallback: Path | None = None) -> Path | None:
    """A file of `kind` to write, suggested as `suggested_name` in the start folder."""
    start = start_folder(kind, fallback) / suggested_name
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    return _chosen_path(kind, name)


def choose_folder(parent: QWidget, kind: FileKind, title: str) -> Path | None:
    """A folder to write files of `kind` into, or None when the user cancels."""
    name = QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind)))
    if not name:
        return None
    remember_folder(kind, Path(name), is_folder=True)
    return Path(name)


def _chosen_path(kind: FileKind, name: str) -> Path | None:
    if not name:
        return None
    remember_folder(kind, Path(name))
    return Path(name)
