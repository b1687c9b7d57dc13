"""The Unknown visitors dialog's list: one row per group of faces (its best face, visits,
first and last seen), read lazily so that 5,000 groups show as fast as five.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QWidget

from attendance_app.gui.qimages import jpeg_to_pixmap
from attendance_app.i18n import dates, ngettext
from attendance_app.unknowns.groups import UnknownGroup
from attendance_app.unknowns.store import UnknownStore

THUMB_PX = 72

GROUP_ROLE = Qt.ItemDataRole.UserRole
"""The data role holding a row's group number."""


def _icon(jpeg: bytes | None) -> QIcon:
    """A square face thumbnail, grey when the picture is gone."""
    pixmap = jpeg_to_pixmap(jpeg) if jpeg else QPixmap()
    if pixmap.isNull():
        pixmap = QPixmap(THUMB_PX, THUMB_PX)
        pixmap.fill(Qt.GlobalColor.lightGray)
    scaled = pixmap.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                           Qt.TransformationMode.SmoothTransformation)
    # The middle square, so that every row's text starts at the same place.
    return QIcon(scaled.copy((scaled.width() - THUMB_PX) // 2, (scaled.height() - THUMB_PX) // 2,
                             THUMB_PX, THUMB_PX))


def _row_text(group: UnknownGroup) -> str:
    return ngettext("Group {number} · {count} visit\nfirst seen {first} · last seen {last}",
                    "Group {number} · {count} visits\nfirst seen {first} · last seen {last}",
                    group.visits).format(number=group.number, count=group.visits,
                                         first=dates.moment_text(group.first_seen),
                                         last=dates.moment_text(group.last_seen))


class GroupsModel(QAbstractListModel):
    """The groups, most visits first; a group's best face is read from the store the
    first time the view asks for it (it asks only for rows it paints), then kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[UnknownGroup] = []
        self._store: UnknownStore | None = None
        self._icons: dict[int, QIcon] = {}

    def show(self, groups: list[UnknownGroup], store: UnknownStore | None) -> None:
        self.beginResetModel()
        self.groups, self._store = groups, store
        self._icons.clear()
        self.endResetModel()

    def row_of(self, number: int) -> int | None:
        return next((row for row, g in enumerate(self.groups) if g.number == number), None)

    def rowCount(  # noqa: N802 - Qt's name
            self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.groups)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        group = self.groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _row_text(group)
        if role == Qt.ItemDataRole.DecorationRole:
            if group.number not in self._icons:
                best = group.sightings[0].sighting_id
                self._icons[group.number] = _icon(self._store.face_image(best)
                                                  if self._store is not None else None)
            return self._icons[group.number]
        if role == GROUP_ROLE:
            return group.number
        return None
