"""The enrolled people: a face, a name, how many encodings and since when, and the
three things one does with them (rename, add shots, delete).

The dialog only edits the store; it emits `people_changed` so the main window can hand
the new gallery to the running pipeline and open the enrol dialog when asked.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui.qimages import jpeg_to_pixmap
from enrolment import FaceStore, Person, StoreError

THUMB_PX = 56


def _thumbnail(store: FaceStore, person: Person) -> QIcon:
    images = store.face_images(person.name)
    pixmap = jpeg_to_pixmap(images[0]) if images else QPixmap()
    if pixmap.isNull():
        pixmap = QPixmap(THUMB_PX, THUMB_PX)
        pixmap.fill(Qt.GlobalColor.lightGray)
    return QIcon(pixmap.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                               Qt.TransformationMode.SmoothTransformation))


class PeopleDialog(QDialog):
    """Lists everyone in the store; `add_shots_requested(name)` asks for the enrol dialog."""

    people_changed = Signal()
    add_shots_requested = Signal(str)
    enrol_requested = Signal()

    def __init__(self, store: FaceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("People")
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.list = QListWidget()
        self.list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _: self.rename_selected())
        self.enrol_button = QPushButton("Enrol a new person…")
        self.add_button = QPushButton("Add shots…")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete this person with every face encoding and picture")
        self.enrol_button.clicked.connect(self.enrol_requested.emit)
        self.add_button.clicked.connect(lambda: self.add_shots_requested.emit(self.selected_name()))
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QVBoxLayout()
        for button in (self.enrol_button, self.add_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        self.resize(560, 440)
        self.reload()

    def reload(self) -> None:
        """Read the store again (after enrolling, renaming or deleting)."""
        selected = self.selected_name()
        self.list.clear()
        people = self.store.people()
        for person in people:
            shots = f"{person.encoding_count} face encoding{'s' if person.encoding_count != 1 else ''}"
            text = f"{person.name}\n{shots} · enrolled {person.created_at:%d %b %Y}"
            item = QListWidgetItem(_thumbnail(self.store, person), text)
            item.setData(Qt.ItemDataRole.UserRole, person.name)
            self.list.addItem(item)
            if person.name == selected:
                item.setSelected(True)
        self.summary.setText(f"{len(people)} people enrolled" if people else
                             "Nobody is enrolled yet: press “Enrol a new person…”")
        self._update_buttons()

    def names(self) -> list[str]:
        """The listed names, in list order."""
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) == name)

    def selected_name(self) -> str:
        items = self.list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else ""

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_name())
        for button in (self.add_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen)

    def rename_selected(self) -> None:
        old = self.selected_name()
        if not old:
            return
        new, ok = QInputDialog.getText(self, "Rename", f"New name for {old}:", text=old)
        if not ok or new.strip() == old:
            return
        try:
            person = self.store.rename(old, new)
        except StoreError as error:
            QMessageBox.warning(self, "Not renamed", str(error))
            return
        self.reload()
        self.select(person.name)
        self.people_changed.emit()

    def delete_selected(self) -> None:
        name = self.selected_name()
        if not name:
            return
        answer = QMessageBox.question(
            self, "Delete person",
            f"Delete {name} with every face encoding and picture? They will no longer be "
            "recognised. Attendance already written is kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.forget(name)
        except StoreError as error:
            QMessageBox.warning(self, "Not deleted", str(error))
            return
        self.reload()
        self.people_changed.emit()
