"""One frame in, tracks and attendance events out.

The expensive steps are detection and encoding, so neither runs on every frame:
detection runs every Nth frame on a shrunken copy, and then only where the picture changed
and around the faces already followed, at their own size (regions.py); the SORT tracker
carries the boxes in between; and a face is encoded (by a worker process, encoders.py) only while its track's
identity is still undecided, then rechecked now and then. Side stages (keeping unknown
faces, liveness, expressions) hear about each track's life through one interface
(stages.py) and hold or annotate its row.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from attendance_app.faces.clarity import seen_clearly
from attendance_app.faces.protocol import Engine, as_bgr
from attendance_app.recognition.attendance_sink import AttendanceSink
from attendance_app.recognition.box_follower import BoxFollower
from attendance_app.recognition.encoders import Encoder, InlineEncoder, Look
from attendance_app.recognition.identity import TrackIdentity, VotingRule
from attendance_app.recognition.regions import ChangeFinder, CutFinder, search_areas, stayed
from attendance_app.recognition.stages import Arrival, Stage
from attendance_app.types import AttendanceEvent, Box, Frame, FrameResult, TrackStatus, TrackView
from enrolment import Gallery
from trackers import Sort, Track, iou_matrix

MAX_LOOK_LAG_FRAMES = 10
"""How many frames the pipeline may run ahead of a face at the encoder before it waits for
it: a video file is read faster than faces are encoded, and a track that ended before its
looks came back would never be named."""

MAX_LOOKS_AT_ENCODER = 2
"""Faces of one track that may be at the encoder at once: more than one, so a newcomer's
votes are not queued one behind the other (that would add an encoding time per vote to
the wait for their row); not many, so a recheck is not sent over and over."""

SETTLED_SLOWDOWN = 2
"""How much less often the detector runs while every face in view is decided (recognised
or given up on): a newcomer then waits a few frames longer, but the Kalman filter carries
walking faces well over that gap, and detection is half of the cost with faces in view."""

EARLY_LOOK_IOU = 0.5
"""Overlap of a face found between rounds with a track's box that makes it that track's face."""

MAX_REGION_SHARE = 0.7
"""When the regions cover more of the frame than this, one whole-frame search is cheaper."""


@dataclass(frozen=True)
class PipelineSettings:
    """detect_every_n_frames: run the detector on every Nth frame;
    full_scan_every_n_frames: search the whole frame at least this often (in between, only
    changed regions and around tracked faces);
    min_face_px: faces shorter than this (frame pixels) are followed but not encoded."""

    detect_every_n_frames: int = 5
    full_scan_every_n_frames: int = 250
    min_face_px: int = 40


CHECKING = "checking…"
"""The label of a face the app is still looking at: not a name, not 'Unknown'."""


def _view(track: Track, identity: TrackIdentity, prompt: str | None = None) -> TrackView:
    """Green and named when confirmed; red 'Unknown' only for a face seen clearly that
    matched nobody; amber 'checking…' otherwise, and 'Name – prompt' while a confirmed
    face's row waits for liveness. An unconfirmed face never carries a name, not even as
    'Name?': amber with a name reads as "it half-believes it is them", and a stranger
    merely nearest to someone enrolled would carry that person's name."""
    box = Box(*track.box)
    if identity.confirmed and prompt is not None:
        return TrackView(track.track_id, box, f"{identity.name} – {prompt}",
                         TrackStatus.UNSURE, identity.distance)
    if identity.confirmed:
        return TrackView(track.track_id, box, identity.name or "", TrackStatus.RECOGNISED,
                         identity.distance)
    last = identity.last_match
    distance = last.distance if last is not None and last.person_id is not None else None
    if identity.stranger:
        return TrackView(track.track_id, box, "Unknown", TrackStatus.UNKNOWN, distance)
    return TrackView(track.track_id, box, CHECKING, TrackStatus.UNSURE, distance)


class Pipeline:
    """Owns the tracker and the per-track votes; call `process` with every frame in order."""

    def __init__(
        self,
        engine: Engine,
        gallery: Gallery,
        tracker: Sort,
        rule: VotingRule,
        settings: PipelineSettings,
        recorder: AttendanceSink | None = None,
        encoder: Encoder | None = None,
        stages: Sequence[Stage] = (),
    ) -> None:
        """stages: the side stages told about each track's life, in this order (stages.py)."""
        self.engine = engine
        self.encoder = encoder or InlineEncoder(engine)
        self.stages = list(stages)
        self.gallery = gallery
        self.tracker = tracker
        self.rule = rule
        self.settings = settings
        self.recorder = recorder
        self._identities: dict[int, TrackIdentity] = {}
        self._last_detection: int | None = None
        self._last_full_scan: int | None = None
        self._cuts = CutFinder()  # shown every frame
        self._changes = ChangeFinder()  # shown every detection frame
        self._changes_since_full_scan = ChangeFinder()  # remembers the last whole-frame scan
        self._at_encoder: Counter[int] = Counter()  # faces of each track being encoded
        self._seen: dict[int, Box] = {}  # per track: the face its last detection round found
        self._follower = BoxFollower()  # keeps drawn boxes on their faces between rounds

    def set_gallery(self, gallery: Gallery) -> None:
        """Use newly enrolled people from the next frame on. A track named after someone
        forgotten or renamed meanwhile is put in doubt: its name goes (or changes) with
        the next looks instead of staying on the face, and it logs no new row for them."""
        self.gallery = gallery
        names = gallery.table.names
        for identity in self._identities.values():
            if identity.person_id is not None and names.get(identity.person_id) != identity.name:
                identity.doubt()

    def _due_for_detection(self, index: int) -> bool:
        """Every N frames; every SETTLED_SLOWDOWN * N frames while each face in view is
        already decided, since then detection only keeps the boxes on the faces."""
        if self._last_detection is None:
            return True
        interval = self.settings.detect_every_n_frames
        if self._all_settled():
            interval *= SETTLED_SLOWDOWN
        return index - self._last_detection >= interval

    def _one_vote_short(self) -> bool:
        """Whether a face in view, with no look of it at the encoder, awaits the look that
        may confirm it."""
        return any(track_id in self._identities and self._identities[track_id].one_vote_short
                   and track_id not in self._at_encoder
                   for track_id in self.tracker.live_track_ids)

    def _early_looks(self, image: np.ndarray, tracks: list[Track]) -> tuple[list[Box], list[Track]]:
        """Between detection rounds, the faces one vote short of their name, found around
        their boxes, and their tracks pointing at them, so that the look that may name
        them is taken now (after every cut a face waited a round for it). The tracker is
        not told: detections a frame apart would teach its filter the detector's jitter
        as motion, and it would lose the face."""
        waiting = [t for t in tracks if t.time_since_update == 0 and t.track_id not in self._at_encoder
                   and t.track_id in self._identities and self._identities[t.track_id].one_vote_short]
        areas = search_areas([], [Box(*t.box) for t in waiting])
        found = [b for b in self.engine.detect_in_regions(image, areas) if b.width >= 1 and b.height >= 1]
        if not waiting or not found:
            return [], []
        overlap = iou_matrix(np.array([t.box for t in waiting], dtype=float),
                             np.array([b.as_tuple() for b in found], dtype=float))
        return found, [replace(t, detection_index=int(overlap[i].argmax()))
                       for i, t in enumerate(waiting) if overlap[i].max() >= EARLY_LOOK_IOU]

    def _all_settled(self) -> bool:
        live = self.tracker.live_track_ids
        return bool(live) and all(
            track_id in self._identities and self._identities[track_id].settled
            and self._proven(track_id, datetime.now())
            for track_id in live)

    def _proven(self, track_id: int, when: datetime) -> bool:
        """Whether the track's row need not wait for any stage (liveness: none, or passed)."""
        identity = self._identities.get(track_id)
        return all(stage.holding(track_id, identity, when) is None for stage in self.stages)

    def process(self, frame: Frame) -> FrameResult:
        """Detect (when due), track, vote and record; returns what is on screen."""
        if self._cuts.is_cut(frame.image):
            # Nobody on screen now is who was there before: every track ends, and faces
            # are searched for at once rather than boxes carried over with their names.
            self.tracker.reset()
            self._last_detection = self._last_full_scan = None
        detected = self._due_for_detection(frame.index) or self._face_left_its_box()
        image: np.ndarray | None = None  # the frame as engines take it: BGR, not converted
        boxes: list[Box] = []
        if detected:
            image = as_bgr(frame.image)
            # A box clipped to nothing at the frame's edge is no face, and its zero height
            # would turn the tracker's aspect ratio into NaN.
            boxes = [box for box in self._detect(frame, image) if box.width >= 1 and box.height >= 1]
            detections = np.array([b.as_tuple() for b in boxes], dtype=float).reshape(-1, 4)
            tracks = self.tracker.update(detections)
            self._last_detection = frame.index
            self._check_jumps(tracks, boxes)
            self._follower.remember(image, {t.track_id: boxes[t.detection_index] for t in tracks
                                            if t.detection_index is not None})
        else:
            tracks = self.tracker.coast()
        look_boxes, look_tracks = boxes, tracks
        if not detected and self._one_vote_short():
            image = as_bgr(frame.image)
            look_boxes, look_tracks = self._early_looks(image, tracks)
        live = self.tracker.live_track_ids
        # A track that ended keeps its vote while faces of it are still at the encoder.
        kept = {i: v for i, v in self._identities.items() if i in live or i in self._at_encoder}
        if len(kept) < len(self._identities):
            gone = {i: v for i, v in self._identities.items() if i not in kept}
            for stage in self.stages:
                stage.ended(gone, frame.timestamp)
        self._identities = kept
        events = self._look_at_faces(frame, image, look_boxes, look_tracks)
        events += self._log_released(frame, boxes, tracks, detected)
        # Only boxes the last detection round found a face in are shown (a track coasting
        # on its motion alone may be drifting over the curtain), between rounds where that
        # face is now.
        views = tuple(self._shown(t, frame.timestamp) for t in tracks if t.time_since_update == 0)
        if not detected:
            views = self._follower.follow(as_bgr(frame.image), views)
        return FrameResult(frame.index, views, tuple(events), detected)

    def _shown(self, track: Track, when: datetime) -> TrackView:
        """The track as the window draws it, with a stage's prompt (liveness) while the
        row of its recognised face waits."""
        identity = self._identities.setdefault(track.track_id, TrackIdentity(self.rule))
        prompt = None
        if identity.confirmed:
            prompt = next((said for stage in self.stages
                           if (said := stage.holding(track.track_id, identity, when)) is not None),
                          None)
        return _view(track, identity, prompt)

    def _face_left_its_box(self) -> bool:
        """Whether the picture inside a followed face's box changed wholesale since the last
        frame: the face is gone from there (it stepped out of an edited video, or the view
        was blocked). Detection then runs at once, so that the box, carried between
        detections on its motion alone, is not drawn on what is left there."""
        return any(self._cuts.changed_inside(Box(*box)) for box in self.tracker.live_boxes)

    def _check_jumps(self, tracks: list[Track], boxes: list[Box]) -> None:
        """Put in doubt the identity of a track whose box jumped, or whose settled track
        was found again after missed detection rounds (it may be on another face now: in a
        queue the next person steps where the last one vanished, and a settled track would
        not look again for seconds), and start a track that took a lost one's
        place from that one's vote, in doubt. A doubted track costs one fresh look; the same
        person is named again by it, another person needs the full vote.

        A confirmed face whose box only moved a little (`_kept_its_face`) keeps its name
        with no fresh look: hiding it at every nod of a talking head left the person at
        the door without their name most of the time."""
        for track in tracks:
            identity = self._identities.get(track.track_id)
            if track.replaced is not None and track.replaced in self._identities:
                self._identities[track.track_id] = self._identities[track.replaced].handed_over()
                for stage in self.stages:
                    stage.handed_over(track.replaced)
            elif (identity is not None and (track.jumped or (track.resumed and identity.settled))
                  and not (identity.confirmed and self._kept_its_face(track, boxes))):
                identity.doubt()
                for stage in self.stages:
                    stage.doubted(track.track_id)
        live = self.tracker.live_track_ids
        self._seen = {track_id: seen for track_id, seen in self._seen.items() if track_id in live}
        for track in tracks:
            if track.detection_index is not None:
                self._seen[track.track_id] = boxes[track.detection_index]

    def _kept_its_face(self, track: Track, boxes: list[Box]) -> bool:
        """Whether the face a track was matched to this round is the one it had: found
        by the last round too (a track found again after missed rounds may be on the next
        person, who stepped where the last one vanished: at a door with six faces in view,
        keeping the name there left 8 of 99 walk-bys unlogged), and where it was then
        (`stayed`), with no other face there."""
        seen = self._seen.get(track.track_id)
        if seen is None or track.detection_index is None or track.resumed:
            return False
        found = boxes[track.detection_index]
        others = [box for i, box in enumerate(boxes) if i != track.detection_index]
        return stayed(seen, found, others)

    def _detect(self, frame: Frame, image: np.ndarray) -> list[Box]:
        """Search the whole frame when a full scan is due or most of the picture changed,
        else only the changed regions and around live tracks (nothing at all when the
        corridor is empty and still)."""
        changed = self._changes.changed_boxes(frame.image)
        if changed is not None and not self._full_scan_due(frame):
            areas = search_areas(changed, [Box(*box) for box in self.tracker.live_boxes])
            height, width = image.shape[:2]
            searched = sum(a.box.clipped(width, height).area for a in areas)
            if searched < MAX_REGION_SHARE * width * height:
                return self.engine.detect_in_regions(image, areas)
        self._last_full_scan = frame.index
        self._changes_since_full_scan.changed_boxes(frame.image)
        return self.engine.detect(image)

    def _full_scan_due(self, frame: Frame) -> bool:
        """Every full_scan_every_n_frames frames, unless the picture is still the one the
        last full scan saw (an empty corridor): then nobody can have arrived unseen, and
        skipping the scan keeps an idle camera's cost near that of decoding."""
        if self._last_full_scan is None:
            return True
        if frame.index - self._last_full_scan < self.settings.full_scan_every_n_frames:
            return False
        if self._changes_since_full_scan.changed_boxes(frame.image, remember=False) == []:
            self._last_full_scan = frame.index
            return False
        return True

    def _look_at_faces(self, frame: Frame, image: np.ndarray | None, boxes: list[Box],
                       tracks: list[Track]) -> list[AttendanceEvent]:
        """Send the faces whose identity is still open to the encoder (`image`: the frame,
        on detection frames), and let each track vote with the encodings that have come
        back (from this or earlier frames)."""
        if image is not None:
            wanted: list[tuple[Look, Box]] = []
            for track in tracks:
                identity = self._identities.setdefault(track.track_id, TrackIdentity(self.rule))
                if (track.detection_index is None
                        or self._at_encoder[track.track_id] >= MAX_LOOKS_AT_ENCODER
                        or not identity.wants_look(frame.index)):
                    continue
                box = boxes[track.detection_index]
                if box.height >= self.settings.min_face_px:
                    look = Look(track.track_id, frame.index, frame.timestamp,
                                seen_clearly(image, box))
                    wanted.append((look, box))
                    self._at_encoder[track.track_id] += 1
                    for stage in self.stages:
                        stage.saw(look, image, box)
            if wanted:
                self.encoder.submit(wanted, image)
        return self._vote(self.encoder.collect(wait_before=frame.index - MAX_LOOK_LAG_FRAMES))

    def _vote(self, looked: list[tuple[Look, np.ndarray]]) -> list[AttendanceEvent]:
        """Count each encoding for its track; record the tracks that became a person."""
        events: list[AttendanceEvent] = []
        for look, encoding in looked:
            self._at_encoder[look.track_id] -= 1
            if not self._at_encoder[look.track_id]:
                del self._at_encoder[look.track_id]
            identity = self._identities[look.track_id]
            identity.add(self.gallery.match(encoding), look.frame_index, look.clear, encoding)
            for stage in self.stages:
                stage.encoded(look, encoding)
            person_id = identity.person_id
            if (person_id is not None and identity.logged_person_id != person_id
                    and self._proven(look.track_id, look.timestamp)):
                event = self._log(look.track_id, look.timestamp)
                if event is not None:
                    events.append(event)
        return events

    def _log(self, track_id: int, when: datetime) -> AttendanceEvent | None:
        """Record the person the track's vote confirmed, once per track (the policy decides
        whether a row is due), as the stages annotate it (the expression, age and gender
        of its latest look, when they are read); the event, if one was written."""
        identity = self._identities[track_id]
        identity.logged_person_id = identity.person_id
        if self.recorder is None or identity.person_id is None:
            return None
        arrival = Arrival(track_id, identity.person_id, identity.name or "", identity.distance,
                          when, identity.agreeing_faces())
        for stage in self.stages:
            arrival = stage.arriving(arrival)
        return self.recorder.record(arrival.person_id, arrival.name, arrival.distance, arrival.when,
                                    arrival.faces, arrival.expression, arrival.age_gender)

    def _log_released(self, frame: Frame, boxes: list[Box], tracks: list[Track],
                      detected: bool) -> list[AttendanceEvent]:
        """Show the frame to the stages (liveness looks at the faces whose rows wait), and
        record the tracks they released on it that no stage still holds."""
        released = [track_id for stage in self.stages
                    for track_id in stage.saw_frame(frame, boxes, tracks, self._identities,
                                                    detected)]
        logged = (self._log(track_id, frame.timestamp) for track_id in dict.fromkeys(released)
                  if self._proven(track_id, frame.timestamp))
        return [event for event in logged if event is not None]

    def finish(self) -> list[AttendanceEvent]:
        """At the end of a video: wait for the faces still at the encoder and count them,
        then stop the encoder."""
        try:
            events = self._vote(self.encoder.collect(wait_before=math.inf))
            now = datetime.now()
            for stage in self.stages:  # the faces in view leave with the video's end
                stage.ended(self._identities, now)
            return events
        finally:
            self.close()

    def close(self) -> None:
        """Stop the encoder (a worker process, when there is one), then the stages, with
        the tracks still in view (the unknown faces among them are saved)."""
        self.encoder.close()
        for stage in self.stages:
            stage.close(self._identities)
