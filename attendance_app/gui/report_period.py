"""What the Reports dialog reports on: one day or a range of days, and all groups or one.

A secretary asks either "who is missing today" or "how did class 3A do this term": a
switch between the two, each date with its calendar, and the groups of the site to pick
from (with "No group" for the people in none), as the command line's `report --day` and
`report --from --to --group` take them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QLabel, QWidget

from attendance_app.gui.accessibility import label_fields
from attendance_app.gui.date_formats import day_format
from attendance_app.i18n import N_, _
from exports import words
from exports.by_group import NO_GROUP  # a workbook word: its catalog translates it

ONE_DAY, DATE_RANGE = N_("One day"), N_("Date range")
ALL_GROUPS = N_("All groups")


def _date_edit(when: QDate) -> QDateEdit:
    edit = QDateEdit(when)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(day_format(long=True))
    return edit


class PeriodPicker(QWidget):
    """The mode (one day, date range), the day or first day (`day`), the last day
    (`until`, in range mode) and the group; `changed` fires on any change."""

    changed = Signal()

    def __init__(self, groups: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        for mode in (ONE_DAY, DATE_RANGE):
            self.mode.addItem(_(mode), mode)
        today = QDate.currentDate()
        self.day = _date_edit(today)
        self.until = _date_edit(today)
        self.until_label = QLabel(_("To:"))
        self.day_label = QLabel(_("Day:"))
        self.group = QComboBox()
        self.group.addItem(_(ALL_GROUPS), None)
        for name in [*groups, NO_GROUP] if groups else []:
            self.group.addItem(words._(NO_GROUP) if name == NO_GROUP else name, name)
        self.group.setEnabled(bool(groups))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Report:"), self.mode)
        form.addRow(self.day_label, self.day)
        form.addRow(self.until_label, self.until)
        form.addRow(_("Group:"), self.group)
        label_fields(form)  # "Day:" and "To:" name their date fields for screen readers
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.day.dateChanged.connect(self._first_changed)
        self.until.dateChanged.connect(self._last_changed)
        self.group.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self._mode_changed()

    @property
    def is_range(self) -> bool:
        """Whether a range of days is chosen (else one day)."""
        return self.mode.currentData() == DATE_RANGE

    def days(self) -> tuple[date, date]:
        """The first and the last day chosen (the same day in one-day mode)."""
        first = self.day.date().toPython()
        return (first, self.until.date().toPython()) if self.is_range else (first, first)

    def chosen_group(self) -> str | None:
        """The group chosen, "No group", or None for all groups."""
        return self.group.currentData()

    def _mode_changed(self) -> None:
        wide = self.is_range
        self.day_label.setText(_("From:") if wide else _("Day:"))
        self.until.setVisible(wide)
        self.until_label.setVisible(wide)
        if wide and self.until.date() < self.day.date():
            self.until.setDate(self.day.date())
        self.changed.emit()

    def _first_changed(self) -> None:
        """A first day after the last moves the last with it: a range never runs backwards."""
        if self.is_range and self.until.date() < self.day.date():
            self.until.setDate(self.day.date())  # emits changed through _last_changed
            return
        self.changed.emit()

    def _last_changed(self) -> None:
        if self.until.date() < self.day.date():
            self.day.setDate(self.until.date())
            return
        if self.is_range:
            self.changed.emit()
