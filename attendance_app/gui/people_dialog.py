"""The enrolled people: a face, a name, how many encodings, since when and in which groups,
a search box, and the things one does with them (rename, add shots, groups, delete).

The list is a model/view pair so it opens at once with thousands of people: the people
are read in one query, and a face picture is read from the store only when its row is
first painted (scrolled into view), then kept. The dialog only edits the store; it emits
`people_changed` so the main window can hand the new gallery to the running pipeline,
and asks for the enrol dialog through signals.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui import shortcuts
from attendance_app.gui.confirmations import confirm
from attendance_app.gui.groups_dialog import GroupsDialog
from attendance_app.gui.person_groups_dialog import PersonGroupsDialog
from attendance_app.gui.qimages import jpeg_to_pixmap
from attendance_app.gui.window_state import restore_dialog, save_dialog
from attendance_app.i18n import _, dates, ngettext
from enrolment import FaceStore, GroupBook, Person, StoreError

THUMB_PX = 56

NAME_ROLE = Qt.ItemDataRole.UserRole
"""The data role holding a row's plain name (the display text has two lines)."""


def _icon(jpeg: bytes | None) -> QIcon:
    """A square face thumbnail, grey when the person has no stored picture."""
    pixmap = jpeg_to_pixmap(jpeg) if jpeg else QPixmap()
    if pixmap.isNull():
        pixmap = QPixmap(THUMB_PX, THUMB_PX)
        pixmap.fill(Qt.GlobalColor.lightGray)
    return QIcon(pixmap.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                               Qt.TransformationMode.SmoothTransformation))


class PeopleModel(QAbstractListModel):
    """Everyone in the store, by name, narrowed to the names containing a search text
    (case-insensitive). A face is read (`FaceStore.face_thumbnail`) the first time the
    view asks for it, which it does only for rows it paints."""

    def __init__(self, store: FaceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._everyone: list[Person] = []
        self._keys: list[str] = []
        self._shown: list[Person] = []
        self._search = ""
        self._icons: dict[int, QIcon] = {}
        self._groups: dict[int, str] = {}

    @property
    def total(self) -> int:
        """How many people are enrolled, whatever the search."""
        return len(self._everyone)

    def reload(self) -> None:
        """Read everyone again; faces are read again as rows are painted, since adding
        or deleting shots may have changed them."""
        self.beginResetModel()
        self._everyone = self.store.people()
        book = GroupBook(self.store)
        names = {group.group_id: group.name for group in book.groups()}
        self._groups = {person: ", ".join(sorted((names[group] for group in groups),
                                                 key=str.casefold))
                        for person, groups in book.memberships().items()}
        self._keys = [person.name.casefold() for person in self._everyone]
        self._icons.clear()
        self._shown = self._matching()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        """Show only the people whose name contains `text`, ignoring case."""
        self.beginResetModel()
        self._search = text.strip().casefold()
        self._shown = self._matching()
        self.endResetModel()

    def _matching(self) -> list[Person]:
        if not self._search:
            return list(self._everyone)
        return [p for p, key in zip(self._everyone, self._keys) if self._search in key]

    def row_of(self, name: str) -> int | None:
        """The row showing `name`, or None when it is not listed."""
        return next((row for row, p in enumerate(self._shown) if p.name == name), None)

    def rowCount(  # noqa: N802 - Qt's name
            self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        person = self._shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            count = person.encoding_count
            groups = self._groups.get(person.person_id)
            text = ngettext("{name}\n{count} face encoding · enrolled {day}",
                            "{name}\n{count} face encodings · enrolled {day}", count).format(
                                name=person.name, count=count,
                                day=dates.day_text(person.created_at.date()))
            return f"{text} · {groups}" if groups else text
        if role == Qt.ItemDataRole.DecorationRole:
            if person.person_id not in self._icons:
                self._icons[person.person_id] = _icon(self.store.face_thumbnail(person.person_id))
            return self._icons[person.person_id]
        if role == NAME_ROLE:
            return person.name
        return None


def _enrolled(count: int) -> str:
    return ngettext("{count} person enrolled", "{count} people enrolled", count).format(
        count=count)


class PeopleDialog(QDialog):
    """Lists everyone in the store; `add_shots_requested(name)` asks for the enrol dialog."""

    people_changed = Signal()
    add_shots_requested = Signal(str)
    enrol_requested = Signal()

    def __init__(self, store: FaceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(_("People"))
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search by name"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.model = PeopleModel(store, self)
        self.list = QListView()
        self.list.setAccessibleName(_("People"))
        self.search.setAccessibleName(_("Search by name"))
        self.list.setModel(self.model)
        # One row measures them all: otherwise the view would ask every row for its size,
        # and so read every face, before showing anything.
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.list.doubleClicked.connect(lambda _: self.rename_selected())
        self.enrol_button = QPushButton(_("Enrol a new person…"))
        self.add_button = QPushButton(_("Add shots…"))
        self.rename_button = QPushButton(_("Rename…"))
        self.groups_button = QPushButton(_("Groups…"))
        self.groups_button.setToolTip(_("The groups (classes, departments) this person is in"))
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.setToolTip(
            _("Delete this person with every face encoding and picture"))
        self.enrol_button.clicked.connect(self.enrol_requested.emit)
        self.add_button.clicked.connect(lambda: self.add_shots_requested.emit(self.selected_name()))
        self.rename_button.clicked.connect(self.rename_selected)
        self.groups_button.clicked.connect(self.groups_of_selected)
        self.manage_button = QPushButton(_("Manage groups…"))
        self.manage_button.setToolTip(
            _("Create, rename and delete groups, and set their hours"))
        self.manage_button.clicked.connect(self.manage_groups)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QVBoxLayout()
        for button in (self.enrol_button, self.add_button, self.rename_button,
                       self.groups_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addWidget(self.manage_button)
        buttons.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        listing = QVBoxLayout()
        listing.addWidget(self.search)
        listing.addWidget(self.list, 1)
        body = QHBoxLayout()
        body.addLayout(listing, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        self.resize(560, 440)
        shortcuts.add_action(self, "find", _("Search by name"), self._find)  # Ctrl+F
        shortcuts.add_action(self, "refresh", _("Read the list again"), self.reload)  # F5
        shortcuts.install(self)
        restore_dialog(self, "people")  # the size it had when last closed
        self.reload()

    def _find(self) -> None:
        """The Find key: to the search box, its text selected to type over."""
        self.search.setFocus()
        self.search.selectAll()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        """Remember the size the user gave the list, for the next time it opens."""
        save_dialog(self, "people")
        super().hideEvent(event)

    def reload(self) -> None:
        """Read the store again (after enrolling, renaming or deleting)."""
        selected = self.selected_name()
        self.model.reload()
        self._reselect(selected)
        self._update_summary()

    def _search_changed(self, text: str) -> None:
        selected = self.selected_name()
        self.model.set_search(text)
        self._reselect(selected)
        self._update_summary()

    def _reselect(self, name: str) -> None:
        """Select `name` again after the rows changed, if it is still listed."""
        row = self.model.row_of(name) if name else None
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
        self._update_buttons()

    def _update_summary(self) -> None:
        total = self.model.total
        if not total:
            self.summary.setText(_("Nobody is enrolled yet: press “Enrol a new person…”"))
        elif self.search.text().strip():
            shown = self.model.rowCount()
            matching = ngettext("{count} matching “{search}”", "{count} matching “{search}”",
                                shown)
            self.summary.setText(_("{enrolled}, {matching}").format(
                enrolled=_enrolled(total),
                matching=matching.format(count=shown, search=self.search.text().strip())))
        else:
            self.summary.setText(_enrolled(total))

    def names(self) -> list[str]:
        """The listed names (those matching the search), in list order."""
        return [self.model.index(row).data(NAME_ROLE) for row in range(self.model.rowCount())]

    def select(self, name: str) -> None:
        """Select `name`, clearing the search first if it hides them; nothing is selected
        when nobody of that name is enrolled."""
        if self.model.row_of(name) is None and self.search.text():
            self.search.clear()
        row = self.model.row_of(name)
        if row is None:
            self.list.clearSelection()
            return
        index = self.model.index(row)
        self.list.setCurrentIndex(index)
        self.list.scrollTo(index)

    def selected_name(self) -> str:
        indexes = self.list.selectionModel().selectedIndexes()
        return indexes[0].data(NAME_ROLE) if indexes else ""

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_name())
        for button in (self.add_button, self.rename_button, self.delete_button):
            button.setEnabled(chosen)
        self.groups_button.setEnabled(chosen)

    def rename_selected(self) -> None:
        old = self.selected_name()
        if not old:
            return
        new, ok = QInputDialog.getText(self, _("Rename"),
                                       _("New name for {name}:").format(name=old), text=old)
        if not ok or new.strip() == old:
            return
        try:
            person = self.store.rename(old, new)
        except StoreError as error:
            QMessageBox.warning(self, _("Not renamed"), str(error))
            return
        self.reload()
        self.select(person.name)
        self.people_changed.emit()
        confirm(self, _("Renamed {old} to {new}").format(old=old, new=person.name))

    def group_book(self) -> GroupBook:
        """The groups to change: the door's own, or with a central database the site's,
        written on the server (a refusal, or a server out of reach, is shown in one line)."""
        if self.store.FRESH_START is None:
            return GroupBook(self.store)
        from attendance_app.central.group_book import group_book

        return group_book(self.store)

    def groups_dialog(self) -> PersonGroupsDialog | None:
        """The groups dialog of the selected person (None when nobody is selected)."""
        person = self.store.find(self.selected_name()) if self.selected_name() else None
        if person is None:
            return None
        return PersonGroupsDialog(self.group_book(), person.name, person.person_id, self)

    def groups_of_selected(self) -> None:
        """Tick the selected person's groups; the list shows them after."""
        dialog = self.groups_dialog()
        if dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            name = self.selected_name()
            confirm(self, _("Saved the groups of {name}").format(name=name))
            self.reload()
            self.select(name)

    def manage_groups(self) -> None:
        """The Groups dialog; the list shows the groups as they are after."""
        GroupsDialog(self.group_book(), self).exec()
        name = self.selected_name()
        self.reload()
        self.select(name)

    def delete_selected(self) -> None:
        name = self.selected_name()
        if not name:
            return
        answer = QMessageBox.question(
            self, _("Delete person"),
            _("Delete {name} with every face encoding and picture? They will no longer be "
              "recognised. Attendance already written is kept.").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.forget(name)
        except StoreError as error:
            QMessageBox.warning(self, _("Not deleted"), str(error))
            return
        self.reload()
        self.people_changed.emit()
        confirm(self, _("Deleted {name} with every face encoding and picture").format(name=name))
