"""The main window: live video with names, today's attendance, and the way to every task.

The window owns no recognition state: a VideoWorker thread owns the pipeline, and the
window reacts to its signals (frames, events, camera state, failures). Changing the
source or the settings retires the running worker and starts a new one; closing the
window stops the worker, which releases the camera and flushes the workbook, and waits
for it, so no row is left behind. The window opens at once: the worker loads the face
models afterwards, and the status bar says so until it reports them loaded.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from attendance_app.app.desktop_entry import ICON
from attendance_app.app.workspace import Workspace, WorkspaceError
from attendance_app.camera.sources import SourceError, SourceSpec
from attendance_app.gui import shortcuts
from attendance_app.gui.attendance_panel import AttendancePanel
from attendance_app.gui.corrections import PanelCorrections
from attendance_app.gui.door_watch import DoorWatch
from attendance_app.gui.enrol_dialog import EnrolDialog
from attendance_app.gui.help_menu import add_help_menu
from attendance_app.gui.notices import INFORMATION, NoticeArea, NoticeHandler
from attendance_app.gui.people_dialog import PeopleDialog
from attendance_app.gui.playback_bar import add_playback_bar
from attendance_app.gui.reports_dialog import ReportsDialog
from attendance_app.gui.row_voiding import void_row
from attendance_app.gui.settings_dialog import SettingsDialog
from attendance_app.gui.source_dialog import ask_for_source
from attendance_app.gui.unknowns_dialog import UnknownsDialog
from attendance_app.gui.video_view import VideoView
from attendance_app.gui.video_worker import FramePacket, SourceState, VideoWorker
from attendance_app.gui.window_parts import (
    LOADING_TEXT,
    DoorStatus,
    SourceBanner,
    add_calendar_action,
    add_toolbar,
    fps_text,
    legend,
    state_text,
    unusable_source_text,
    window_title,
)
from attendance_app.gui.window_state import restore_window, save_window
from attendance_app.gui.worker_threads import WorkerThreads
from attendance_app.i18n import N_, _, dates, ngettext
from attendance_app.records.reporting import MonthReports
from attendance_app.types import AttendanceEvent

SOURCE_NOTE = "source-information"  # the notice key of what a source says, until it changes
NO_CAMERA_TEXT = N_("No camera found.\nPlug in a webcam, or choose a video file or a network "
                    "camera with “Camera / video…”.")


class MainWindow(QMainWindow):
    """The app's window. `config_path` is where the settings dialog saves; `data_dir` and
    `workbook` are the command line's overrides, kept when settings change."""

    roster_changed = Signal()  # another door changed the central roster (heard in a thread)

    def __init__(self, workspace: Workspace, source: str, config_path: Path,
                 data_dir: Path | None = None, workbook: Path | None = None,
                 database: str | None = None) -> None:
        super().__init__()
        # First: warnings logged while the stores open are shown too (attendance_app.errors).
        self.notices = NoticeArea()
        self._notice_handler = NoticeHandler()
        self._notice_handler.heard.connect(self.notices.hear)
        self.notices.ended.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._notice_handler.install()
        self.workspace = workspace
        self.config_path = config_path
        self._overrides = (data_dir, workbook, database)
        # With a central database: the door's copy of the roster as it is (the window
        # never waits for the network), and a link that sends this door's rows and brings
        # the other doors' changes, the first pull included (refresh_gallery, through a
        # signal: it is heard in its own thread).
        self.store = workspace.roster_copy() or workspace.store()
        self._journal = workspace.journal()
        self.link = workspace.central_link(self.store, self._journal)
        if self.link is not None:
            self.link.on_roster_changed = self.roster_changed.emit
            self.roster_changed.connect(self.refresh_gallery)
            self.link.start(hear_first=False)
        self.source = source
        self.spec: SourceSpec | None = None
        self.workers = WorkerThreads(self)
        self.enrol_dialog: EnrolDialog | None = None
        self.people_dialog: PeopleDialog | None = None
        self.source_state = ""
        self._closed = False
        self._build()
        self.watch = DoorWatch(self, self.link, self._journal, self.store, self.door_status,
                               self.refresh_gallery)
        self.panel.load(self._journal.events_on(date.today()), self._journal.refusals())
        self._update_people_count()
        self.start_source(source)

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(_("Attendance"))
        self.setWindowIcon(QIcon(str(ICON)))
        self.toolbar = add_toolbar(self, ((_("Enrol person…"), self.open_enrol),
                                          (_("People…"), self.open_people),
                                          (_("Unknown visitors…"), self.open_unknowns),
                                          (_("Reports…"), self.open_reports),
                                          (_("Camera / video…"), self.choose_source),
                                          (_("Settings…"), self.open_settings)))
        add_calendar_action(self.toolbar, self)
        self.help_menu = add_help_menu(self)
        shortcuts.add_action(self, "quit", _("Quit"), self.close)
        self.video = VideoView()
        self.banner = SourceBanner(self.choose_source)
        self.banner_text = self.banner.text
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.video, 1)
        self.playback = add_playback_bar(left_layout, self.video, self.statusBar(),
                                         lambda frame: self.start_source(self.source, frame))
        left_layout.addWidget(legend())

        keeps_none = self.link is not None and not self.workspace.config.database.keeps_workbook
        self.panel = AttendancePanel(self.workspace.workbook_path,
                                     before_open=self._write_site_month if keeps_none else None)
        self.panel.void_requested.connect(self.void_row)
        self.corrections = PanelCorrections(self.panel, self.workspace, self.store, lambda: (
            self.workers.current is not None and self.workers.current.journal_changed()))
        self.splitter = splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)  # the list keeps its width; the video takes the rest
        splitter.setSizes([720, 300])
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.notices)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(container)

        self.door_status = DoorStatus(self.statusBar(), central=self.link is not None)
        self.models_label = self.door_status.models
        self.camera_label = self.door_status.camera
        self.fps_label = self.door_status.fps
        self.people_label = self.door_status.people
        self.central_label = self.door_status.central
        restore_window(self, splitter)
        shortcuts.install(self)  # last: every action of the window exists

    def _write_site_month(self) -> None:
        """This month's workbook from the central log, for a door that keeps none: what
        "Open workbook" shows there is the whole site's attendance."""
        MonthReports.load(self.workspace, date.today()).write_workbook()

    # -- the worker --------------------------------------------------------------------------
    def start_source(self, source: str, start_frame: int = 0) -> None:
        """Show `source` (as --source understands it; a video file from `start_frame`),
        replacing what runs now."""
        if self._closed:
            return
        self.workers.retire()
        self.notices.clear(SOURCE_NOTE)  # what the old source said (photos with liveness on)
        self.source = source
        self.door_status.set_fps("")  # the old source's rate says nothing about the new one
        try:
            self.spec = SourceSpec.parse(source)
        except SourceError:
            self.spec = None
            self.playback.bind(None)
            self.door_status.show_loading(False)
            self.video.show_message(_(NO_CAMERA_TEXT))
            self._show_problem(unusable_source_text(source))
            self._show_state(SourceState.NO_CAMERA)
            return
        self.banner.hide()
        self.setWindowTitle(window_title(self.spec))
        self.video.show_message(_(LOADING_TEXT))
        self.door_status.show_loading(True)
        self._show_state(SourceState.STARTING)
        worker = VideoWorker(self.workspace, self.spec, self.store, self.link,
                             self.playback.fast, start_frame)
        self.playback.bind(worker)
        worker.frame_ready.connect(self._on_frame)
        worker.event_logged.connect(self._on_event)
        worker.refusal_noted.connect(self.panel.refusals.add)  # liveness.mode: no row
        worker.refusal_noted.connect(self.door_status.tell_refusal)
        worker.state_changed.connect(self._on_state)
        worker.models_ready.connect(self._on_models_ready)
        worker.finished.connect(self._on_models_ready)  # also when it ended before loading them
        worker.failed.connect(self._on_failed)
        worker.informed.connect(self._on_information)
        self.workers.start(worker)

    def _current(self) -> bool:
        """Whether the signal being handled comes from the worker now in charge."""
        return self.sender() is self.workers.current

    def _on_models_ready(self) -> None:
        if self._current():
            self.door_status.show_loading(False)

    def _on_frame(self, packet: FramePacket) -> None:
        if not self._current():
            return
        self.video.show_frame(packet.image, packet.result.tracks)
        self.door_status.set_fps(fps_text(packet.fps))
        if self.enrol_dialog is not None:
            self.enrol_dialog.show_frame(packet)

    def _on_event(self, event: AttendanceEvent) -> None:
        self.panel.add_event(event)
        self.statusBar().showMessage(_("{name} arrived at {time}").format(
            name=event.name, time=dates.time_text(event.timestamp.time())), 8000)

    def _on_state(self, state: str) -> None:
        if not self._current():
            return
        self._show_state(state)
        if state == SourceState.NO_CAMERA:
            self.video.show_message(_(NO_CAMERA_TEXT))
        elif state == SourceState.CONNECTED:
            self.banner.hide()
        elif state == SourceState.ENDED:
            self.video.freeze()

    def _show_state(self, state: str) -> None:
        """The source's state in the status bar and the enrol dialog; frames per second
        only while frames come."""
        self.source_state = state
        self.camera_label.setText(state_text(state))
        if state not in (SourceState.CONNECTED, SourceState.PLAYING, SourceState.PHOTOS):
            self.door_status.set_fps("")
        if self.enrol_dialog is not None:
            self.enrol_dialog.set_source_state(state)

    def _on_failed(self, message: str) -> None:
        if self._current():
            self._show_problem(message)

    def _on_information(self, message: str) -> None:
        if self._current():
            self.notices.show_notice(SOURCE_NOTE, message, INFORMATION)

    def _show_problem(self, message: str) -> None:
        self.banner.show_problem(message)

    # -- people ----------------------------------------------------------------------------
    def _update_people_count(self) -> None:
        count = len(self.store.people())
        self.people_label.setText(ngettext("{count} person enrolled", "{count} people enrolled",
                                           count).format(count=count))

    def refresh_gallery(self) -> None:
        """After enrolling, renaming or deleting: the pipeline and the lists see it now."""
        if self.workers.current is not None:
            self.workers.current.roster_changed()
        self._update_people_count()
        if self.people_dialog is not None:
            self.people_dialog.reload()

    def void_row(self, event: AttendanceEvent, reason: str) -> None:
        """Void a row of today's list, for `reason` (gui/row_voiding.py)."""
        void_row(self, event, reason)

    def open_enrol(self, person: str | None = None) -> EnrolDialog:
        """Open the enrol dialog (for a new person, or to add shots to `person`)."""
        if self.enrol_dialog is not None:
            self.enrol_dialog.raise_()
            return self.enrol_dialog
        dialog = EnrolDialog(self.workspace, self.store, person, live=self.spec is not None,
                             parent=self)
        dialog.finished.connect(self._enrol_finished)
        self.enrol_dialog = dialog
        dialog.set_source_state(self.source_state)
        dialog.open()
        return dialog

    def _enrol_finished(self, result: int) -> None:
        dialog, self.enrol_dialog = self.enrol_dialog, None
        if result == QDialog.DialogCode.Accepted and dialog is not None and dialog.enrolled:
            self.statusBar().showMessage(_("Enrolled {name}").format(name=dialog.enrolled.name),
                                         8000)
            self.refresh_gallery()

    def open_people(self) -> PeopleDialog:
        if self.people_dialog is None:
            dialog = PeopleDialog(self.store, self)
            dialog.people_changed.connect(self.refresh_gallery)
            dialog.add_shots_requested.connect(self.open_enrol)
            dialog.enrol_requested.connect(self.open_enrol)
            self.people_dialog = dialog
        self.people_dialog.reload()
        self.people_dialog.show()
        self.people_dialog.raise_()
        return self.people_dialog

    def open_reports(self) -> ReportsDialog:
        """Who came, who did not and who was late; the month's workbook or CSV files."""
        dialog = ReportsDialog(self.workspace, self)
        dialog.setModal(False)
        dialog.show()
        return dialog

    def open_unknowns(self) -> UnknownsDialog:
        """The faces kept of people who are not enrolled, grouped by person; one enrolled
        from there is recognised by the running camera from the next frame on."""
        dialog = UnknownsDialog(self.workspace, self.store, self.config_path, self)
        dialog.people_changed.connect(self.refresh_gallery)
        dialog.setModal(False)
        dialog.show()
        return dialog

    # -- source and settings -------------------------------------------------------------------
    def choose_source(self) -> None:
        source = ask_for_source(self, self.source, self.config_path)
        if source is None or self._closed:
            return
        self.start_source(source)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.workspace.config, self.config_path, self.workspace.data_dir, self,
                                current_source=self.source)
        dialog.accepted.connect(lambda: self.apply_settings(dialog))
        dialog.open()
        return dialog

    def apply_settings(self, dialog: SettingsDialog) -> None:
        """Restart on the saved settings (a new camera source, tolerance, workbook…)."""
        config = dialog.saved
        if config is None:
            return
        try:
            workspace = Workspace.resolve(config, *self._overrides)
        except WorkspaceError as error:
            QMessageBox.warning(self, _("Settings saved, not applied"), str(error))
            return
        source_changed = config.camera.source != self.workspace.config.camera.source
        self.workspace = workspace
        self.panel.workbook = workspace.workbook_path
        self.start_source(config.camera.source if source_changed else self.source)
        self.statusBar().showMessage(_("Settings saved to {path}").format(path=self.config_path),
                                     8000)

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Close in order: the open dialogs (the enrol dialog waits for its judge, a dialog
        in exec() returns), then every video worker, which releases the camera and flushes
        the workbook, waiting for each; then the window. Closing twice does nothing more."""
        if not self._closed:
            self._closed = True
            for dialog in self.findChildren(QDialog):
                if dialog.isVisible():
                    dialog.reject()
            self.workers.stop_all()
            save_window(self, self.splitter)
            if self.link is not None:
                self.link.close()
            self._notice_handler.remove()
        super().closeEvent(event)
