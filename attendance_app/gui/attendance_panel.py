"""Today's attendance beside the video: who arrived, newest first, and the workbook.

The table starts from the journal (the source of truth), so restarting the app in the
middle of the day shows everyone already logged; events then arrive from the worker.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from attendance_app.events import AttendanceEvent
from attendance_app.gui.desktop import open_in_system

COLUMNS = ("Time", "Name", "Camera")


class AttendancePanel(QWidget):
    """A three-column table of today's events with buttons for the workbook."""

    def __init__(self, workbook: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.open_workbook_button = QPushButton("Open workbook")
        self.open_workbook_button.setToolTip("Open the attendance workbook in your spreadsheet program")
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setToolTip("Show the folder that holds the workbook")
        self.open_workbook_button.clicked.connect(self.open_workbook)
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_workbook_button)
        buttons.addWidget(self.open_folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._day = date.today()
        self._update_title()

    def load(self, events: list[AttendanceEvent]) -> None:
        """Show `events` (oldest first, as the journal gives them) newest on top."""
        self.table.setRowCount(0)
        for event in events:
            self.add_event(event)

    def add_event(self, event: AttendanceEvent) -> None:
        """Put a new event on top; a new day starts a fresh table."""
        if event.timestamp.date() != self._day:
            self._day = event.timestamp.date()
            self.table.setRowCount(0)
        self.table.insertRow(0)
        time_text = event.timestamp.strftime("%H:%M:%S")
        if event.kind != "in":
            time_text += f"  ({event.kind})"
        for column, text in enumerate((time_text, event.name, event.camera)):
            item = QTableWidgetItem(text)
            item.setToolTip(f"match distance {event.distance:.3f}")
            self.table.setItem(0, column, item)
        self._update_title()

    def names(self) -> list[str]:
        """The names in the table, top (newest) first."""
        return [self.table.item(row, 1).text() for row in range(self.table.rowCount())]

    def _update_title(self) -> None:
        count = self.table.rowCount()
        people = "nobody yet" if count == 0 else f"{count} arrival{'s' if count != 1 else ''}"
        self.title.setText(f"Today, {self._day:%A %d %B}: {people}")

    def open_workbook(self) -> None:
        if not self.workbook.exists():
            QMessageBox.information(self, "No workbook yet",
                                    f"{self.workbook.name} is created when the first person is "
                                    "recognised.")
            return
        if not open_in_system(self.workbook):
            QMessageBox.warning(self, "Cannot open the workbook",
                                f"No program opened {self.workbook}; open it from its folder.")

    def open_folder(self) -> None:
        folder = self.workbook.parent
        if not open_in_system(folder):
            QGuiApplication.clipboard().setText(str(folder))
            QMessageBox.information(
                self, "No file manager",
                f"No file manager is set up to show folders here. The workbooks are in\n\n"
                f"{folder}\n\n(the path is copied: paste it into your file manager or terminal).")
