"""The one enrolment service: every way to enrol someone goes through `EnrolmentService`.

Photos on the command line, `enrol --folder`, the Enrol dialog (imported photos and
camera shots, and People -> Add shots), Unknown visitors -> Enrol as and `unknowns
enrol` all judge shots and store faces here, so one set of rules holds at every door:

- a shot must show one face the detector is sure of, or one that clearly dominates the
  others (recognition.dominant_face), large enough (and, from a camera,
  sharp, a new pose, the same person as the earlier shots): people.shot_rules;
- a photo already enrolled for the person is not stored twice (`duplicates`);
- a face already enrolled under another name (nearer than the engine's
  EngineProfile.same_face) is refused unless forced: `enrol --force` on the command
  line, a Yes to a question naming who in the window (`same_face`);
- faces within tolerance of someone else are stored with a look-alike warning
  (`look_alikes`), and added shots that do not look like the person they are added to
  are reported (`strays`).

The service only judges and stores; it prints nothing and imports no Qt, so each front
end words the outcome for its user. With a central database the store is the door's
SharedFaceStore, whose `enrol` writes to the server first, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Protocol

import numpy as np

from attendance_app.config.settings import AppConfig
from attendance_app.faces import PROFILES
from attendance_app.faces.protocol import Engine
from attendance_app.i18n import _
from attendance_app.people.shot_rules import ShotVerdict, judge_camera_shot, judge_photo
from attendance_app.recognition.photos import by_other_engines, for_every_engine
from enrolment import FaceStore, Gallery, NewEncoding, Person, StoreError
from enrolment.names import check_name, name_key


class Door(Protocol):
    """What the service needs of the app's Workspace (attendance_app.app.workspace), named
    here so that people/ does not import app/, which sits above it."""

    @property
    def config(self) -> AppConfig: ...

    def engines(self, active: Engine) -> dict[str, Engine]: ...

    def gallery(self, store: FaceStore | None = None, engine: Engine | None = None) -> Gallery: ...


@dataclass(frozen=True)
class Resemblance:
    """Someone already enrolled whom a new face is near: their name, id and the nearest
    distance (in the engine's metric, lower is more alike)."""

    name: str
    person_id: int
    distance: float


@dataclass(frozen=True)
class Stray:
    """A new shot farther than tolerance from the person it is added to."""

    source: str
    distance: float


@dataclass(frozen=True)
class Enrolment:
    """What enrolling `shots` as `name` would do (from `check`) or did (from `commit`).

    new: the shots not already enrolled for the person, the only ones stored.
    duplicates: the sources of the shots that are (the same photo file, or a copy).
    existing: the person the shots are added to, None for a new person.
    same_face: the nearest other person nearer than same_face (refused unless forced).
    look_alikes: other people within tolerance of a new shot, nearest first.
    strays: new shots that do not look like `existing`.
    person: the person as stored, once committed; None before, or when refused.
    """

    name: str
    new: tuple[NewEncoding, ...]
    duplicates: tuple[str, ...]
    existing: Person | None
    same_face: Resemblance | None
    look_alikes: tuple[Resemblance, ...]
    strays: tuple[Stray, ...]
    person: Person | None = None
    forced: bool = False

    @property
    def nothing_new(self) -> bool:
        """Every shot is already enrolled for the person: there is nothing to store."""
        return not self.new

    @property
    def refused(self) -> bool:
        """Not to be stored unless forced: the face is someone else's already."""
        return self.same_face is not None and not self.forced

    @property
    def unlike_person(self) -> bool:
        """None of the new shots looks like the enrolled person they are added to (a wrong
        photo, or a wrong person chosen)."""
        return bool(self.new) and len(self.strays) == len(self.new)


@dataclass(frozen=True)
class JudgedPhoto:
    """A photo file judged for enrolment and, when accepted, its face as every other
    engine encodes it: what `enrol --folder`'s worker processes send back
    (recognition.photo_pool), so that storing it needs no more encoding."""

    verdict: ShotVerdict
    others: tuple[NewEncoding, ...] = ()


def judge_for_every_engine(engines: Mapping[str, Engine], path: Path, engine: str,
                           min_face_px: int) -> JudgedPhoto:
    """`path` judged by `engines[engine]` as EnrolmentService.judge_photo does, with the
    accepted face encoded by the other engines as EnrolmentService.commit would."""
    verdict = judge_photo(engines[engine], path, min_face_px)
    if verdict.shot is None:
        return JudgedPhoto(verdict)
    return JudgedPhoto(verdict, tuple(by_other_engines(engines, verdict.shot)))


class EnrolmentRefused(Exception):
    """`commit` was asked to store an Enrolment that is refused; the front end should have
    asked (or needed --force) first."""


def _resemblances(gallery: Gallery, own_id: int | None,
                  shots: tuple[NewEncoding, ...]) -> tuple[dict[int, float], list[Stray]]:
    """Other people within tolerance of any new face (id -> nearest distance), and the new
    faces farther than tolerance from `own_id`. One vectorised search per face: only the
    few people within tolerance reach Python, so the check stays quick with thousands
    enrolled."""
    others: dict[int, float] = {}
    strays: list[Stray] = []
    for shot in shots:
        ids, distances = gallery.distances_by_person(shot.vector)
        if own_id is not None:
            own = distances[ids == own_id]
            if own.size and own[0] > gallery.tolerance:
                strays.append(Stray(shot.source, float(own[0])))
        near = distances <= gallery.tolerance
        for person_id, distance in zip(ids[near].tolist(), distances[near].tolist()):
            if person_id != own_id:
                others[person_id] = min(distance, others.get(person_id, distance))
    return others, strays


class EnrolmentService:
    """Judges shots and enrols people by the one set of rules (see the module docstring).

    The gallery the new faces are compared with is read on first use and then grown in
    memory as people are stored, so enrolling a folder of thousands costs the same per
    person; the other engines (every enrolment is encoded by each) load on first commit.
    """

    def __init__(self, store: FaceStore, engine: Engine, gallery: Callable[[], Gallery],
                 engines: Callable[[], Mapping[str, Engine]], min_face_px: int,
                 tolerance: float) -> None:
        """gallery, engines: how to read the enrolled faces and load every engine, called
        once when first needed. tolerance: the recognition tolerance (same person or not
        between camera shots)."""
        self.store = store
        self.engine = engine
        self.min_face_px = min_face_px
        self.tolerance = tolerance
        self.same_face_distance = PROFILES[engine.name].same_face
        self._read_gallery = gallery
        self._load_engines = engines
        self._gallery: Gallery | None = None
        self._ids: dict[str, int] = {}  # the gallery's people by name_key: no query per name
        self._engines: Mapping[str, Engine] | None = None

    @classmethod
    def at(cls, door: Door, store: FaceStore, engine: Engine) -> EnrolmentService:
        """The service for a door's settings, faces and engine."""
        config = door.config
        return cls(store, engine, lambda: door.gallery(store, engine),
                   lambda: door.engines(engine), config.enrolment.min_face_px,
                   config.recognition.engine_tolerance)

    @property
    def gallery(self) -> Gallery:
        """The enrolled faces as this engine sees them: read once, then grown by commit."""
        if self._gallery is None:
            self._gallery = self._read_gallery()
            self._ids = {name_key(known): pid for pid, known in self._gallery.table.names.items()}
        return self._gallery

    # -- shots ---------------------------------------------------------------------------------
    def judge_photo(self, path: Path) -> ShotVerdict:
        """A photo file judged for enrolment (one sure face, large enough)."""
        return judge_photo(self.engine, path, self.min_face_px)

    def judge_frame(self, rgb: np.ndarray, source: str,
                    earlier: list[np.ndarray]) -> ShotVerdict:
        """A camera frame (RGB) judged for enrolment against the earlier shots' encodings."""
        return judge_camera_shot(self.engine, rgb, source, self.min_face_px, earlier,
                                 self.tolerance)

    def photo_job(self) -> Callable[[Mapping[str, Engine], Path], JudgedPhoto]:
        """judge_for_every_engine with this service's engine and rule, for a PhotoPool."""
        return partial(judge_for_every_engine, engine=self.engine.name,
                       min_face_px=self.min_face_px)

    @property
    def engines(self) -> Mapping[str, Engine]:
        """Every engine by name, this one among them (each enrolment is encoded by each):
        made on first use, their models loaded only when they encode."""
        if self._engines is None:
            self._engines = self._load_engines()
        return self._engines

    # -- enrolling -----------------------------------------------------------------------------
    def check(self, name: str, shots: list[NewEncoding]) -> Enrolment:
        """What enrolling `shots` as `name` would do; stores nothing. StoreError (one line)
        for a name that cannot be used or no shot at all."""
        name = check_name(name)
        if not shots:
            raise StoreError(_("no usable face for {name!r}; nothing was enrolled")
                .format(name=name))
        new = tuple(self.store.new_faces(name, shots))
        kept = {id(shot) for shot in new}
        duplicates = tuple(shot.source for shot in shots if id(shot) not in kept)
        gallery = self.gallery
        own_id = self._ids.get(name_key(name))
        existing = self.store.find(name) if own_id is not None else None
        if not new:
            return Enrolment(name, new, duplicates, existing, None, (), ())
        others, strays = _resemblances(gallery, own_id, new)
        names = gallery.table.names
        look_alikes = tuple(sorted((Resemblance(names[pid], pid, distance)
                                    for pid, distance in others.items()),
                                   key=lambda r: r.distance))
        same = [r for r in look_alikes if r.distance < self.same_face_distance]
        return Enrolment(name, new, duplicates, existing, same[0] if same else None,
                         look_alikes, tuple(strays))

    def commit(self, enrolment: Enrolment, force: bool = False,
               by_others: Callable[[NewEncoding], Sequence[NewEncoding]] | None = None
               ) -> Enrolment:
        """Store a checked enrolment's new shots, encoded by every engine, in one
        transaction (at a central door, on the server first). EnrolmentRefused when its
        face is someone else's and not `force`; nothing is stored for nothing new.
        by_others: a shot's face as the other engines encode it, when that is already
        known (JudgedPhoto.others); by default they encode it here."""
        enrolment = replace(enrolment, forced=force)
        if enrolment.refused:
            assert enrolment.same_face is not None
            raise EnrolmentRefused(_("this face is already enrolled as {name}")
                .format(name=enrolment.same_face.name))
        if enrolment.nothing_new:
            return enrolment
        new = list(enrolment.new)
        completed = (for_every_engine(self.engines, new) if by_others is None else
                     new + [other for shot in new for other in by_others(shot)])
        person = self.store.enrol(enrolment.name, completed)
        if self._gallery is not None:
            self._gallery = self._gallery.adding(
                person.person_id, person.name,
                [shot.vector for shot in enrolment.new if shot.engine == self.engine.name])
            self._ids[name_key(person.name)] = person.person_id
        return replace(enrolment, person=person)

    def enrol(self, name: str, shots: list[NewEncoding], force: bool = False) -> Enrolment:
        """Check, then store unless refused: the returned Enrolment's `person` says
        whether anything was stored (None when refused or nothing new)."""
        enrolment = self.check(name, shots)
        if enrolment.refused and not force:
            return enrolment
        return self.commit(enrolment, force)
