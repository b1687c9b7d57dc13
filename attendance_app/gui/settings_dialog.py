"""The settings people change, edited in a form and saved back into the settings file.

Only the everyday settings are shown; the rest of the file (and its comments) is kept
as it is by `config_save`. Values are checked twice: here, with messages in plain words,
and by the config loader's own rules before the file is replaced. The dialog shows the
full path of the file it saves into (attendance_app.config.location decides which), so
nobody has to guess where their settings went. Labels, tooltips, spin-box bounds and the
choices offered come from each setting's declaration (attendance_app.config.declarations),
so the dialog cannot drift from the loader's rules or the docs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
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
from attendance_app.config.declarations import declared
from attendance_app.config.save import Changes, save_settings
from attendance_app.config.settings import AppConfig, ConfigError
from attendance_app.gui.accessibility import label_fields
from attendance_app.gui.declared_words import label_text, tooltip_text
from attendance_app.gui.file_dialogs import WORKBOOK, save_file
from attendance_app.gui.hours_box import HoursBox
from attendance_app.gui.messages_box import MessagesBox
from attendance_app.gui.source_dialog import SourceDialog
from attendance_app.i18n import N_, _, ngettext
from attendance_app.i18n.languages import LANGUAGES
from attendance_app.recognition.liveness import WITHDRAWN

LARGE_ALIGNMENT_LICENCE = N_(
    "The 68-point model was trained on iBUG 300-W, whose licence is non-commercial: "
    "not for use in a product. It is loaded only while this is chosen.")
"""Shown under the alignment while "large" is chosen (issue 23): the app loads that model
only then."""

ALIGNMENT_WORDS = {
    "small": N_("5 points (public domain)"),
    "large": N_("68 points (iBUG 300-W licence: non-commercial, not for use in a product)")}
LANGUAGE_WORDS = {"auto": N_("Automatic (system)"), **LANGUAGES}
"""The language setting's choices: each language named in itself, as language menus do."""


def _label(section: str, key: str) -> QLabel:
    """A form row's label with the setting's description as its tooltip, both declared."""
    label = QLabel(label_text(section, key))
    label.setToolTip(tooltip_text(section, key))
    return label


def _spin(box: QSpinBox | QDoubleSpinBox, section: str, key: str) -> None:
    """Bounds and tooltip of a number box, from the setting's declaration."""
    declaration = declared(section, key)
    if declaration.low is None or declaration.high is None:
        raise ValueError(f"{declaration.path} has no bounds to give a number box")
    if isinstance(box, QSpinBox):
        box.setRange(int(declaration.low), int(declaration.high))
    else:
        box.setRange(declaration.low, declaration.high)
    box.setToolTip(tooltip_text(section, key))


def _choices(section: str, key: str, words: dict[str, str]) -> QComboBox:
    """A box offering the declared choices of a setting, each shown in `words` (or as
    itself), with the declaration's description as tooltip."""
    declaration = declared(section, key)
    box = QComboBox()
    for choice in declaration.choices or ():
        box.addItem(_(words.get(choice, choice)), choice)
    box.setToolTip(tooltip_text(section, key))
    return box


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    return row


def _location_text(path: Path) -> str:
    """Where saving goes, as a full path people can select and copy."""
    full = path.absolute()
    if path.is_file():
        return _("Saved in {path}").format(path=full)
    return _("Saved in {path} (a new file: until now the built-in defaults applied)").format(
        path=full)


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
        self.setWindowTitle(_("Settings"))

        self.source_edit = QLineEdit(config.camera.source)
        self.source_edit.setToolTip(tooltip_text("camera", "source"))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self._choose_source)
        self.camera_name = QLineEdit(config.camera.name)
        self.camera_name.setToolTip(tooltip_text("camera", "name"))

        self.engine = _choices("recognition", "engine", {
            "dlib": N_("dlib (HOG + ResNet)"), "sface": N_("SFace (OpenCV YuNet + SFace)")})
        self.engine.setCurrentIndex(max(0, self.engine.findData(config.recognition.engine)))
        self._tolerances = {"dlib": config.recognition.tolerance,
                            "sface": config.recognition.sface_tolerance}
        self._engine_shown = self.engine.currentData()
        self.tolerance = QDoubleSpinBox()
        self.tolerance.setSingleStep(0.01)
        self.tolerance.setDecimals(3)
        self.tolerance_label = QLabel()
        self._show_tolerance()
        self.engine.currentIndexChanged.connect(self._engine_chosen)
        self.alignment = _choices("recognition", "landmarks", ALIGNMENT_WORDS)
        self.alignment.setCurrentIndex(max(0, self.alignment.findData(
            config.recognition.landmarks)))
        self.alignment_licence = QLabel(_(LARGE_ALIGNMENT_LICENCE))
        self.alignment_licence.setStyleSheet("color: #b00020;")
        self.alignment_licence.setWordWrap(True)
        self.alignment.currentIndexChanged.connect(self._show_alignment_licence)
        self._show_alignment_licence()
        self.votes = QSpinBox()
        _spin(self.votes, "recognition", "votes_needed")
        self.votes.setValue(config.recognition.votes_needed)
        self.cooldown = QDoubleSpinBox()
        _spin(self.cooldown, "attendance", "cooldown_minutes")
        self.cooldown.setDecimals(0)
        self.cooldown.setSpecialValueText(_("once a day"))
        self.cooldown.valueChanged.connect(self._cooldown_unit)
        self.cooldown.setValue(config.attendance.cooldown_minutes)
        self._cooldown_unit(self.cooldown.value())
        self.workbook = QLineEdit(config.attendance.workbook)
        self.workbook.setPlaceholderText(_("attendance.xlsx in the data folder"))
        self.workbook.setToolTip(tooltip_text("attendance", "workbook"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._choose_workbook)
        self.detector = _choices("detection", "model", {
            "hog": N_("HOG: fast on any computer"),
            "cnn": N_("CNN: finds turned faces, about 10x slower")})
        self.detector.setCurrentIndex(max(0, self.detector.findData(config.detection.model)))
        self.liveness = _choices("liveness", "mode", {
            "off": N_("Off"),
            "motion": N_("Head movement: the head must turn, nod or talk a little")})
        mode = WITHDRAWN.get(config.liveness.mode, config.liveness.mode)  # blink: motion now
        self.liveness.setCurrentIndex(max(0, self.liveness.findData(mode)))
        self.keep_unknowns = QSpinBox()
        _spin(self.keep_unknowns, "unknowns", "keep_days")
        self.keep_unknowns.setSpecialValueText(_("not kept"))
        self.keep_unknowns.valueChanged.connect(self._keep_unit)
        self.keep_unknowns.setValue(config.unknowns.keep_days)
        self._keep_unit(self.keep_unknowns.value())
        self.emotion = QCheckBox(_("Read the facial expression at arrival"))
        self.emotion.setChecked(config.analytics.emotion)
        self.emotion.setToolTip(tooltip_text("analytics", "emotion"))
        self.age_gender = QCheckBox(_("Estimate age and gender at arrival"))
        self.age_gender.setChecked(config.analytics.age_gender)
        self.age_gender.setToolTip(tooltip_text("analytics", "age_gender"))
        self._locale_boxes(config)

        form = QFormLayout()
        form.addRow(_label("camera", "source"), _row(self.source_edit, choose))
        self.now_showing = QLabel()
        self.now_showing.setStyleSheet("color: gray;")
        self.now_showing.setWordWrap(True)
        if current_source is not None and current_source.strip() != config.camera.source.strip():
            self.now_showing.setText(
                _("Showing now: {source} (chosen for this session; the camera above is the one "
                  "the app starts with)").format(source=current_source))
            form.addRow("", self.now_showing)
        form.addRow(_label("camera", "name"), self.camera_name)
        form.addRow(_label("recognition", "engine"), self.engine)
        form.addRow(self.tolerance_label, self.tolerance)
        form.addRow(_label("recognition", "landmarks"), self.alignment)
        form.addRow("", self.alignment_licence)
        form.addRow(_label("recognition", "votes_needed"), self.votes)
        form.addRow(_label("attendance", "cooldown_minutes"), self.cooldown)
        form.addRow(_label("attendance", "workbook"), _row(self.workbook, browse))
        form.addRow(_label("detection", "model"), self.detector)
        form.addRow(_label("liveness", "mode"), self.liveness)
        form.addRow(_label("unknowns", "keep_days"), self.keep_unknowns)
        form.addRow(_label("analytics", "emotion"), self.emotion)
        form.addRow(_label("analytics", "age_gender"), self.age_gender)
        form.addRow(_label("locale", "language"), self.language)
        form.addRow("", self.language_note)
        form.addRow(_label("locale", "iso_dates"), self.iso_dates)
        label_fields(form)  # each label names its field for screen readers
        self.hours = HoursBox(config.attendance)
        self.messages = MessagesBox(config.messages)
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
        layout.addWidget(self.hours)
        layout.addWidget(self.messages)
        layout.addWidget(self.error)
        layout.addWidget(self.location)
        layout.addWidget(buttons)
        self.resize(560, 0)

    def _engine_chosen(self) -> None:
        """Each engine measures distance its own way: show the chosen one's tolerance."""
        self._tolerances[self._engine_shown] = self.tolerance.value()
        self._engine_shown = self.engine.currentData()
        self._show_tolerance()

    def _tolerance_key(self) -> str:
        return "sface_tolerance" if self._engine_shown == "sface" else "tolerance"

    def _show_tolerance(self) -> None:
        """The tolerance box as the shown engine's declaration says: label, tooltip,
        bounds (set before the value, which they would otherwise clip), value."""
        key = self._tolerance_key()
        self.tolerance_label.setText(label_text("recognition", key))
        self.tolerance_label.setToolTip(tooltip_text("recognition", key))
        _spin(self.tolerance, "recognition", key)
        self.tolerance.setValue(self._tolerances[self._engine_shown])

    def _show_alignment_licence(self) -> None:
        """The large alignment's licence, in words, while it is the one chosen."""
        self.alignment_licence.setVisible(self.alignment.currentData() == "large")

    def _locale_boxes(self, config: AppConfig) -> None:
        """The language and the ISO dates, with a note that they apply at the next start
        (every window, menu and message is built in the language of the start)."""
        self.language = _choices("locale", "language", LANGUAGE_WORDS)
        self.language.setCurrentIndex(max(0, self.language.findData(config.locale.language)))
        self.language_note = QLabel(_("A change of language or date format applies the next "
                                      "time the app starts."))
        self.language_note.setStyleSheet("color: gray;")
        self.language_note.setWordWrap(True)
        self.iso_dates = QCheckBox(_("Write dates as 2026-12-04 and times as 14:05"))
        self.iso_dates.setChecked(config.locale.iso_dates)
        self.iso_dates.setToolTip(tooltip_text("locale", "iso_dates"))

    def _cooldown_unit(self, value: float) -> None:
        self.cooldown.setSuffix(ngettext(" minute", " minutes", int(value)))

    def _keep_unit(self, value: int) -> None:
        self.keep_unknowns.setSuffix(ngettext(" day", " days", value))

    def _choose_source(self) -> None:
        dialog = SourceDialog(self.source_edit.text(), self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.source_edit.setText(dialog.source)
        finally:
            dialog.deleteLater()  # exec() gave it to Python; see MainWindow.choose_source

    def _choose_workbook(self) -> None:
        path = save_file(self, WORKBOOK, _("Workbook"), "attendance.xlsx",
                         _("Excel workbook (*.xlsx)"), fallback=self.data_dir)
        if path is not None:
            name = str(path)
            self.workbook.setText(name if name.lower().endswith(".xlsx") else f"{name}.xlsx")

    def changes(self) -> Changes:
        """The form as config changes; ValueError with one line for a value that cannot be."""
        source = self.source_edit.text().strip()
        try:
            SourceSpec.parse(source)
        except SourceError:
            raise ValueError(_("Camera: {source!r} is not a webcam number, a network address "
                               "or an existing video file").format(source=source)) from None
        name = self.camera_name.text().strip()
        if not name:
            raise ValueError(_("Camera name: give the camera a name, e.g. Front door"))
        workbook = self.workbook.text().strip()
        if workbook:
            path = Path(workbook).expanduser()
            path = path if path.is_absolute() else self.data_dir / path
            if path.suffix.lower() != ".xlsx":
                raise ValueError(_("Workbook: {file} must end in .xlsx").format(file=workbook))
            if not path.parent.is_dir():
                raise ValueError(_("Workbook: the folder {folder} does not exist").format(
                    folder=path.parent))
        return {
            ("camera", "source"): source,
            ("camera", "name"): name,
            ("recognition", "engine"): self._engine_shown,
            ("recognition", self._tolerance_key()): round(self.tolerance.value(), 3),
            ("recognition", "landmarks"): self.alignment.currentData(),
            ("recognition", "votes_needed"): self.votes.value(),
            ("attendance", "cooldown_minutes"): int(self.cooldown.value()),
            ("attendance", "workbook"): workbook,
            ("detection", "model"): self.detector.currentData(),
            ("liveness", "mode"): self.liveness.currentData(),
            ("unknowns", "keep_days"): self.keep_unknowns.value(),
            ("analytics", "emotion"): self.emotion.isChecked(),
            ("analytics", "age_gender"): self.age_gender.isChecked(),
            ("locale", "language"): self.language.currentData(),
            ("locale", "iso_dates"): self.iso_dates.isChecked(),
            **self.hours.changes(),
            **self.messages.changes(),
        }

    def save(self) -> None:
        """Write the file and close, or show what is wrong and stay open."""
        try:
            self.saved = save_settings(self.path, self.changes())
        except (ValueError, ConfigError) as error:
            self.error.setText(str(error))
            return
        self.accept()
