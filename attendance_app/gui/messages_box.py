"""The Messages part of the Settings dialog: the webhook, the daily summary and the mail
server (attendance_app.messages), folded away under a checkable box that is open when
messages are on.

Labels, tooltips, bounds and the checks of each value come from the declarations, as in
the rest of the dialog. There is no password field: the password is never in the
settings file, and the box says how to keep it (`attendance-app messages password` or
ATTENDANCE_SMTP_PASSWORD). Only the settings changed here are written, so a save never
fills a settings file with empty messages settings.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from attendance_app.config.declarations import declared
from attendance_app.config.settings import MessagesConfig
from attendance_app.gui.declared_words import label_text, tooltip_text
from attendance_app.i18n import N_, _

TEXT_KEYS = ("webhook_url", "summary_time", "summary_to", "smtp_host", "smtp_user", "smtp_from")
PLACEHOLDERS = {"webhook_url": N_("https://… (empty: no webhook)"), "summary_time": "HH:MM",
                "summary_to": "office@example.org, …", "smtp_host": "smtp.example.org",
                "smtp_from": N_("the SMTP user")}
"""Shown translated; an address or a format stays as it is (_() leaves it unchanged)."""
PASSWORD_NOTE = N_("The mail server's password is never saved here: store it with "
                   "attendance-app messages password, or set ATTENDANCE_SMTP_PASSWORD.")


def _label(key: str) -> QLabel:
    label = QLabel(label_text("messages", key))
    label.setToolTip(tooltip_text("messages", key))
    return label


class MessagesBox(QGroupBox):
    """The messages settings of `config`; `changes` gives those edited."""

    def __init__(self, config: MessagesConfig, parent: QWidget | None = None) -> None:
        super().__init__(_("Messages (webhook, daily summary by e-mail)"), parent)
        self.config = config
        self.setCheckable(True)
        self.setChecked(config.on)  # folded while off; its values are kept either way
        self.texts: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        for key in TEXT_KEYS:
            edit = QLineEdit(getattr(config, key))
            edit.setPlaceholderText(_(PLACEHOLDERS[key]) if key in PLACEHOLDERS else "")
            edit.setToolTip(tooltip_text("messages", key))
            self.texts[key] = edit
        self.port = QSpinBox()
        declaration = declared("messages", "smtp_port")
        self.port.setRange(int(declaration.low or 1), int(declaration.high or 65535))
        self.port.setToolTip(tooltip_text("messages", "smtp_port"))
        self.port.setValue(config.smtp_port)
        self.security = QComboBox()
        for choice in declared("messages", "smtp_security").choices or ():
            self.security.addItem(choice, choice)
        self.security.setCurrentIndex(max(0, self.security.findData(config.smtp_security)))
        self.security.setToolTip(tooltip_text("messages", "smtp_security"))
        for key in ("webhook_url", "summary_time", "summary_to", "smtp_host"):
            form.addRow(_label(key), self.texts[key])
        form.addRow(_label("smtp_port"), self.port)
        form.addRow(_label("smtp_security"), self.security)
        form.addRow(_label("smtp_user"), self.texts["smtp_user"])
        form.addRow(_label("smtp_from"), self.texts["smtp_from"])
        note = QLabel(_(PASSWORD_NOTE))
        note.setWordWrap(True)
        note.setStyleSheet("color: gray;")
        form.addRow(note)

    def values(self) -> dict[str, Any]:
        """What the box shows; unchecked, messages are off (no webhook, no e-mail)."""
        shown: dict[str, Any] = {key: edit.text().strip() for key, edit in self.texts.items()}
        if not self.isChecked():
            shown["webhook_url"] = shown["summary_to"] = ""
        shown["smtp_port"] = self.port.value()
        shown["smtp_security"] = self.security.currentData()
        return shown

    def changes(self) -> dict[tuple[str, str], Any]:
        """The settings edited, as the dialog saves them; ValueError with one line naming
        the setting for a value its declaration refuses (a time of 25:00, a bad address)."""
        edited = {key: value for key, value in self.values().items()
                  if value != getattr(self.config, key)}
        for key, value in edited.items():
            check = declared("messages", key).check
            if check is not None:
                try:
                    check(value)
                except ValueError as error:
                    raise ValueError(_("{label}: {problem}").format(
                        label=_(declared("messages", key).label), problem=error)) from None
        return {("messages", key): value for key, value in edited.items()}
