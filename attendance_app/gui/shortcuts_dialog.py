"""Help → Keyboard shortcuts…: every key of gui/shortcuts.py's table, in the platform's
own writing, so a user finds them without a manual. Read from the same table that gives
the actions their keys, so the list cannot drift from what the keys do."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui.shortcuts import SHORTCUTS, native_text
from attendance_app.i18n import _


class ShortcutsDialog(QDialog):
    """The table of shortcuts: what each does, its keys, and where it works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Keyboard shortcuts"))
        intro = QLabel(_("These keys work while the window they belong to is in front."))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(SHORTCUTS), 3)
        self.table.setHorizontalHeaderLabels([_("What it does"), _("Keys"), _("Where")])
        self.table.setAccessibleName(_("Keyboard shortcuts"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        for row, shortcut in enumerate(SHORTCUTS):
            for column, text in enumerate((_(shortcut.what), native_text(shortcut),
                                           _(shortcut.where))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def rows(self) -> list[tuple[str, str, str]]:
        """The table as shown: (what it does, keys, where)."""
        return [(self.table.item(row, 0).text(), self.table.item(row, 1).text(),
                 self.table.item(row, 2).text()) for row in range(self.table.rowCount())]


def open_shortcuts(parent: QWidget) -> ShortcutsDialog:
    """The list, beside the window (not modal: the door goes on being watched); one at a
    time: asked again, the open one comes to the front."""
    dialog = parent.findChild(ShortcutsDialog)
    if dialog is None:
        dialog = ShortcutsDialog(parent)
        dialog.setModal(False)
    dialog.show()
    dialog.raise_()
    return dialog
