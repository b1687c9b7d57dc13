"""The objects a run of the app is built from: face store, journal, recorder, pipeline,
central link and the rest, each made from the places attendance_app.app.paths resolved.

`Workspace` is the Paths of a run with a method per object it builds, so the window, the
commands and the door session ask one thing for what they need and the settings are
read in one place. (The names of paths.py that callers import with the Workspace are
kept importable from here.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from attendance_app.app.paths import DATABASE_URL_VARIABLE, FACES_FILE, Paths, WorkspaceError
from attendance_app.records.corrections import CorrectedJournal
from attendance_app.records.journal import Journal, JournalError
from attendance_app.records.policy import AttendancePolicy
from attendance_app.types import AttendanceEvent
from enrolment import DaysOffBook, FaceStore, Gallery, GroupBook
from exports import RosterEntry

# The face engine and the pipeline load cv2, dlib, scipy and filterpy, and the workbook
# writer openpyxl: they are imported in the methods that build them, so the commands that
# need none of them start at once.
if TYPE_CHECKING:
    from attendance_app.central.database import CentralDatabase
    from attendance_app.central.link import CentralLink
    from attendance_app.central.records import CentralJournal
    from attendance_app.central.replica import SharedFaceStore
    from attendance_app.faces.age_gender import AgeGenderEstimator
    from attendance_app.faces.expression import ExpressionReader
    from attendance_app.faces.protocol import Engine
    from attendance_app.messages.unknown_visitor import UnknownVisitorMessage
    from attendance_app.recognition.liveness_gate import LivenessGate
    from attendance_app.recognition.pipeline import Pipeline
    from attendance_app.recognition.refusal import Refusal
    from attendance_app.records.recorder import AttendanceRecorder
    from attendance_app.records.workbook_sync import WorkbookSync
    from exports.hours import Schedule

__all__ = ["DATABASE_URL_VARIABLE", "FACES_FILE", "Workspace", "WorkspaceError"]


class Workspace(Paths):
    """The places of one run of the app (Paths) and the objects built from them."""

    @property
    def central(self) -> CentralDatabase | None:
        """The site's central database, None when this door keeps its own files."""
        if not self.database_url:
            return None
        from attendance_app.central.database import CentralDatabase

        return CentralDatabase(self.database_url)

    def store(self) -> FaceStore:
        """The people this door recognises: its own face store, or with a central database
        its copy of the central roster, brought up to date first when the server answers
        (when not, a warning, and the copy as it is)."""
        copy = self.roster_copy()
        if copy is None:
            return FaceStore(self.faces_path)
        copy.pull_or_warn()
        return copy

    def roster_copy(self) -> SharedFaceStore | None:
        """This door's copy of the central roster as it is (not pulled); None without a
        central database."""
        central = self.central
        if central is None:
            return None
        from attendance_app.central.replica import SharedFaceStore
        from attendance_app.central.roster import CentralRoster

        site = None
        if self.journal_path.exists():
            try:
                site = self.journal().site_id  # the site its waiting rows are bound to
            except JournalError:
                pass  # a damaged journal is reported by whatever records into it
        return SharedFaceStore(self.roster_copy_path, CentralRoster(central),
                               site=site)

    def pull_before_reports(self) -> None:
        """With a central database: bring the copy level with the server, so a report
        counts the site's people, groups and calendar as they are now. A server that does
        not answer, or is not this door's site, is said in one line by the read of the
        central log that follows, not twice."""
        copy = self.roster_copy()
        if copy is None:
            return
        from attendance_app.central.database import DatabaseError

        try:
            copy.pull()
        except DatabaseError:
            pass

    def records(self) -> CorrectedJournal | CentralJournal:
        """What exports and reports are written from, and corrections made in: the central
        log when there is one, else this door's journal."""
        central = self.central
        if central is None:
            return self.journal()
        from attendance_app.central.records import CentralJournal

        copy = self.roster_copy()
        site = copy.site_id or copy.journal_site if copy is not None else None
        door = self.journal().door_id if self.journal_path.exists() else ""
        return CentralJournal(central, self.cooldown, site, door)

    def site_log(self) -> CentralJournal | None:
        """The central log, where this door's rows are corrected (records.voiding asks it
        whether a row's void was undone there), or None without a central database."""
        log = self.records()
        return None if isinstance(log, CorrectedJournal) else log

    @property
    def cooldown(self) -> timedelta | None:
        """attendance.cooldown_minutes as the policy takes it (None: once a day)."""
        minutes = self.config.attendance.cooldown_minutes
        return timedelta(minutes=minutes) if minutes > 0 else None

    def central_link(self, store: FaceStore, journal: Journal) -> CentralLink | None:
        """With a central database: the link that sends `journal` and keeps `store` (the
        door's copy) up to date, not yet started; None without one."""
        central = self.central
        if central is None:
            return None
        from attendance_app.central.link import CentralLink
        from attendance_app.central.replica import SharedFaceStore

        assert isinstance(store, SharedFaceStore), "a central database's store is its copy"
        journal.join_central(store.site_id)  # its rows name the copy's people
        return CentralLink(central, store, journal)

    def journal(self) -> CorrectedJournal:
        """This door's journal, read through its corrections (records.corrections)."""
        return CorrectedJournal(self.journal_path)

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
            from attendance_app.recognition.photos import encode_stored_shots

            encode_stored_shots(store, engine if engine is not None else self.engine())
        return Gallery(store.encoding_table(profile.name), recognition.engine_tolerance,
                       recognition.margin, profile.single_photo_stricter, metric=profile.metric,
                       far_beyond=profile.far_beyond,
                       negatives=store.negative_table(profile.name),
                       tighter_per_tenfold=profile.tighter_per_tenfold)

    def roster(self) -> list[RosterEntry]:
        """The enrolled people as the reports see them (for the Absent list); nobody when
        no face store exists yet (an export must not create one)."""
        if not (self.faces_path if self.central is None else self.roster_copy_path).exists():
            return []
        store = self.roster_copy() or self.store()  # the copy as it is: no pull per save
        return [RosterEntry(p.person_id, p.name, p.created_at.date()) for p in store.people()]

    def workbook_sync(self, journal: Journal | CentralJournal) -> WorkbookSync:
        """Writes the month workbooks from `journal`, at once, in the calling thread."""
        from attendance_app.records.workbook_sync import WorkbookSync

        return WorkbookSync(journal, self.workbook_path, self.roster, self.schedule,
                            self.config.attendance.site_name, self._calendar_changes)

    def _calendar_changes(self, counter: int) -> tuple[int, list[tuple[date, date]] | None]:
        """The calendar changes the reports' store holds after `counter` (the face store,
        or the roster copy as it is: another door's change arrives by its pull)."""
        if not (self.faces_path if self.central is None else self.roster_copy_path).exists():
            return 0, []
        return DaysOffBook(self.roster_copy() or FaceStore(self.faces_path)).changed_since(counter)

    def schedule(self) -> Schedule:
        """Whom the reports expect when: the groups' hours (from the face store, or the
        roster copy as it is) and the site's hours for people in no group."""
        from attendance_app.records.schedule import schedule_of

        if not (self.faces_path if self.central is None else self.roster_copy_path).exists():
            return schedule_of(None, self.config.attendance)
        store = self.roster_copy() or FaceStore(self.faces_path)
        return schedule_of(GroupBook(store), self.config.attendance)

    def recorder(
        self, on_event: Callable[[AttendanceEvent], None] = lambda event: None,
        store: FaceStore | None = None, link: CentralLink | None = None,
        on_refusal: Callable[[Refusal], None] = lambda refusal: None,
    ) -> AttendanceRecorder:
        """Records events to the journal, and the faces behind them to the face store; the
        workbook is written by a background writer (call the recorder's `close` at the end
        of the run). With a central `link`, each row is also sent to the central database,
        the other doors' rows count in the policy, and the workbook is written from the
        central log by the door that keeps it (database.keeps_workbook), by no other."""
        from attendance_app.app.messaging import arrivals_queued
        from attendance_app.recognition.evidence import FaceEvidence
        from attendance_app.records.recorder import AttendanceRecorder, NoWorkbook
        from attendance_app.records.workbook_writer import WorkbookWriter

        on_event = arrivals_queued(self, on_event)  # each row's webhook, right after its commit
        journal = self.journal()
        sync: WorkbookWriter | NoWorkbook
        if link is None:
            sync = WorkbookWriter(self.workbook_sync(journal))
        elif self.config.database.keeps_workbook and link.store.mismatch is None:
            # (pointed at another site's database, the workbook stays as it is: its rows
            # are no rows of this site, and the SiteMismatch line has said why)
            sync = WorkbookWriter(self.workbook_sync(self.records()))
            link.on_central_events = sync.notify  # every door's rows, as they arrive
        else:
            sync = NoWorkbook()
        return AttendanceRecorder(journal, sync, AttendancePolicy(self.cooldown),
                                  self.config.camera.name, on_event,
                                  FaceEvidence(store or self.store(),
                                               self.config.recognition.engine), link,
                                  on_refusal)

    def pipeline(self, recorder: AttendanceRecorder | None,
                 encode_in_worker: bool = True) -> Pipeline:
        """The video pipeline, its face models loaded; by default faces are encoded in a
        worker process (call the pipeline's `finish` or `close` when done), else in the
        calling thread. With unknowns.keep_days set, it keeps the faces of tracks that end
        as Unknown.

        The worker is started first: it spends seconds importing and loading its models on
        the other core, and meanwhile this process builds the rest, the tracker's import
        of filterpy and scipy.stats (one to two seconds) and its own models included, so
        none of it is left for the first frame and only the longer of the two is waited."""
        from attendance_app.recognition.age_gender_stage import AgeGenderAtArrival
        from attendance_app.recognition.encoders import InlineEncoder, ProcessEncoder
        from attendance_app.recognition.expression_stage import ExpressionAtArrival
        from attendance_app.recognition.identity import VotingRule
        from attendance_app.recognition.pipeline import Pipeline, PipelineSettings
        from attendance_app.unknowns.collector import unknown_faces
        from trackers import Sort

        recognition, tracking = self.config.recognition, self.config.tracking
        rule = VotingRule(recognition.votes_needed, recognition.max_attempts,
                          recognition.recheck_every_n_frames)
        detection = self.config.detection
        settings = PipelineSettings(detection.every_n_frames, detection.full_scan_every_n_frames,
                                    detection.min_face_px)
        engine = self.engine()
        worker = ProcessEncoder(engine) if encode_in_worker else None
        try:
            tracker = Sort(tracking.max_age, tracking.min_hits, tracking.iou_threshold)
            engine.warm_up()
            gallery = self.gallery(engine=engine)
            reader, estimator = self.expression_reader(), self.age_gender_estimator()
            stages = [stage for stage in (  # each None when off
                unknown_faces(self.config, self.data_dir, engine.name),
                self.liveness_gate(recorder),
                None if reader is None else ExpressionAtArrival(reader),
                None if estimator is None else AgeGenderAtArrival(estimator),
                self.unknown_visitor_message())
                if stage is not None]
            if worker is not None:
                worker.wait_until_ready()
        except BaseException:
            if worker is not None:
                worker.close()
            raise
        encoder = worker or InlineEncoder(engine)
        return Pipeline(engine, gallery, tracker, rule, settings, recorder, encoder, stages)

    def expression_reader(self) -> ExpressionReader | None:
        """What reads the expression each row is written with; None with
        analytics.emotion off (the model is then never loaded)."""
        if not self.config.analytics.emotion:
            return None
        from attendance_app.faces.expression import ExpressionReader

        return ExpressionReader()

    def age_gender_estimator(self) -> AgeGenderEstimator | None:
        """What estimates the age and gender each row is written with, its models checked
        and loaded (a fraction of a second); None with analytics.age_gender off (the
        models are then never loaded)."""
        if not self.config.analytics.age_gender:
            return None
        from attendance_app.faces.age_gender import AgeGenderEstimator

        estimator = AgeGenderEstimator()
        estimator.warm_up()
        return estimator

    def liveness_gate(self, recorder: AttendanceRecorder | None) -> LivenessGate | None:
        """What holds rows until faces show they are alive; None with liveness.mode off.
        A withdrawn mode (blink) checks as the mode that replaced it does."""
        if self.config.liveness.mode == "off":
            return None
        from attendance_app.recognition.liveness import Liveness
        from attendance_app.recognition.liveness_gate import LivenessGate

        return LivenessGate(Liveness(), recorder, self.config.detection.min_face_px)

    def unknown_visitor_message(self) -> UnknownVisitorMessage | None:
        """What queues a webhook message per unknown visitor; None without a webhook."""
        if not self.config.messages.webhook_url:
            return None
        from attendance_app.app.messaging import outbox
        from attendance_app.messages.unknown_visitor import UnknownVisitorMessage

        box = outbox(self)
        return None if box is None else UnknownVisitorMessage(box, self.config.camera.name)
