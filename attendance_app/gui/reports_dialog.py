"""Reports from the desktop: a day's present, absent and late people, a month's workbook
with its report sheets, and the same reports as CSV files. Under the day's people, the
faces the liveness check refused that day (gui/refusals_list.py): no report counts them.

Writing a month's workbook takes up to a couple of seconds for a large school, so it runs
in a background thread (gui/background.py) that reports every outcome back through a
signal: the window stays responsive, and the dialog never stays on "Writing…".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.app.workspace import Workspace
from attendance_app.gui.background import describe_failure, run_in_background
from attendance_app.gui.desktop import open_in_system
from attendance_app.gui.refusals_list import RefusalsList
from attendance_app.records.reporting import MonthReports, describe_day
from attendance_app.wording import counted
from enrolment import StoreError
from exports import WorkbookError


class ReportsDialog(QDialog):
    """Pick a month (and a day); open the month's workbook or save CSV files."""

    workbook_written = Signal(object)  # Path of the month's workbook
    csv_written = Signal(object)  # list[Path] of the CSV files
    write_failed = Signal(str)  # the line shown: writing raised, expected or not

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Reports")
        self.month = QComboBox()
        months = sorted(workspace.journal().month_totals(), reverse=True)
        for month in months or [f"{date.today():%Y-%m}"]:
            self.month.addItem(f"{date.fromisoformat(month + '-01'):%B %Y}", month)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dddd d MMMM yyyy")
        self.day.dateChanged.connect(self._show_day)
        self.day_text = QPlainTextEdit()  # scrolls: the lists are whole, 136 names and more
        self.day_text.setReadOnly(True)
        self.refusals = RefusalsList(today=False)
        self.status = QLabel("The workbook holds every report of the month: daily summary, "
                             "days, absent, late arrivals (when a start time is set) and a "
                             "timesheet.")
        self.status.setWordWrap(True)
        self.workbook_button = QPushButton("Open the month's workbook")
        self.workbook_button.clicked.connect(self.write_workbook)
        self.csv_button = QPushButton("Save the month as CSV…")
        self.csv_button.clicked.connect(self.choose_csv_folder)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        form = QFormLayout()
        form.addRow("Month:", self.month)
        form.addRow("Day:", self.day)
        buttons = QHBoxLayout()
        for button in (self.workbook_button, self.csv_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.day_text, 1)
        layout.addWidget(self.refusals)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(560, 420)
        self._busy = False
        self._show_day()

    def _selected_month(self) -> date:
        return date.fromisoformat(self.month.currentData() + "-01")

    def _show_day(self) -> None:
        """The chosen day's present, absent and late people (one day: quick to compute),
        and its refusals (this door's journal keeps them; no central database has them)."""
        day = self.day.date().toPython()
        self.refusals.load(self.workspace.journal().refusals(), day)
        try:
            reports = MonthReports.load(self.workspace, day)
            self.day_text.setPlainText("\n".join([*describe_day(reports.report(day), day),
                                                   *reports.by_hand(day)]))
        except (StoreError, WorkbookError) as error:
            self.day_text.setPlainText(str(error))

    def write_workbook(self) -> None:
        """Rewrite the month's workbook in the background, then open it."""
        month = self._selected_month()

        def task() -> tuple[Path | None, str]:
            reports = MonthReports.load(self.workspace, month)
            if not reports.rows:
                return None, f"No attendance events in {reports.title}."
            path = reports.write_workbook()
            return path, f"Wrote the reports of {reports.title} to {path}."

        self._run(task, self._workbook_done)

    def _workbook_done(self, path: Path | None) -> None:
        if path is not None:
            self.workbook_written.emit(path)
            if not open_in_system(path):
                self.status.setText(f"{self.status.text()} No spreadsheet program opened it: "
                                    f"open it from {path.parent}.")

    def choose_csv_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save the reports as CSV files in")
        if folder:
            self.write_csv(Path(folder))

    def write_csv(self, folder: Path) -> None:
        """Write the month's reports as CSV files into `folder`, in the background."""
        month = self._selected_month()

        def task() -> tuple[list[Path] | None, str]:
            reports = MonthReports.load(self.workspace, month)
            if not reports.rows:
                return None, f"No attendance events in {reports.title}."
            written = reports.write_csv(folder)
            return written, (f"Wrote {counted(len(written), 'CSV file')} for {reports.title} "
                             f"to {folder}.")

        self._run(task, lambda written: written is not None and self.csv_written.emit(written))

    def _run(self, task: Callable[[], tuple[object, str]],
             then: Callable[[object], object]) -> None:
        """Run `task` off the GUI thread; show its message and pass its result to `then`,
        or show why it failed, whatever it raised."""
        if self._busy:
            return
        self._set_busy(True)

        def succeeded(outcome: tuple[object, str]) -> None:
            result, message = outcome
            self._set_busy(False)
            self.status.setText(message)
            then(result)

        def failed(error: Exception) -> None:
            self._set_busy(False)
            line = f"Nothing written: {describe_failure(error)}"
            self.status.setText(line)
            self.write_failed.emit(line)

        run_in_background(task, "reports", self, succeeded, failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.workbook_button, self.csv_button):
            button.setEnabled(not busy)
        if busy:
            self.status.setText("Writing…")
