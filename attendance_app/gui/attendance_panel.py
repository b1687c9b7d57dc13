"""Today's attendance beside the video: who arrived, newest first, and the workbook.

The table starts from the journal (the source of truth), so restarting the app in the
middle of the day shows everyone already logged; events then arrive from the worker.

A wrong row ("that was not X") is voided from here: select it and press "Void row…" (or
right-click it); the dialog asks why, and the window does the void. The context menu also
holds the corrections (gui/corrections.py). A voided row stays in
the table, struck through and grey, with the reason as its tooltip, and is not counted.
Under the table, today's refusals by the liveness check (gui/refusals_list.py), which are
no rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from attendance_app.gui.desktop import open_in_system
from attendance_app.gui.refusals_list import RefusalsList
from attendance_app.gui.void_dialog import VoidDialog
from attendance_app.i18n import N_, _, dates, ngettext
from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AttendanceEvent
from attendance_app.wording import as_sentence
from enrolment import StoreError
from exports import WorkbookError

COLUMNS = (N_("Time"), N_("Name"), N_("Camera"))
VOID_GREY = QColor("#8a8a8a")
EVENT_ROLE = Qt.ItemDataRole.UserRole  # the row's AttendanceEvent, on its first cell


def _voidable(event: AttendanceEvent | None) -> bool:
    """Whether `event` can be voided here: a row of the door's journal, not void. An
    arrival added by hand at a door with a central database is listed with no number at
    the door (gui/corrections.py): there is no row of it here to void."""
    return event is not None and event.event_id is not None and event.void is None


class AttendancePanel(QWidget):
    """A three-column table of today's events with buttons for the workbook and for
    voiding the selected row; `void_requested(event, reason)` asks the window to void."""

    void_requested = Signal(object, str)  # AttendanceEvent, the reason typed

    def __init__(self, workbook: Path, parent: QWidget | None = None,
                 before_open: Callable[[], None] | None = None) -> None:
        """before_open: what writes the workbook first, at a door of a central site that
        does not keep it (the site's rows are on the server, not in a file here)."""
        super().__init__(parent)
        self.workbook = workbook
        self.before_open = before_open
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.title.setWordWrap(True)  # a longer heading wraps: the panel keeps its width
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName(_("Today's attendance"))
        self.table.setHorizontalHeaderLabels([_(column) for column in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.itemSelectionChanged.connect(self._update_void_button)
        self.void_button = QPushButton(_("Void row…"))
        self.void_button.setToolTip(_("The selected row was someone else: keep it struck "
                                      "through, uncounted, and do not take that face for this "
                                      "person again"))
        self.void_button.clicked.connect(self.open_void_dialog)
        self.void_dialog: VoidDialog | None = None
        self.menu_extras: list[Callable[[QMenu, AttendanceEvent | None], None]] = []
        """More of the context menu (gui/corrections.py), given the row's event."""
        self.refusals = RefusalsList(today=True)
        self.open_workbook_button = QPushButton(_("Open workbook"))
        self.open_workbook_button.setToolTip(
            _("Open the attendance workbook in your spreadsheet program"))
        self.open_folder_button = QPushButton(_("Open folder"))
        self.open_folder_button.setToolTip(_("Show the folder that holds the workbook"))
        self.open_workbook_button.clicked.connect(self.open_workbook)
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_workbook_button)
        buttons.addWidget(self.open_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.void_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.refusals)
        layout.addLayout(buttons)
        self._day = date.today()
        self._update_title()
        self._update_void_button()

    def load(self, events: list[AttendanceEvent], refusals: Iterable[Refusal] = ()) -> None:
        """Show `events` (oldest first, as the journal gives them) newest on top, and
        today's among `refusals` under them."""
        self.table.setRowCount(0)
        for event in events:
            self.add_event(event)
        self.refusals.load(refusals, date.today())

    def add_event(self, event: AttendanceEvent) -> None:
        """Put a new event on top; a new day starts a fresh table."""
        if event.timestamp.date() != self._day:
            self._day = event.timestamp.date()
            self.table.setRowCount(0)
        self.table.insertRow(0)
        time_text = dates.time_text(event.timestamp, seconds=True)
        if event.kind != "in":
            time_text += f"  ({event.kind})"
        name_text = event.name
        if event.expression is not None:  # analytics.emotion
            name_text += f"  ({event.expression.describe()})"
        if event.age_gender is not None:  # analytics.age_gender
            name_text += f"  ({event.age_gender.describe()})"
        for column, text in enumerate((time_text, name_text, event.camera)):
            item = QTableWidgetItem(text)
            item.setToolTip(_("match distance {distance:.3f}").format(distance=event.distance))
            self.table.setItem(0, column, item)
        self._show(0, event)
        self._update_title()

    def mark_void(self, event: AttendanceEvent) -> None:
        """Show the row of `event` (just voided, its `void` set) struck through."""
        for row in range(self.table.rowCount()):
            if self.event_at(row).event_id == event.event_id:
                self._show(row, event)
        self._update_title()
        self._update_void_button()

    def _show(self, row: int, event: AttendanceEvent) -> None:
        """Keep `event` with its row; a void one struck through, grey, its reason as tip."""
        self.table.item(row, 0).setData(EVENT_ROLE, event)
        if event.void is None:
            return
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            font = item.font()
            font.setStrikeOut(True)
            item.setFont(font)
            item.setForeground(QBrush(VOID_GREY))
            item.setToolTip(_("Void, not counted: {reason}").format(reason=event.void.describe()))

    def event_at(self, row: int) -> AttendanceEvent:
        """The event shown in `row` (0 is the newest)."""
        return self.table.item(row, 0).data(EVENT_ROLE)

    def selected_event(self) -> AttendanceEvent | None:
        """The event of the selected row, if one is selected."""
        rows = self.table.selectionModel().selectedRows()
        return self.event_at(rows[0].row()) if rows else None

    def open_void_dialog(self) -> VoidDialog | None:
        """Ask why the selected row is wrong; when the dialog is accepted, the window is
        asked to void it (void_requested). Nothing for no row or a row void already."""
        event = self.selected_event()
        if event is None or not _voidable(event):
            return None
        dialog = VoidDialog(event, self)
        dialog.accepted.connect(lambda: self.void_requested.emit(event, dialog.reason))
        dialog.finished.connect(dialog.deleteLater)
        self.void_dialog = dialog
        dialog.open()
        return dialog

    def context_menu(self, row: int | None) -> QMenu:
        """The menu of a right-click on `row` (None: beside the rows), its row selected."""
        menu = QMenu(self)
        event = None if row is None else self.event_at(row)
        if row is not None:
            self.table.selectRow(row)
            action = menu.addAction(_("Void this row…"), self.open_void_dialog)
            action.setEnabled(_voidable(event))
        for add in self.menu_extras:
            add(menu, event)
        menu.aboutToHide.connect(menu.deleteLater)
        return menu

    def _context_menu(self, where: QPoint) -> None:
        item = self.table.itemAt(where)
        menu = self.context_menu(None if item is None else item.row())
        if not menu.isEmpty():
            menu.popup(self.table.viewport().mapToGlobal(where))

    def _update_void_button(self) -> None:
        self.void_button.setEnabled(_voidable(self.selected_event()))

    def names(self) -> list[str]:
        """The names in the table, top (newest) first."""
        return [self.table.item(row, 1).text() for row in range(self.table.rowCount())]

    def _update_title(self) -> None:
        """'Today, Monday 24 November: 3 arrivals', voided rows not counted but named."""
        voided = sum(1 for row in range(self.table.rowCount()) if self.event_at(row).void)
        count = self.table.rowCount() - voided
        day = dates.weekday_and_day_text(self._day)
        void = ngettext("{count} voided", "{count} voided", voided).format(count=voided)
        if count == 0:
            text = _("Today, {day}: nobody yet ({voided})") if voided else \
                _("Today, {day}: nobody yet")
        elif voided:
            text = ngettext("Today, {day}: {count} arrival ({voided})",
                            "Today, {day}: {count} arrivals ({voided})", count)
        else:
            text = ngettext("Today, {day}: {count} arrival", "Today, {day}: {count} arrivals",
                            count)
        self.title.setText(text.format(day=day, count=count, voided=void))

    def open_workbook(self) -> None:
        if self.before_open is not None:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.before_open()
            except (StoreError, WorkbookError, OSError) as error:
                QMessageBox.warning(self, _("Cannot write the workbook"),
                                    as_sentence(str(error)))
                return
            finally:
                QGuiApplication.restoreOverrideCursor()
        if not self.workbook.exists():
            QMessageBox.information(self, _("No workbook yet"),
                                    _("{file} is created when the first person is recognised.")
                                    .format(file=self.workbook.name))
            return
        if not open_in_system(self.workbook):
            QMessageBox.warning(self, _("Cannot open the workbook"),
                                _("No program opened {file}; open it from its folder.")
                                .format(file=self.workbook))

    def open_folder(self) -> None:
        folder = self.workbook.parent
        if not open_in_system(folder):
            QGuiApplication.clipboard().setText(str(folder))
            QMessageBox.information(
                self, _("No file manager"),
                _("No file manager is set up to show folders here. The workbooks are in\n\n"
                  "{folder}\n\n(the path is copied: paste it into your file manager or "
                  "terminal).").format(folder=folder))
