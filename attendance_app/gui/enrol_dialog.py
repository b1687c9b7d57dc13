"""Enrolling a person: a name, good shots from the live camera or from photo files.

The person in front of the camera is guided one step at a time (come closer, hold
still, turn slightly) until enough good shots are collected; shots can be reviewed and
removed before anything is stored. Judging runs in a ShotJudge thread; tests and the
"Take shot" button feed it with `offer_frame`, the live video with `show_frame`.
Shots are judged, and Save enrols, through the one enrolment service
(attendance_app.people.enrolment) the command line uses, so the same rules hold: where
`enrol` needs --force (the face is already enrolled under another name) the dialog asks,
naming who; look-alikes are shown before saving; photos already enrolled are not saved
twice. Every question goes through `confirm`.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.app.workspace import Workspace
from attendance_app.camera.images import IMAGE_SUFFIXES
from attendance_app.gui.file_dialogs import PHOTOS, open_files
from attendance_app.gui.qimages import jpeg_to_pixmap
from attendance_app.gui.shot_judge import ShotJudge
from attendance_app.gui.video_view import VideoView
from attendance_app.gui.video_worker import FramePacket, SourceState
from attendance_app.i18n import N_, _, ngettext
from attendance_app.people.enrolment import Enrolment, EnrolmentService
from attendance_app.people.shot_rules import Advice, ShotVerdict
from enrolment import FaceStore, NewEncoding, Person, StoreError

AUTO_CAPTURE_EVERY_S = 0.8
"""Pause between automatic shots, so the person has time to move a little."""
THUMB_PX = 72
ENDED_TEXT = N_("The video has ended.\n"
                "Import photos of this person instead (“Import photos…”).")
NO_CAMERA_TEXT = N_("No camera.\nImport photos of this person instead (“Import photos…”).")
PHOTOS_DONE_TEXT = N_("Every photo of the source has been shown.\n"
                      "Import photos of this person instead (“Import photos…”).")
STOPPED_TEXT = N_("The camera has stopped.\n"
                  "Import photos of this person instead (“Import photos…”).")


class EnrolDialog(QDialog):
    """Collects shots for one person and enrols them into the store on Save.

    `person` names an enrolled person to add shots to; otherwise a new name is typed.
    After `exec()` returns Accepted, `enrolled` is the stored Person.
    """

    verdict_shown = Signal(object)  # a ShotVerdict, after the dialog has shown it

    def __init__(self, workspace: Workspace, store: FaceStore, person: str | None = None,
                 live: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.workspace = workspace
        self.enrolled: Person | None = None
        self.needed = workspace.config.enrolment.shots_needed
        self._shots: list[NewEncoding] = []
        self._pending = 0
        self._last_auto = 0.0
        self._latest_bgr: np.ndarray | None = None
        self.setWindowTitle(_("Add shots of {name}").format(name=person) if person
                            else _("Enrol a person"))
        self._build(person, live)
        self.service = EnrolmentService.at(workspace, store, workspace.engine())
        self._judge = ShotJudge(self.service, self)
        self._judge.judged.connect(self._on_judged)
        self._judge.failed.connect(self._on_failed)
        self._judge.done.connect(self._on_done)
        self._refresh()

    # -- layout ------------------------------------------------------------------------------
    def _build(self, person: str | None, live: bool) -> None:
        self.name_edit = QLineEdit(person or "")
        self.name_edit.setPlaceholderText(_("First and last name, e.g. Ada Lovelace"))
        self.name_edit.setReadOnly(person is not None)
        self.name_edit.textChanged.connect(self._refresh)
        form = QFormLayout()
        form.addRow(_("Name:"), self.name_edit)

        self.preview = VideoView()
        self.preview.setMinimumSize(400, 260)
        self.preview.show_message(_("Waiting for the camera…") if live else
                                  _("No camera: import photos instead"))
        self.advice = QLabel(_("Look at the camera"))
        self.advice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.advice.setWordWrap(True)
        self._style_advice(None)
        self.progress = QProgressBar()
        self.progress.setRange(0, self.needed)
        self.progress.setFormat(ngettext("%v of {count} good shot", "%v of {count} good shots",
                                         self.needed).format(count=self.needed))
        self.capture_button = QPushButton(_("Take shot"))
        self.capture_button.setToolTip(
            _("Check the current camera picture and keep it if it is good"))
        self.capture_button.clicked.connect(self.take_shot)
        self.auto_check = QCheckBox(_("Capture automatically"))
        self.auto_check.setChecked(live)
        self.auto_check.setEnabled(live)
        self.capture_button.setEnabled(live)
        self.import_button = QPushButton(_("Import photos…"))
        self.import_button.setToolTip(_("Add photo files showing only this person's face"))
        self.import_button.clicked.connect(self._choose_photos)
        camera_buttons = QHBoxLayout()
        camera_buttons.addWidget(self.capture_button)
        camera_buttons.addWidget(self.auto_check)
        camera_buttons.addStretch(1)
        camera_buttons.addWidget(self.import_button)
        left = QVBoxLayout()
        left.addWidget(self.preview, 1)
        left.addWidget(self.advice)
        left.addWidget(self.progress)
        left.addLayout(camera_buttons)

        self.shots_list = QListWidget()
        self.shots_list.setViewMode(QListView.ViewMode.IconMode)
        self.shots_list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.shots_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.shots_list.setMovement(QListView.Movement.Static)
        self.shots_list.setSpacing(4)
        self.shots_list.setMinimumWidth(2 * THUMB_PX + 40)
        self.shots_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.shots_list.itemSelectionChanged.connect(self._refresh)
        self.remove_button = QPushButton(_("Remove selected"))
        self.remove_button.clicked.connect(self.remove_selected)
        shots_box = QGroupBox(_("Shots to save"))
        shots_layout = QVBoxLayout(shots_box)
        shots_layout.addWidget(self.shots_list, 1)
        shots_layout.addWidget(self.remove_button)

        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(shots_box, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 520)
        self.name_edit.setFocus()  # opens on the name, not on Cancel: Tab goes on from there

    def _style_advice(self, good: bool | None) -> None:
        colour = {None: "#3a3f44", True: "#1e7b34", False: "#b35c00"}[good]
        self.advice.setStyleSheet(f"font-size: 16px; font-weight: 600; color: {colour}; padding: 4px;")

    # -- feeding shots -------------------------------------------------------------------------
    @property
    def shots(self) -> list[NewEncoding]:
        """The accepted shots, in the order they are listed."""
        return list(self._shots)

    @property
    def busy(self) -> bool:
        """Whether shots are still being judged."""
        return self._pending > 0

    def show_frame(self, packet: FramePacket) -> None:
        """A live frame: shown, and judged now and then while automatic capture is on."""
        self._latest_bgr = packet.bgr
        self.preview.show_frame(packet.image, packet.result.tracks)
        if (self.auto_check.isChecked() and not self.busy and len(self._shots) < self.needed
                and time.monotonic() - self._last_auto >= AUTO_CAPTURE_EVERY_S):
            self._last_auto = time.monotonic()
            self.offer_frame(packet.bgr)

    def set_source_state(self, state: str) -> None:
        """What the window's source is doing (a SourceState text). When no more frames
        will come (the video ended, no camera) the preview says so and points to photo
        import, instead of waiting for the camera forever."""
        if state in (SourceState.CONNECTED, SourceState.PLAYING):  # frames come (again)
            self.auto_check.setEnabled(True)
            self.capture_button.setEnabled(True)
            self.import_button.setDefault(False)
            return
        message = {SourceState.ENDED: ENDED_TEXT, SourceState.NO_CAMERA: NO_CAMERA_TEXT,
                   SourceState.PHOTO_DONE: PHOTOS_DONE_TEXT,
                   SourceState.PHOTOS_DONE: PHOTOS_DONE_TEXT,
                   SourceState.STOPPED: STOPPED_TEXT}.get(state)
        if message is None:
            return
        self._latest_bgr = None
        self.preview.show_message(_(message))
        self.auto_check.setChecked(False)
        self.auto_check.setEnabled(False)
        self.capture_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.import_button.setFocus()

    def take_shot(self) -> None:
        if self._latest_bgr is None:
            self._show_advice(_("No camera picture yet: wait for the camera or import photos"),
                              False)
            return
        self.offer_frame(self._latest_bgr)

    def offer_frame(self, bgr: np.ndarray) -> None:
        """Judge one camera frame (BGR); the verdict arrives as `verdict_shown`."""
        rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB) if bgr.ndim == 3 else cv2.cvtColor(bgr, cv2.COLOR_GRAY2RGB)
        source = f"camera {datetime.now():%Y-%m-%d %H:%M:%S}"
        self._pending += 1
        self._judge.judge_frame(rgb, source, [s.vector for s in self._shots])

    def import_photos(self, paths: list[Path]) -> None:
        """Judge photo files by the command line's rules; good ones join the shots."""
        if paths:
            self._pending += 1
            self._judge.judge_photos(list(paths))

    def _choose_photos(self) -> None:
        patterns = " ".join(f"*{suffix}" for suffix in sorted(IMAGE_SUFFIXES))
        self.import_photos(open_files(self, PHOTOS, _("Photos of this person"),
                                      _("Photos ({patterns})").format(patterns=patterns)))

    def _on_judged(self, verdict: ShotVerdict) -> None:
        if verdict.shot is not None and verdict.shot.photo_hash is not None and any(
                shot.photo_hash == verdict.shot.photo_hash for shot in self._shots):
            verdict = replace(verdict, advice=Advice.ALREADY_TAKEN, shot=None,
                              detail=_("{photo}: {advice}").format(
                                  photo=verdict.source, advice=_(Advice.ALREADY_TAKEN.value)))
        if verdict.shot is not None:
            self._shots.append(verdict.shot)
            item = QListWidgetItem(QIcon(jpeg_to_pixmap(verdict.shot.face_image or b"")), "")
            item.setToolTip(verdict.source)
            self.shots_list.addItem(item)
            if len(self._shots) >= self.needed:
                self._show_advice(_("Enough good shots: press Save"), True)
            elif verdict.from_camera:
                text = _("Good shot! Now turn your head slightly")
                if verdict.ignored:
                    text = _("Good shot! Now turn your head slightly ({note})").format(
                        note=verdict.note)
                self._show_advice(text, True)
            else:
                self._show_advice(verdict.detail, True)
        else:
            text = _(verdict.advice.value)
            if verdict.advice in (Advice.BAD_PHOTO, Advice.ALREADY_TAKEN):
                text = _("Skipped {detail}").format(detail=verdict.detail)
            self._show_advice(text, False)
        self._refresh()
        self.verdict_shown.emit(verdict)

    def _on_failed(self, message: str) -> None:
        self._show_advice(message, False)

    def _on_done(self) -> None:
        self._pending -= 1

    def _show_advice(self, text: str, good: bool | None) -> None:
        self.advice.setText(text)
        self._style_advice(good)

    def remove_selected(self) -> None:
        for row in sorted((self.shots_list.row(i) for i in self.shots_list.selectedItems()),
                          reverse=True):
            self.shots_list.takeItem(row)
            del self._shots[row]
        self._refresh()

    def _refresh(self) -> None:
        self.progress.setValue(min(len(self._shots), self.needed))
        self.remove_button.setEnabled(bool(self.shots_list.selectedItems()))
        self.save_button.setEnabled(bool(self._shots) and bool(self.name_edit.text().strip()))

    # -- saving ----------------------------------------------------------------------------------
    def confirm(self, title: str, question: str, default_yes: bool = True) -> bool:
        """Ask a Yes/No question; every question of the dialog goes through here."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
        return QMessageBox.question(self, title, question, buttons, default) == \
            QMessageBox.StandardButton.Yes

    def save(self) -> None:
        """Enrol the shots under the name through the enrolment service; asks first when
        something looks wrong, and saves nothing when the answer is No."""
        name = self.name_edit.text().strip()
        if not self.name_edit.isReadOnly():
            existing = self.store.find(name)
            if existing is not None and not self.confirm(
                    _("Already enrolled"),
                    _("{name} is already enrolled. Add these shots to {name}?").format(
                        name=existing.name)):
                return
        if len(self._shots) < self.needed and not self.confirm(
                _("Few shots"),
                ngettext("Only {count} of the {needed} recommended shots: recognition may be "
                         "less reliable. Save anyway?",
                         "Only {count} of the {needed} recommended shots: recognition may be "
                         "less reliable. Save anyway?", self.needed).format(
                             count=len(self._shots), needed=self.needed)):
            return
        try:
            enrolment = self.service.check(name, self._shots)
            if enrolment.nothing_new:
                QMessageBox.information(
                    self, _("Already enrolled"),
                    _("Every shot is already enrolled for {name} (the same photos): nothing "
                      "new to save.").format(name=enrolment.name))
                return
            if not self._answered(enrolment):
                return
            forced = enrolment.same_face is not None  # asked, and answered Yes
            self.enrolled = self.service.commit(enrolment, forced).person
        except StoreError as error:
            QMessageBox.warning(self, _("Not enrolled"), str(error))
            return
        self.accept()

    def _answered(self, enrolment: Enrolment) -> bool:
        """Ask, naming who, when the face is someone else's already (the command line
        refuses it without --force) or looks like someone; True to save."""
        name, same = enrolment.name, enrolment.same_face
        if same is not None:
            return self.confirm(
                _("Already enrolled under another name"),
                _("This face is already enrolled as {other} (distance {distance:.2f}). Saving "
                  "it as {name} would make one person two, and the door would then name "
                  "neither. To add shots to {other}, use People → Add shots… Save as {name} "
                  "anyway? Only if they really are two people (identical twins).").format(
                      other=same.name, distance=same.distance, name=name),
                default_yes=False)
        lines = [_("{name} looks like {other}, already enrolled (distance {distance:.2f}): "
                   "the same person under another name, or a look-alike who may be "
                   "confused.").format(name=name, other=other.name, distance=other.distance)
                 for other in enrolment.look_alikes]
        lines += [_("{source} does not look like the {name} already enrolled (distance "
                    "{distance:.2f}): check it is the same person.").format(
                        source=stray.source, name=name, distance=stray.distance)
                  for stray in enrolment.strays]
        if not lines:
            return True
        return self.confirm(_("Looks like someone else"),
                            "\n".join([*lines, _("Save anyway?")]),
                            default_yes=not enrolment.strays)

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        """Stop the judging thread however the dialog closes."""
        self._judge.shutdown()
        super().done(result)
