"""The window's Groups dialog: create, rename and delete groups and edit their hours, as
`attendance-app group` does (enrolment.groups keeps them; exports.hours checks them).

A group's hours are typed as on the command line (days `mon-fri`, times `HH:MM`), so one
page of the user guide explains both; a bad value is shown in one line under the form
and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui.checked_form import CheckedForm
from attendance_app.gui.confirmations import confirm
from attendance_app.i18n import _, ngettext
from attendance_app.records.schedule import group_hours
from enrolment import Group, GroupBook, StoreError
from exports.hours import check_grace, days_text, parse_clock, parse_days


class GroupForm(CheckedForm):
    """A group's name and hours; `values` holds them, checked, after OK."""

    def __init__(self, title: str, group: Group | None = None,
                 parent: QWidget | None = None) -> None:
        hours = group_hours(group) if group else None
        name = QLineEdit(group.name if group else "")
        name.setReadOnly(group is not None)  # renaming is its own button
        days = QLineEdit(days_text(hours.days) if hours else "mon-fri")
        start = QLineEdit(group.start if group else "08:00")
        grace = QSpinBox()
        grace.setRange(0, 24 * 60)
        grace.setSuffix(_(" min"))
        grace.setValue(group.grace if group else 0)
        end = QLineEdit(group.end if group else "")
        end.setPlaceholderText(_("HH:MM (optional)"))
        super().__init__(title, [(_("Name:"), name), (_("Week days:"), days),
                                 (_("Start:"), start), (_("Grace:"), grace), (_("End:"), end)],
                         self._checked, parent)
        self.name, self.days, self.start, self.grace, self.end = name, days, start, grace, end
        self.values: tuple[str, int, str, int, str] | None = None

    def _checked(self) -> tuple[str, int, str, int, str]:
        """The values typed, checked as `group add` checks them (ValueError naming the
        first that is wrong); kept in `values`."""
        name = self.name.text().strip()
        if not name:
            raise ValueError(_("give the group a name, e.g. Class 3B"))
        days = sum(1 << day for day in parse_days(self.days.text()))
        start = f"{parse_clock(self.start.text()):%H:%M}"
        end = f"{parse_clock(self.end.text()):%H:%M}" if self.end.text().strip() else ""
        if end and end <= start:
            raise ValueError(_("the day must end after it starts ({start}), not at {end}")
                             .format(start=start, end=end))
        self.values = (name, days, start, check_grace(self.grace.value()), end)
        return self.values


class GroupsDialog(QDialog):
    """Every group of `book` with its members and hours, and what one does with them."""

    def __init__(self, book: GroupBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.setWindowTitle(_("Groups"))
        self._groups: list[Group] = []
        self.list = QListWidget()
        self.list.setAccessibleName(_("Groups"))
        self.list.currentRowChanged.connect(lambda _: self._update_buttons())
        self.add_button = QPushButton(_("Add…"))
        self.hours_button = QPushButton(_("Hours…"))
        self.rename_button = QPushButton(_("Rename…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.add_button.clicked.connect(lambda: self.add(GroupForm(_("New group"), None, self)))
        self.hours_button.clicked.connect(lambda: self.edit_hours(
            GroupForm(_("Hours"), self.selected(), self)))
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.hours_button, self.rename_button,
                       self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        body = QHBoxLayout(self)
        body.addWidget(self.list, 1)
        body.addLayout(buttons)
        self.resize(560, 320)
        self.reload()

    def reload(self) -> None:
        """Read the groups again; the same group stays selected."""
        name = self.selected().name if self.selected() else ""
        self._groups = self.book.groups()
        self.list.clear()
        for group in self._groups:
            members = ngettext("{count} member", "{count} members", group.members).format(
                count=group.members)
            self.list.addItem(f"{group.name} · {members} · {group_hours(group).describe()}")
        names = [group.name for group in self._groups]
        self.list.setCurrentRow(names.index(name) if name in names else -1)
        self._update_buttons()

    def selected(self) -> Group | None:
        """The group selected in the list, or None."""
        row = self.list.currentRow()
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def names(self) -> list[str]:
        """The groups' names, in list order."""
        return [group.name for group in self._groups]

    def _update_buttons(self) -> None:
        for button in (self.hours_button, self.rename_button, self.delete_button):
            button.setEnabled(self.selected() is not None)

    def _stored(self, action: str, do: Callable[[], object]) -> bool:
        """Run a store change, showing its refusal (a name taken) in a message box."""
        try:
            do()
        except StoreError as error:
            QMessageBox.warning(self, action, str(error))
            return False
        self.reload()
        return True

    def add(self, form: GroupForm) -> None:
        """Create a group from `form` (shown first, unless already answered)."""
        if form.values is None and form.exec() != QDialog.DialogCode.Accepted:
            return
        assert form.values is not None
        if self._stored(_("Not added"), lambda: self.book.add(*form.values)):
            self.list.setCurrentRow(self.names().index(form.values[0]))
            confirm(self, _("Created the group {name}").format(name=form.values[0]))

    def edit_hours(self, form: GroupForm) -> None:
        """Give the selected group the hours of `form`."""
        if form.values is None and form.exec() != QDialog.DialogCode.Accepted:
            return
        assert form.values is not None
        if self._stored(_("Not changed"), lambda: self.book.set_hours(*form.values)):
            confirm(self, _("Saved the hours of {name}").format(name=form.values[0]))

    def rename_selected(self) -> None:
        group = self.selected()
        if group is None:
            return
        new, ok = QInputDialog.getText(self, _("Rename"),
                                       _("New name for {name}:").format(name=group.name),
                                       text=group.name)
        if ok and new.strip() and new.strip() != group.name and self._stored(
                _("Not renamed"), lambda: self.book.rename(group.name, new.strip())):
            self.list.setCurrentRow(self.names().index(self.book.require(new).name))
            confirm(self, _("Renamed the group {old} to {new}").format(old=group.name,
                                                                      new=new.strip()))

    def delete_selected(self) -> None:
        group = self.selected()
        if group is None:
            return
        answer = QMessageBox.question(
            self, _("Delete group"),
            ngettext("Delete the group {name}? Its {count} member stays enrolled.",
                     "Delete the group {name}? Its {count} members stay enrolled.",
                     group.members).format(name=group.name, count=group.members),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            if self._stored(_("Not deleted"), lambda: self.book.remove(group.name)):
                confirm(self, _("Deleted the group {name}").format(name=group.name))
