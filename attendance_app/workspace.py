"""Where the app keeps its files, and the objects built from them.

One data folder holds the face store, the journal and (by default) the workbook, so a
user can back up, move or erase everything by handling one folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from attendance_app.config import AppConfig
from attendance_app.events import AttendanceEvent
from attendance_app.journal import Journal
from attendance_app.policy import AttendancePolicy
from enrolment import FaceStore, Gallery
from exports import RosterEntry, parse_start_time

# The face engine and the pipeline load cv2, dlib, scipy and filterpy, and the workbook
# writer openpyxl: they are imported in the methods that build them, so the commands that
# need none of them start at once.
if TYPE_CHECKING:
    from attendance_app.faces.expression import ExpressionReader
    from attendance_app.faces.protocol import Engine
    from attendance_app.liveness_gate import LivenessGate
    from attendance_app.pipeline import Pipeline
    from attendance_app.recorder import AttendanceRecorder
    from attendance_app.workbook_sync import WorkbookSync

FACES_FILE = "faces.sqlite3"
JOURNAL_FILE = "journal.sqlite3"
WORKBOOK_FILE = "attendance.xlsx"


class WorkspaceError(Exception):
    """The data folder or workbook location cannot be used."""


def default_data_dir() -> Path:
    """The platform's per-user data folder, e.g. ~/.local/share/attendance-app."""
    return Path(user_data_dir("attendance-app", appauthor=False))


@dataclass(frozen=True)
class Workspace:
    """The settings and file locations of one run of the app."""

    config: AppConfig
    data_dir: Path
    workbook_path: Path

    @classmethod
    def resolve(cls, config: AppConfig, data_dir: Path | None, workbook: Path | None) -> Workspace:
        """Apply the precedence --workbook > config attendance.workbook > data folder."""
        data_dir = (data_dir or default_data_dir()).expanduser().resolve()
        if workbook is None and config.attendance.workbook:
            workbook = Path(config.attendance.workbook).expanduser()
            if not workbook.is_absolute():
                workbook = data_dir / workbook
        workbook = (workbook or data_dir / WORKBOOK_FILE).expanduser().resolve()
        if workbook.suffix.lower() != ".xlsx":
            raise WorkspaceError(f"workbook {workbook} must end in .xlsx; choose an Excel file name")
        if workbook.parent != data_dir and not workbook.parent.is_dir():
            raise WorkspaceError(
                f"the folder of workbook {workbook} does not exist; create it or choose another path"
            )
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WorkspaceError(f"data folder {data_dir} cannot be created ({error.strerror}); "
                                 "choose another with --data-dir") from None
        return cls(config, data_dir, workbook)

    def store(self) -> FaceStore:
        return FaceStore(self.data_dir / FACES_FILE)

    @property
    def journal_path(self) -> Path:
        return self.data_dir / JOURNAL_FILE

    def journal(self) -> Journal:
        return Journal(self.journal_path)

    def engine(self, name: str | None = None) -> Engine:
        """The face engine called `name`, by default the one the settings choose."""
        from attendance_app.faces import create_engine

        detection, recognition = self.config.detection, self.config.recognition
        return create_engine(name or recognition.engine, detection.width, detection.model,
                             detection.upsample, recognition.landmarks)

    def engines(self, active: Engine) -> dict[str, Engine]:
        """Every engine by name, `active` (already loaded) among them: enrolments are
        encoded by each, so that switching engines needs no re-enrolment."""
        from attendance_app.faces import ENGINE_NAMES

        return {name: active if name == active.name else self.engine(name)
                for name in ENGINE_NAMES}

    def gallery(self, store: FaceStore | None = None, engine: Engine | None = None) -> Gallery:
        """The enrolled faces as the engine in use sees them. Faces enrolled before this
        engine existed (or by a version without it) are encoded from their stored face
        pictures first, once: the engine (loaded if not given) is needed only then. Faces
        of voided rows are the gallery's negatives: not given the name they were taken for."""
        from attendance_app.faces import PROFILES

        store = store or self.store()
        recognition = self.config.recognition
        profile = PROFILES[recognition.engine]
        if store.shots_without(profile.name):
            from attendance_app.photos import encode_stored_shots

            encode_stored_shots(store, engine if engine is not None else self.engine())
        return Gallery(store.encoding_table(profile.name), recognition.engine_tolerance,
                       recognition.margin, profile.single_photo_stricter, metric=profile.metric,
                       far_beyond=profile.far_beyond,
                       negatives=store.negative_table(profile.name))

    def roster(self) -> list[RosterEntry]:
        """The enrolled people as the reports see them (for the Absent list); nobody when
        no face store exists yet (an export must not create one)."""
        if not (self.data_dir / FACES_FILE).exists():
            return []
        return [RosterEntry(p.person_id, p.name, p.created_at.date()) for p in self.store().people()]

    def workbook_sync(self, journal: Journal) -> WorkbookSync:
        """Writes the month workbooks from `journal`, at once, in the calling thread."""
        from attendance_app.workbook_sync import WorkbookSync

        return WorkbookSync(journal, self.workbook_path, self.roster,
                            parse_start_time(self.config.attendance.start_time))

    def recorder(
        self, on_event: Callable[[AttendanceEvent], None] = lambda event: None
    ) -> AttendanceRecorder:
        """Records events to the journal, and the faces behind them to the face store; the
        workbook is written by a background writer (call the recorder's `close` at the end
        of the run)."""
        from attendance_app.evidence import FaceEvidence
        from attendance_app.recorder import AttendanceRecorder
        from attendance_app.workbook_writer import WorkbookWriter

        journal = self.journal()
        minutes = self.config.attendance.cooldown_minutes
        policy = AttendancePolicy(timedelta(minutes=minutes) if minutes > 0 else None)
        return AttendanceRecorder(journal, WorkbookWriter(self.workbook_sync(journal)), policy,
                                  self.config.camera.name, on_event,
                                  FaceEvidence(self.store(), self.config.recognition.engine))

    def pipeline(self, recorder: AttendanceRecorder | None,
                 encode_in_worker: bool = True) -> Pipeline:
        """The video pipeline; by default faces are encoded in a worker process (call the
        pipeline's `finish` or `close` when done), else in the calling thread. With
        unknowns.keep_days set, it keeps the faces of tracks that end as Unknown."""
        from attendance_app.encoders import InlineEncoder, ProcessEncoder
        from attendance_app.identity import VotingRule
        from attendance_app.pipeline import Pipeline, PipelineSettings
        from attendance_app.unknowns.collector import unknown_faces
        from trackers import Sort

        recognition, tracking = self.config.recognition, self.config.tracking
        rule = VotingRule(recognition.votes_needed, recognition.max_attempts,
                          recognition.recheck_every_n_frames)
        detection = self.config.detection
        settings = PipelineSettings(detection.every_n_frames, detection.full_scan_every_n_frames,
                                    detection.min_face_px)
        tracker = Sort(tracking.max_age, tracking.min_hits, tracking.iou_threshold)
        engine = self.engine()
        gallery = self.gallery(engine=engine)
        unknowns = unknown_faces(self.config, self.data_dir, engine.name)  # None when off
        encoder = ProcessEncoder(engine) if encode_in_worker else InlineEncoder(engine)
        return Pipeline(engine, gallery, tracker, rule, settings, recorder, encoder, unknowns,
                        self.liveness_gate(engine.name, recorder), self.expression_reader())

    def expression_reader(self) -> ExpressionReader | None:
        """What reads the expression each row is written with; None with
        analytics.emotion off (the model is then never loaded)."""
        if not self.config.analytics.emotion:
            return None
        from attendance_app.faces.expression import ExpressionReader

        return ExpressionReader()

    def liveness_gate(self, engine_name: str,
                      recorder: AttendanceRecorder | None) -> LivenessGate | None:
        """What holds rows until faces show they are alive; None with liveness.mode off."""
        mode = self.config.liveness.mode
        if mode == "off":
            return None
        from attendance_app.faces.landmarks import Landmarker
        from attendance_app.liveness import Liveness
        from attendance_app.liveness_gate import LivenessGate

        return LivenessGate(Liveness(mode, Landmarker(engine_name)), recorder,
                            self.config.detection.min_face_px)
