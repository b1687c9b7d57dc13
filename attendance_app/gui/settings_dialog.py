"""The settings people change, edited in a form and saved back into the settings file.

Only the everyday settings are shown; the rest of the file (and its comments) is kept
as it is by `config_save`. Values are checked twice: here, with messages in plain words,
and by the config loader's own rules before the file is replaced. The dialog shows the
full path of the file it saves into (attendance_app.config.location decides which), so
nobody has to guess where their settings went.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from attendance_app.camera.sources import SourceError, SourceSpec
from attendance_app.config.save import Changes, save_settings
from attendance_app.config.settings import (
    AppConfig,
    AttendanceConfig,
    ConfigError,
    RecognitionConfig,
    UnknownsConfig,
)
from attendance_app.gui.source_dialog import SourceDialog
from attendance_app.wording import plural


def _bounds(cls: type, name: str) -> tuple[float, float]:
    """A setting's allowed range, from the config dataclass that defines it."""
    meta = next(f.metadata for f in fields(cls) if f.name == name)
    return meta["low"], meta["high"]


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    return row


def _location_text(path: Path) -> str:
    """Where saving goes, as a full path people can select and copy."""
    full = path.absolute()
    if path.is_file():
        return f"Saved in {full}"
    return f"Saved in {full} (a new file: until now the built-in defaults applied)"


class SettingsDialog(QDialog):
    """Edits the config file at `path`; after Accepted, `saved` holds the new settings.

    `current_source` is what the window shows now; when it is not the saved camera (a
    video from --source or "Camera / video…"), the dialog says so under the camera.
    """

    def __init__(self, config: AppConfig, path: Path, data_dir: Path,
                 parent: QWidget | None = None, current_source: str | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.data_dir = data_dir
        self.saved: AppConfig | None = None
        self.setWindowTitle("Settings")

        self.source_edit = QLineEdit(config.camera.source)
        self.source_edit.setToolTip("Webcam number (0 is the first), video file, or network camera URL")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_source)
        self.camera_name = QLineEdit(config.camera.name)
        self.camera_name.setToolTip("Written in the Camera column of the workbook")

        bounds = [_bounds(RecognitionConfig, key) for key in ("tolerance", "sface_tolerance")]
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setRange(min(low for low, _ in bounds), max(high for _, high in bounds))
        self.tolerance.setSingleStep(0.01)
        self.tolerance.setDecimals(3)
        self.tolerance.setValue(config.recognition.engine_tolerance)
        self.tolerance.setToolTip("Lower is stricter: fewer strangers let through, "
                                  "but enrolled people need better shots")
        low, high = _bounds(RecognitionConfig, "votes_needed")
        self.votes = QSpinBox()
        self.votes.setRange(int(low), int(high))
        self.votes.setValue(config.recognition.votes_needed)
        self.votes.setToolTip("How many matching looks are needed before a row is written")
        low, high = _bounds(AttendanceConfig, "cooldown_minutes")
        self.cooldown = QDoubleSpinBox()
        self.cooldown.setRange(low, high)
        self.cooldown.setDecimals(0)
        self.cooldown.setSpecialValueText("once a day")
        self.cooldown.valueChanged.connect(self._cooldown_unit)
        self.cooldown.setValue(config.attendance.cooldown_minutes)
        self._cooldown_unit(self.cooldown.value())
        self.cooldown.setToolTip("“once a day”: one row per person per day. Minutes: a new row "
                                 "(in, out, in…) when seen again after that long")
        self.workbook = QLineEdit(config.attendance.workbook)
        self.workbook.setPlaceholderText("attendance.xlsx in the data folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._choose_workbook)
        self.engine = QComboBox()
        self.engine.addItem("dlib (face_recognition)", "dlib")
        self.engine.addItem("SFace (OpenCV YuNet + SFace)", "sface")
        self.engine.setCurrentIndex(max(0, self.engine.findData(config.recognition.engine)))
        self.engine.setToolTip("Every enrolment is encoded by both engines: switching needs no "
                               "re-enrolment. Each keeps its own match tolerance.")
        self._tolerances = {"dlib": config.recognition.tolerance,
                            "sface": config.recognition.sface_tolerance}
        self._engine_shown = self.engine.currentData()
        self.engine.currentIndexChanged.connect(self._engine_chosen)
        self.detector = QComboBox()
        self.detector.addItem("HOG: fast on any computer", "hog")
        self.detector.addItem("CNN: finds turned faces, about 10x slower", "cnn")
        self.detector.setCurrentIndex(max(0, self.detector.findData(config.detection.model)))
        self.liveness = QComboBox()
        self.liveness.addItem("Off", "off")
        self.liveness.addItem("Head movement: the head must turn or nod a little", "motion")
        self.liveness.addItem("Blink: the eyes must close and open", "blink")
        self.liveness.setCurrentIndex(max(0, self.liveness.findData(config.liveness.mode)))
        self.liveness.setToolTip("Refuses a photo or a phone held up to the camera: the row "
                                 "is written once the face shows it is alive. It does not "
                                 "stop a replayed video or a mask "
                                 "(docs/user-guide.md, \"Liveness\")")
        low, high = _bounds(UnknownsConfig, "keep_days")
        self.keep_unknowns = QSpinBox()
        self.keep_unknowns.setRange(int(low), int(high))
        self.keep_unknowns.setSpecialValueText("not kept")
        self.keep_unknowns.valueChanged.connect(self._keep_unit)
        self.keep_unknowns.setValue(config.unknowns.keep_days)
        self._keep_unit(self.keep_unknowns.value())
        self.keep_unknowns.setToolTip("Keeps the faces of people who are not enrolled for this "
                                      "many days, grouped by person, so a regular visitor can "
                                      "be enrolled from Unknown visitors. These are biometric "
                                      "data of people who did not agree: see docs/privacy.md")
        self.emotion = QCheckBox("Read the facial expression at arrival")
        self.emotion.setChecked(config.analytics.emotion)
        self.emotion.setToolTip("Adds the expression (happy, neutral…) a small classifier "
                                "reads from one frame to each row: a guess about a picture, "
                                "not how anybody feels")

        form = QFormLayout()
        form.addRow("Camera:", _row(self.source_edit, choose))
        self.now_showing = QLabel()
        self.now_showing.setStyleSheet("color: gray;")
        self.now_showing.setWordWrap(True)
        if current_source is not None and current_source.strip() != config.camera.source.strip():
            self.now_showing.setText(f"Showing now: {current_source} (chosen for this session; "
                                     "the camera above is the one the app starts with)")
            form.addRow("", self.now_showing)
        form.addRow("Camera name:", self.camera_name)
        form.addRow("Face engine:", self.engine)
        form.addRow("Match tolerance:", self.tolerance)
        form.addRow("Matches needed:", self.votes)
        form.addRow("Log a person again after:", self.cooldown)
        form.addRow("Workbook:", _row(self.workbook, browse))
        form.addRow("Face detector:", self.detector)
        form.addRow("Liveness check:", self.liveness)
        form.addRow("Unknown visitors' faces:", self.keep_unknowns)
        form.addRow("Expression:", self.emotion)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.location = QLabel(_location_text(path))
        self.location.setStyleSheet("color: gray;")
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.location)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def _engine_chosen(self) -> None:
        """Each engine measures distance its own way: show the chosen one's tolerance."""
        self._tolerances[self._engine_shown] = self.tolerance.value()
        self._engine_shown = self.engine.currentData()
        self.tolerance.setValue(self._tolerances[self._engine_shown])

    def _cooldown_unit(self, value: float) -> None:
        self.cooldown.setSuffix(f" {plural(int(value), 'minute')}")

    def _keep_unit(self, value: int) -> None:
        self.keep_unknowns.setSuffix(f" {plural(value, 'day')}")

    def _choose_source(self) -> None:
        dialog = SourceDialog(self.source_edit.text(), self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.source_edit.setText(dialog.source)
        finally:
            dialog.deleteLater()  # exec() gave it to Python; see MainWindow.choose_source

    def _choose_workbook(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Workbook", str(self.data_dir),
                                              "Excel workbook (*.xlsx)")
        if name:
            self.workbook.setText(name if name.lower().endswith(".xlsx") else f"{name}.xlsx")

    def changes(self) -> Changes:
        """The form as config changes; ValueError with one line for a value that cannot be."""
        source = self.source_edit.text().strip()
        try:
            SourceSpec.parse(source)
        except SourceError:
            raise ValueError(f"Camera: {source!r} is not a webcam number, a network address "
                             "or an existing video file") from None
        name = self.camera_name.text().strip()
        if not name:
            raise ValueError("Camera name: give the camera a name, e.g. Front door")
        workbook = self.workbook.text().strip()
        if workbook:
            path = Path(workbook).expanduser()
            path = path if path.is_absolute() else self.data_dir / path
            if path.suffix.lower() != ".xlsx":
                raise ValueError(f"Workbook: {workbook} must end in .xlsx")
            if not path.parent.is_dir():
                raise ValueError(f"Workbook: the folder {path.parent} does not exist")
        return {
            ("camera", "source"): source,
            ("camera", "name"): name,
            ("recognition", "engine"): self._engine_shown,
            ("recognition", "sface_tolerance" if self._engine_shown == "sface" else "tolerance"):
                round(self.tolerance.value(), 3),
            ("recognition", "votes_needed"): self.votes.value(),
            ("attendance", "cooldown_minutes"): int(self.cooldown.value()),
            ("attendance", "workbook"): workbook,
            ("detection", "model"): self.detector.currentData(),
            ("liveness", "mode"): self.liveness.currentData(),
            ("unknowns", "keep_days"): self.keep_unknowns.value(),
            ("analytics", "emotion"): self.emotion.isChecked(),
        }

    def save(self) -> None:
        """Write the file and close, or show what is wrong and stay open."""
        try:
            self.saved = save_settings(self.path, self.changes())
        except (ValueError, ConfigError) as error:
            self.error.setText(str(error))
            return
        self.accept()
