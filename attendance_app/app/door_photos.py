"""A photo or a folder of photos as a door's source: each photo is a group picture.

Every enrolled person the gallery accepts outright in a photo is logged once (the
policy permitting), with the expression read from the face when analytics.emotion is on
and the age and gender estimated with analytics.age_gender; strangers are not logged. A
folder is searched with its sub-folders (a folder of class folders is a whole school, not
an empty folder). The gallery is built once and rebuilt only when the roster changes,
never per photo (at a central door that was a pull per photo).
Liveness cannot apply to a still picture: the run says so once and logs as without it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import cv2

from attendance_app.app.door_report import RunSummary, Seen, SourceState
from attendance_app.camera.images import ImageError, find_images, load_rgb
from attendance_app.camera.sources import SourceKind
from attendance_app.faces.expression import model_input
from attendance_app.i18n import _
from attendance_app.recognition.photos import PhotoFace, identify_photo
from attendance_app.types import AttendanceEvent, FrameResult, TrackStatus, TrackView

if TYPE_CHECKING:
    from attendance_app.app.door_report import DoorListener
    from attendance_app.app.workspace import Workspace
    from attendance_app.camera.sources import SourceSpec
    from attendance_app.faces.protocol import Engine
    from attendance_app.records.recorder import AttendanceRecorder
    from enrolment import Gallery


class Session(Protocol):
    """What a photo run uses of its DoorSession (named here, not imported: the session
    imports this module)."""

    workspace: Workspace
    spec: SourceSpec
    listener: DoorListener

    @property
    def photo_seconds(self) -> float: ...

    @property
    def stopping(self) -> bool: ...

    def wait(self, seconds: float) -> bool: ...

    def set_state(self, state: str) -> None: ...

    def fresh_gallery(self, engine: Engine | None = None,
                      current: Gallery | None = None) -> Gallery | None: ...


def photo_views(faces: list[PhotoFace]) -> tuple[TrackView, ...]:
    """Photo faces shown like tracks: accepted matches are recognised, the rest unknown."""
    views = []
    for number, face in enumerate(faces):
        match = face.match
        known = match is not None and match.accepted
        views.append(TrackView(number, face.box, match.label if match else "Unknown",
                               TrackStatus.RECOGNISED if known else TrackStatus.UNKNOWN,
                               match.distance if match and match.person_id is not None else None))
    return tuple(views)


def liveness_note(mode: str) -> str:
    """What a photo source says, once, when liveness.mode is on: information, not a
    problem (issue 27 point 6), with what the setting means for such a source."""
    return _("Liveness is not checked for still photos: a photo cannot show that a face is "
             "alive, so everyone recognised in these photos is logged. The liveness setting "
             "(liveness.mode {mode}) applies to cameras and video files only.").format(mode=mode)


class PhotoDoor:
    """The photo half of a DoorSession: `run` looks at each photo in turn."""

    def __init__(self, session: Session, recorder: AttendanceRecorder) -> None:
        self.session = session
        self.recorder = recorder
        self.workspace = session.workspace
        self.listener = session.listener

    def _paths(self) -> list[Path]:
        """The photo, or every photo in the folder and its sub-folders (saying so if none)."""
        spec = self.session.spec
        if spec.kind is SourceKind.IMAGE:
            return [Path(spec.location)]
        photos = find_images(Path(spec.location))
        if not photos:
            self.listener.warning(f"no photos in {spec.location} or its sub-folders (JPEG, PNG, "
                                  "BMP, WebP or TIFF); nothing to look at")
        return photos

    def run(self) -> RunSummary:
        session = self.session
        engine = self.workspace.engine()
        engine.warm_up()
        gallery = self.workspace.gallery(engine=engine)  # as it is now (pulled, centrally)
        expressions = self.workspace.expression_reader()
        estimator = self.workspace.age_gender_estimator()
        session.listener.models_ready()
        mode = self.workspace.config.liveness.mode
        if mode != "off":
            self.listener.information(liveness_note(mode))
        session.set_state(SourceState.PHOTOS)
        started, looked = time.perf_counter(), 0
        paths = self._paths()
        for index, path in enumerate(paths):
            if session.stopping or (index and session.wait(session.photo_seconds)):
                break
            gallery = session.fresh_gallery(engine, gallery) or gallery
            try:
                rgb = load_rgb(path)
            except ImageError as error:
                self.listener.warning(str(error))
                continue
            looked += 1
            faces = identify_photo(engine, gallery, rgb)
            bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
            events: list[AttendanceEvent] = []
            for face in faces:
                match = face.match
                if match is None or not match.accepted or match.person_id is None:
                    continue
                expression = (expressions.read(model_input(rgb, face.box))
                              if expressions is not None else None)
                estimate = estimator.estimate(bgr, face.box) if estimator is not None else None
                event = self.recorder.record(match.person_id, match.name or "", match.distance,
                                             faces=[face.encoding], expression=expression,
                                             age_gender=estimate)
                if event is not None:
                    events.append(event)
            result = FrameResult(index, photo_views(faces), tuple(events), True)
            self.listener.seen(Seen(bgr, result, path))
        else:  # every photo was looked at: the last stays on screen, the run is done
            if paths and session.photo_seconds:
                session.wait(session.photo_seconds)
            if not session.stopping:
                session.set_state(SourceState.PHOTO_DONE if session.spec.kind is SourceKind.IMAGE
                                  else SourceState.PHOTOS_DONE)
        return RunSummary(looked, time.perf_counter() - started, 0, 0, photos=True)
