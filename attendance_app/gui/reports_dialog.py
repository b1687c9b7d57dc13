"""Reports from the desktop: who was present, absent and late on a day or over a range
of days, of all groups or one, in whole lists; that period exported as a workbook and as
CSV files; the month's own workbook opened. Under a day's people, the faces the liveness
check refused that day (gui/refusals_list.py): no report counts them.

Writing a workbook takes up to a couple of seconds for a large school, so it runs in a
background thread (gui/background.py) that reports every outcome back through a signal:
the window stays responsive, and the dialog never stays on "Writing…".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.app.workspace import Workspace
from attendance_app.errors import AttendanceError
from attendance_app.gui.background import describe_failure, run_in_background
from attendance_app.gui.desktop import open_in_system
from attendance_app.gui.file_dialogs import CSV_FOLDER, REPORT_WORKBOOK, choose_folder, save_file
from attendance_app.gui.refusals_list import RefusalsList
from attendance_app.gui.report_period import PeriodPicker
from attendance_app.i18n import _, dates, ngettext
from attendance_app.records.range_reports import RangeReports, describe_range
from attendance_app.records.reporting import MonthReports, describe_day
from enrolment import StoreError
from exports import WorkbookError
from exports.group_filter import only_group


class ReportsDialog(QDialog):
    """Pick a day or a range, and a group; read its lists, export it, or open the month's
    workbook."""

    workbook_written = Signal(object)  # Path of the month's workbook
    excel_written = Signal(object)  # Path of the chosen period's workbook
    csv_written = Signal(object)  # list[Path] of the CSV files
    write_failed = Signal(str)  # the line shown: writing raised, expected or not
    period_shown = Signal()  # the lists of the period chosen are in day_text

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle(_("Reports"))
        groups = [group.name for group in workspace.schedule().groups]
        self.period = PeriodPicker(groups)
        self.day, self.until = self.period.day, self.period.until
        self.period.changed.connect(self._show_period)
        self.day_text = QPlainTextEdit()  # scrolls: the lists are whole, 136 names and more
        self.day_text.setReadOnly(True)
        self.day_text.setAccessibleName(_("Report"))
        self.refusals = RefusalsList(today=False)
        self.status = QLabel(_("Export the day or range chosen as a workbook (each person's "
                               "totals, the days, absent, late arrivals and a timesheet) or as "
                               "CSV files."))
        self.status.setWordWrap(True)
        self.excel_button = QPushButton(_("Export to Excel…"))
        self.excel_button.clicked.connect(self.choose_workbook_file)
        self.csv_button = QPushButton(_("Export CSV…"))
        self.csv_button.clicked.connect(self.choose_csv_folder)
        self.workbook_button = QPushButton(_("Open the month's workbook"))
        self.workbook_button.clicked.connect(self.write_workbook)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.excel_button, self.csv_button, self.workbook_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.period)
        layout.addWidget(self.day_text, 1)
        layout.addWidget(self.refusals)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(560, 460)
        self._busy = False
        self._asked = 0  # which choice of period the lists shown must be of
        self._show_period()

    def _show_period(self) -> None:
        """The chosen day's (or range's) present, absent and late people, of the group
        chosen; a day's refusals too (this door's journal keeps them; no central database
        has them)."""
        first, last = self.period.days()
        group = self.period.chosen_group()
        self.refusals.setVisible(not self.period.is_range)
        self._asked += 1
        if self.period.is_range:
            self._count_range(first, last, group)
            return
        try:
            self.refusals.load(self.workspace.journal().refusals(), first)
            reports = MonthReports.load(self.workspace, first)
            report = reports.report(first)
            if group is not None:
                _rows, report = only_group(reports.rows, report, group)
            self.day_text.setPlainText("\n".join([
                *describe_day(report, first), *(reports.by_hand(first) if group is None else [])]))
        except (AttendanceError, StoreError, WorkbookError, ValueError) as error:
            self.day_text.setPlainText(str(error))
        self.period_shown.emit()

    def _count_range(self, first: date, last: date, group: str | None) -> None:
        """Count a range in the background (a year of a school takes about a second) and
        show it, unless another period was chosen meanwhile."""
        asked = self._asked
        self.day_text.setPlainText(_("Counting {first} to {last}…").format(
            first=dates.day_text(first), last=dates.day_text(last)))

        def work() -> list[str]:
            _rows, report = RangeReports.load(self.workspace, first, last).report(group)
            return describe_range(report)

        def show(text: str) -> None:
            if asked == self._asked:
                self.day_text.setPlainText(text)
                self.period_shown.emit()

        run_in_background(work, "range report", self, lambda lines: show("\n".join(lines)),
                          lambda error: show(describe_failure(error)))

    def _period_words(self) -> str:
        """'2026-11-02-to-2026-11-27-3A': the chosen period as a file name suggests it."""
        first, last = self.period.days()
        group = self.period.chosen_group()
        words = f"{first}" if first == last else f"{first}-to-{last}"
        return words if group is None else words + "-" + re.sub(r"[^\w]+", "-", group)

    def choose_workbook_file(self) -> None:
        path = save_file(self, REPORT_WORKBOOK, _("Export the report as a workbook"),
                         f"attendance-{self._period_words()}.xlsx", _("Excel workbook (*.xlsx)"))
        if path is not None:
            self.write_excel(path)

    def write_excel(self, path: Path) -> None:
        """Write the chosen period's workbook to `path` in the background, then open it."""
        def write(reports: RangeReports, group: str | None) -> tuple[Path, str]:
            rows = reports.write_workbook(path, group)
            return path, ngettext("Wrote {count} row and the reports of {period} to {path}.",
                                  "Wrote {count} rows and the reports of {period} to {path}.",
                                  rows).format(count=rows, period=reports.title, path=path)

        self._run(self._of_range(write),
                  lambda written: self._open_written(written, self.excel_written))

    def write_workbook(self) -> None:
        """Rewrite the month's workbook (the month of the day chosen) in the background,
        then open it."""
        month = self.period.days()[0]

        def task() -> tuple[Path | None, str]:
            reports = MonthReports.load(self.workspace, month)
            if not reports.rows:
                return None, _("No attendance events in {period}.").format(period=reports.title)
            path = reports.write_workbook()
            return path, _("The reports of {period} are in {path}.").format(
                period=reports.title, path=path)

        self._run(task, lambda written: self._open_written(written, self.workbook_written))

    def _open_written(self, path: Path | None, signal: SignalInstance) -> None:
        """Say through `signal` that the workbook `path` was written, and open it; None:
        nothing was written (the status says why)."""
        if path is not None:
            signal.emit(path)
            if not open_in_system(path):
                self.status.setText(_("{done} No spreadsheet program opened it: open it from "
                                      "{folder}.").format(done=self.status.text(),
                                                          folder=path.parent))

    def choose_csv_folder(self) -> None:
        folder = choose_folder(self, CSV_FOLDER, _("Save the reports as CSV files in"))
        if folder is not None:
            self.write_csv(folder)

    def write_csv(self, folder: Path) -> None:
        """Write the chosen period's reports as CSV files into `folder`, in the background."""
        def write(reports: RangeReports, group: str | None) -> tuple[list[Path], str]:
            written = reports.write_csv(folder, group)
            return written, ngettext("Wrote {count} CSV file for {period} to {folder}.",
                                     "Wrote {count} CSV files for {period} to {folder}.",
                                     len(written)).format(count=len(written),
                                                          period=reports.title, folder=folder)

        self._run(self._of_range(write),
                  lambda written: written is not None and self.csv_written.emit(written))

    def _of_range(self, write: Callable[[RangeReports, str | None], tuple[object, str]]
                  ) -> Callable[[], tuple[object, str]]:
        """The task of writing the chosen period (and group) with `write`, to run in the
        background: it reads the period then, and writes nothing for a period with no
        events (the status says so)."""
        (first, last), group = self.period.days(), self.period.chosen_group()

        def task() -> tuple[object, str]:
            reports = RangeReports.load(self.workspace, first, last)
            if not reports.rows:
                return None, _("No attendance events from {period}.").format(
                    period=reports.title)
            return write(reports, group)

        return task

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
            line = _("Nothing written: {problem}").format(problem=describe_failure(error))
            self.status.setText(line)
            self.write_failed.emit(line)

        run_in_background(task, "reports", self, succeeded, failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.excel_button, self.csv_button, self.workbook_button):
            button.setEnabled(not busy)
        if busy:
            self.status.setText(_("Writing…"))
