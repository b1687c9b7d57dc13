"""Choosing where the picture comes from: a webcam number, a video file or a stream URL.

Shown when there is no camera, and from the toolbar. The choice is checked with the
same `SourceSpec.parse` as `--source`, so the window accepts exactly what the command
line accepts.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from attendance_app.camera.sources import SourceError, SourceSpec
from attendance_app.config.save import save_settings
from attendance_app.config.settings import ConfigError
from attendance_app.gui.file_dialogs import VIDEO, open_file
from attendance_app.i18n import N_, _

VIDEO_FILTER = N_("Videos (*.mp4 *.avi *.mov *.mkv *.m4v *.webm);;All files (*)")
MAX_SCREEN_SHARE = 0.9
"""The dialog grows to show a long path whole, up to this share of the screen's width."""
OTHER_COLUMNS_PX = 260
"""Room the radio button and Browse… take beside the path, in pixels."""


class SourceDialog(QDialog):
    """After Accepted: `source` is the chosen --source text, `remember` whether to save it."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Choose the camera or video"))
        self.source = current
        self.camera_radio = QRadioButton(_("Webcam number"))
        self.file_radio = QRadioButton(_("Video file"))
        self.stream_radio = QRadioButton(_("Network camera (URL)"))
        self.group = QButtonGroup(self)
        for radio in (self.camera_radio, self.file_radio, self.stream_radio):
            self.group.addButton(radio)
        self.camera_index = QSpinBox()
        self.camera_index.setRange(0, 9)
        self.camera_index.setToolTip(_("0 is the first webcam, 1 the second…"))
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(_("a recorded video, e.g. entrance.mp4"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        self.stream_edit = QLineEdit()
        self.camera_index.setAccessibleName(_("Webcam number"))
        self.file_edit.setAccessibleName(_("Video file"))
        self.stream_edit.setAccessibleName(_("Network camera address"))
        self.stream_edit.setPlaceholderText(_("rtsp://user:password@192.168.1.20/stream1"))
        self.remember = QCheckBox(_("Use this source every time the app starts"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(self.camera_radio, 0, 0)
        grid.addWidget(self.camera_index, 0, 1)
        grid.addWidget(self.file_radio, 1, 0)
        grid.addWidget(self.file_edit, 1, 1)
        grid.addWidget(browse, 1, 2)
        grid.addWidget(self.stream_radio, 2, 0)
        grid.addWidget(self.stream_edit, 2, 1, 1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.remember)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Bound methods, not lambdas over self: a lambda kept by a child's connection keeps
        # the dialog alive from inside, a cycle that only PySide's exit clean-up breaks.
        self.file_edit.textEdited.connect(self._file_typed)
        self.file_edit.textChanged.connect(self._fit_path)
        self.stream_edit.textEdited.connect(self._stream_typed)
        self.camera_index.valueChanged.connect(self._camera_chosen)
        self.resize(560, 0)
        self._show(current)

    def _file_typed(self) -> None:
        self.file_radio.setChecked(True)

    def _stream_typed(self) -> None:
        self.stream_radio.setChecked(True)

    def _camera_chosen(self) -> None:
        self.camera_radio.setChecked(True)

    def _fit_path(self, text: str) -> None:
        """Make the path's box wide enough for the whole path, so it does not show only its
        tail from mid-word; a path too long for the screen shows its end (the file's name)
        and its tooltip holds all of it."""
        self.file_edit.setToolTip(text)
        needed = self.file_edit.fontMetrics().horizontalAdvance(text) + 24
        screen = self.screen() or QGuiApplication.primaryScreen()
        limit = int(screen.availableGeometry().width() * MAX_SCREEN_SHARE) if screen else 1200
        self.file_edit.setMinimumWidth(max(0, min(needed, limit - OTHER_COLUMNS_PX)))

    def _show(self, current: str) -> None:
        text = current.strip()
        if text.isdigit():
            self.camera_index.setValue(int(text))
            self.camera_radio.setChecked(True)
        elif "://" in text:
            self.stream_edit.setText(text)
            self.stream_radio.setChecked(True)
        else:
            self.file_edit.setText(text)
            self.file_radio.setChecked(True)

    def _browse(self) -> None:
        path = open_file(self, VIDEO, _("Video file"), _(VIDEO_FILTER))
        if path is not None:
            self.file_edit.setText(str(path))
            self.file_radio.setChecked(True)

    def chosen_text(self) -> str:
        if self.camera_radio.isChecked():
            return str(self.camera_index.value())
        if self.stream_radio.isChecked():
            return self.stream_edit.text().strip()
        return self.file_edit.text().strip()

    def choose(self) -> None:
        """Accept a valid choice; otherwise say in one line what is wrong."""
        text = self.chosen_text()
        if self.stream_radio.isChecked() and "://" not in text:
            self.error.setText(_("A network camera address starts with rtsp://, http:// or https://"))
            return
        try:
            SourceSpec.parse(text)
        except SourceError:
            self.error.setText(_("“{source}” is not a webcam number, a network camera address "
                                 "or a file that exists: choose an existing video file.").format(
                                     source=text))
            return
        self.source = text
        self.accept()


def ask_for_source(parent: QWidget, current: str, config_path: Path) -> str | None:
    """The source the user chose in the dialog (saved as camera.source when they ticked
    "remember"), or None when they cancelled."""
    dialog = SourceDialog(current, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        source, remember = dialog.source, dialog.remember.isChecked()
    finally:
        # exec() hands the dialog to Python while the window stays its parent: left
        # alone it would be deleted twice at exit (issue 10), so delete it now.
        dialog.deleteLater()
    if not accepted:
        return None
    if remember:
        try:
            save_settings(config_path, {("camera", "source"): source})
        except ConfigError as error:
            QMessageBox.warning(parent, _("Not remembered"), str(error))
    return source
