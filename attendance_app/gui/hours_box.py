"""The site's hours in the Settings dialog: the start of the day, the week days and the
grace minutes of people in no group (groups have their own: the `group` command).

Before this box the start time could be set only in the settings file. Labels, tooltips,
bounds and checks come from the declarations, as in the rest of the dialog; only the
values changed here are written.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QSpinBox, QWidget

from attendance_app.config.declarations import declared
from attendance_app.config.settings import AttendanceConfig
from attendance_app.gui.declared_words import label_text, tooltip_text
from attendance_app.i18n import N_, _

TEXT_KEYS = ("start_time", "default_days")
PLACEHOLDERS = {"start_time": N_("HH:MM (empty: nobody is late)"),
                "default_days": N_("mon-fri, or mon,wed,fri")}


def _label(key: str) -> QLabel:
    label = QLabel(label_text("attendance", key))
    label.setToolTip(tooltip_text("attendance", key))
    return label


class HoursBox(QGroupBox):
    """The site's hours of `config`; `changes` gives those edited."""

    def __init__(self, config: AttendanceConfig, parent: QWidget | None = None) -> None:
        super().__init__(_("Hours of people in no group"), parent)
        self.config = config
        self.texts: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for key in TEXT_KEYS:
            edit = QLineEdit(getattr(config, key))
            edit.setPlaceholderText(_(PLACEHOLDERS[key]))
            edit.setToolTip(tooltip_text("attendance", key))
            self.texts[key] = edit
            form.addRow(_label(key), edit)
        self.grace = QSpinBox()
        declaration = declared("attendance", "grace_minutes")
        self.grace.setRange(int(declaration.low or 0), int(declaration.high or 1440))
        self.grace.setSuffix(_(" min"))
        self.grace.setToolTip(tooltip_text("attendance", "grace_minutes"))
        self.grace.setValue(config.grace_minutes)
        form.addRow(_label("grace_minutes"), self.grace)

    def values(self) -> dict[str, Any]:
        """What the box shows."""
        shown: dict[str, Any] = {key: edit.text().strip() for key, edit in self.texts.items()}
        shown["grace_minutes"] = self.grace.value()
        return shown

    def changes(self) -> dict[tuple[str, str], Any]:
        """The settings edited, as the dialog saves them; ValueError with one line naming
        the setting for a value its declaration refuses (25:00, "weekdays")."""
        edited = {key: value for key, value in self.values().items()
                  if value != getattr(self.config, key)}
        for key, value in edited.items():
            check = declared("attendance", key).check
            if check is not None:
                try:
                    check(value)
                except ValueError as error:
                    raise ValueError(_("{label}: {problem}").format(
                        label=_(declared("attendance", key).label), problem=error)) from None
        return {("attendance", key): value for key, value in edited.items()}
