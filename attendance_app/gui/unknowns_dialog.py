"""The "Unknown visitors" dialog: the faces kept of people who are not enrolled, one row
per person (their best face, visits, first and last seen), with the two things one does
with them: enrol the person under a name, or delete their faces.

Grouping thousands of faces takes a moment, and enrolling a group detects and encodes its
faces, so both run in a one-thread Python pool (as the enrol dialog's ShotJudge does:
dlib's encoder hung inside a QThread running an event loop) and report back through a
signal, queued to the GUI thread. The list is a model/view pair that reads a group's face
picture only when its row is first painted, so 5,000 groups show as fast as five. The
dialog lists exactly what `attendance-app unknowns` lists (attendance_app.unknowns.listing),
under the same numbers; its buttons act on the group as shown, whatever the camera saved
since.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QObject,
    QSize,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from attendance_app.app.workspace import Workspace
from attendance_app.gui.unknown_groups_model import GROUP_ROLE, THUMB_PX, GroupsModel
from attendance_app.i18n import _, ngettext
from attendance_app.unknowns.enrol import GroupEnrolment, GroupRefused, enrol_group
from attendance_app.unknowns.groups import UnknownGroup
from attendance_app.unknowns.listing import current_groups, kept_store
from attendance_app.unknowns.store import UnknownStore
from enrolment import FaceStore, StoreError

log = logging.getLogger(__name__)


class _Done(QObject):
    """Carries a background task's outcome to the GUI thread: the task's number, the
    result, or None and a one-line message. A child of the dialog, so that the pool thread,
    which holds it while it works, never holds the last reference to a Qt object: a Qt
    object deleted in that thread (the dialog dropped while a task finished) crashes."""

    finished = Signal(int, object, str)


class UnknownsDialog(QDialog):
    """Lists the unknown visitors; `people_changed` after one was enrolled, so the main
    window hands the running camera the new person. `listed` after each (re)load."""

    people_changed = Signal()
    listed = Signal()

    def __init__(self, workspace: Workspace, store: FaceStore, config_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.store = store
        self.config_path = config_path
        self.groups: dict[int, UnknownGroup] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unknown-visitors")
        self._done = _Done(self)
        self._then: dict[int, Callable[[object, str], None]] = {}
        self._task_numbers = itertools.count()
        self._done.finished.connect(self._finish)  # the dialog's method: run in its thread
        self.setWindowTitle(_("Unknown visitors"))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.summary = QLabel(_("Grouping the faces kept…"))
        self.summary.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.summary.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.model = GroupsModel(self)
        self.list = QListView()
        self.list.setAccessibleName(_("Unknown visitors"))
        self.list.setModel(self.model)
        # One row measures them all: otherwise the view would read every face first.
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.list.setSpacing(2)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.enrol_button = QPushButton(_("Enrol as…"))
        self.enrol_button.setToolTip(
            _("Enrol this person under a name, from their best faces"))
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.setToolTip(
            _("Delete every face and encoding kept of this person"))
        self.enrol_button.clicked.connect(self.enrol_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        buttons = QVBoxLayout()
        for button in (self.enrol_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        self.resize(620, 460)
        self._update_buttons()

    # -- background work ---------------------------------------------------------------------
    def _run(self, work: Callable[[], object], then: Callable[[object, str], None]) -> None:
        """Run `work` in the pool; `then(result, message)` in the GUI thread (result None
        and a one-line message when it failed). `work` must hold no Qt object (it is
        dropped in the pool thread); `then` stays here, found again by the task's number."""
        self._busy(True)
        number = next(self._task_numbers)
        self._then[number] = then
        done = self._done

        def task() -> None:
            try:
                done.finished.emit(number, work(), "")
            except Exception as error:  # noqa: BLE001 - shown to the user, not lost
                log.exception("unknown visitors: background task failed")
                done.finished.emit(number, None, str(error).splitlines()[0] if str(error)
                                   else type(error).__name__)

        self._pool.submit(task)

    def _finish(self, number: int, result: object, message: str) -> None:
        self._then.pop(number)(result, message)

    def _busy(self, busy: bool) -> None:
        self.list.setEnabled(not busy)
        if busy:
            self.enrol_button.setEnabled(False)
            self.delete_button.setEnabled(False)
        else:
            self._update_buttons()

    @property
    def busy(self) -> bool:
        return not self.list.isEnabled()

    # -- listing ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Group the kept faces again (after enrolling or deleting, or to see new ones)."""
        self._run(partial(_load, self.workspace), self._show)

    def _show(self, result: object, message: str) -> None:
        self._busy(False)
        if result is None:
            self.summary.setText(_("The unknown visitors cannot be listed"))
            self.status.setText(message)
            self.listed.emit()
            return
        assert isinstance(result, tuple)
        groups, unknowns = result
        selected = self.selected_number()
        self.groups = {group.number: group for group in groups}
        self.model.show(groups, unknowns)
        if selected is not None:
            self.select(selected)
        self._update_summary()
        self._update_buttons()
        self.listed.emit()

    def _update_summary(self) -> None:
        days = self.workspace.config.unknowns.keep_days
        if days == 0:
            if self.config_path:
                text = _("Faces of people who are not enrolled are not kept. To keep them, set "
                         "unknowns.keep_days in your settings file ({path}).").format(
                             path=self.config_path)
            else:
                text = _("Faces of people who are not enrolled are not kept. To keep them, set "
                         "unknowns.keep_days in your settings file.")
            self.summary.setText(text)
            return
        kept = ngettext("faces are kept {count} day", "faces are kept {count} days",
                        days).format(count=days)
        if not self.groups:
            self.summary.setText(_("No unknown visitor seen yet · {kept}").format(kept=kept))
        else:
            self.summary.setText(ngettext("{count} unknown visitor · {kept}",
                                          "{count} unknown visitors · {kept}",
                                          len(self.groups)).format(count=len(self.groups),
                                                                   kept=kept))

    def numbers(self) -> list[int]:
        """The listed group numbers, in list order (most visits first)."""
        return [group.number for group in self.model.groups]

    def select(self, number: int) -> None:
        """Select group `number`, if it is listed."""
        row = self.model.row_of(number)
        if row is not None:
            index = self.model.index(row)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)

    def selected_number(self) -> int | None:
        indexes = self.list.selectionModel().selectedIndexes()
        return indexes[0].data(GROUP_ROLE) if indexes else None

    def _update_buttons(self) -> None:
        chosen = self.selected_number() is not None and self.list.isEnabled()
        self.enrol_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # -- actions ------------------------------------------------------------------------------
    def enrol_selected(self) -> None:
        """Ask for a name, then enrol the selected group under it (in the pool)."""
        number = self.selected_number()
        if number is None:
            return
        group = self.groups[number]
        name, ok = QInputDialog.getText(
            self, _("Enrol unknown visitor"),
            ngettext("Name of the person of group {number} ({count} visit):",
                     "Name of the person of group {number} ({count} visits):",
                     group.visits).format(number=number, count=group.visits))
        if not ok or not name.strip():
            return
        self._start_enrolling(group, name, force=False)

    def _start_enrolling(self, group: UnknownGroup, name: str, force: bool) -> None:
        self.status.setText(_("Enrolling {name} from the faces of group {number}…").format(
            name=name.strip(), number=group.number))
        self._run(partial(_enrol, self.workspace, self.store, group, name, force),
                  lambda result, message: self._enrolled(group, name, result, message))

    def _enrolled(self, group: UnknownGroup, name: str, result: object, message: str) -> None:
        self._busy(False)
        if isinstance(result, GroupRefused):
            self.status.setText("")
            if self.confirm_same_face(group, name.strip(), result):
                self._start_enrolling(group, name, force=True)
            return
        if result is None:
            self.status.setText("")
            QMessageBox.warning(self, _("Not enrolled"), message[:1].upper() + message[1:])
            return
        assert isinstance(result, GroupEnrolment)
        self.status.setText(ngettext(
            "Enrolled {name} from {count} face: they are recognised from now on",
            "Enrolled {name} from {count} faces: they are recognised from now on",
            result.shots).format(name=result.person.name, count=result.shots))
        self.people_changed.emit()
        self.reload()

    def confirm_same_face(self, group: UnknownGroup, name: str, refused: GroupRefused) -> bool:
        """Ask whether to enrol a group whose face is already enrolled under another name,
        naming who (the command line refuses it); No is the default and keeps the group."""
        same = refused.same_face
        assert same is not None
        answer = QMessageBox.question(
            self, _("Already enrolled under another name"),
            _("The faces of group {number} are already enrolled as {other} (distance "
              "{distance:.2f}). Enrolling them as {name} would make one person two, and the "
              "door would then name neither. Enrol as {name} anyway? Only if they really are "
              "two people (identical twins).").format(number=group.number, other=same.name,
                                                      distance=same.distance, name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> None:
        """Delete the selected group's faces and encodings, after a confirmation."""
        number = self.selected_number()
        if number is None:
            return
        group = self.groups[number]
        faces = len(group.sightings)
        answer = QMessageBox.question(
            self, _("Delete unknown visitor"),
            ngettext("Delete the {count} face kept of group {number} with its encodings? This "
                     "cannot be undone.",
                     "Delete the {count} faces kept of group {number} with their encodings? "
                     "This cannot be undone.", faces).format(count=faces, number=number),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._run(partial(_delete, self.workspace, group), self._deleted)

    def _deleted(self, result: object, message: str) -> None:
        self._busy(False)
        if result is None:
            QMessageBox.warning(self, _("Not deleted"), message[:1].upper() + message[1:])
            return
        assert isinstance(result, int)
        self.status.setText(ngettext("Deleted {count} face", "Deleted {count} faces",
                                     result).format(count=result))
        self.reload()

    def done(self, result: int) -> None:  # noqa: D401 - Qt's name
        """Wait for the task under way (an enrolment is finished, not cut short) however
        the dialog closes."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        super().done(result)


# -- the work done in the pool: plain functions, holding no Qt object ---------------------
def _load(workspace: Workspace) -> tuple[list[UnknownGroup], UnknownStore | None]:
    """The groups, and the store their pictures are read from."""
    unknowns = kept_store(workspace)
    if unknowns is None:
        return [], None
    return current_groups(workspace, unknowns, workspace.engine), unknowns


def _enrol(workspace: Workspace, store: FaceStore, group: UnknownGroup, name: str,
           force: bool) -> GroupEnrolment | GroupRefused:
    """Enrol `group` as `name`; a refusal that a Yes may override (the face is enrolled
    under another name) comes back as the result, to be asked about in the GUI thread."""
    unknowns = kept_store(workspace)
    if unknowns is None:
        raise StoreError(_("the unknown visitors' faces are gone; nothing was enrolled"))
    try:
        return enrol_group(workspace, store, unknowns, group, name, workspace.engine(), force)
    except GroupRefused as refused:
        if refused.same_face is None:
            raise
        return refused


def _delete(workspace: Workspace, group: UnknownGroup) -> int:
    """Delete the kept faces of `group`; how many were deleted."""
    unknowns = kept_store(workspace)
    return 0 if unknowns is None else unknowns.delete(group.sighting_ids)
