"""Which groups one person belongs to, ticked in a list: the People dialog's **Groups…**.

Only what changed is written (enrolment.groups: assign, unassign), so closing it
unchanged writes nothing. Groups are created with their hours by `attendance-app group
add` (docs/user-guide.md, "Groups and hours").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from attendance_app.i18n import N_, _
from enrolment import GroupBook, StoreError

NO_GROUPS = N_("No groups yet: create them with attendance-app group add NAME --start HH:MM "
               "--days mon-fri")


class PersonGroupsDialog(QDialog):
    """The groups of `book`, those of person `name` (id `person_id`) ticked."""

    def __init__(self, book: GroupBook, name: str, person_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book, self.name = book, name
        self.setWindowTitle(_("Groups of {name}").format(name=name))
        member_of = set(book.memberships().get(person_id, []))
        self.list = QListWidget()
        self.list.setAccessibleName(_("Groups ({name} is in the ticked ones)").format(name=name))
        self._was: dict[str, bool] = {}
        for group in book.groups():
            item = QListWidgetItem(group.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = group.group_id in member_of
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
            self._was[group.name] = ticked
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{name} belongs to the groups ticked:").format(name=name)
                                if self._was else _(NO_GROUPS)))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def ticked(self) -> dict[str, bool]:
        """Each group's name and whether it is ticked now."""
        return {self.list.item(row).text():
                self.list.item(row).checkState() == Qt.CheckState.Checked
                for row in range(self.list.count())}

    def save(self) -> None:
        """Assign or unassign the person where a tick changed, then close; a refusal (a
        group removed meanwhile, a central database out of reach) is shown and the dialog
        stays open."""
        for group, ticked in self.ticked().items():
            if ticked != self._was[group]:
                try:
                    (self.book.assign if ticked else self.book.unassign)(group, [self.name])
                except StoreError as error:
                    QMessageBox.warning(self, _("Not changed"), str(error))
                    return
                self._was[group] = ticked
        self.accept()
