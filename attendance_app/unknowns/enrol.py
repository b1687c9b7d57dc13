"""Enrolling an unknown visitor's group under a name, from the faces kept of them.

The group's best faces (largest first) become enrolment shots only through the rules
every camera shot of the enrol dialog passes (gui/shot_rules.judge_camera_shot: one face
the detector is sure of, large enough, sharp, not the same pose as an earlier shot, and
the same person as the earlier shots), so a face wrongly grouped with the others or a
poor picture is left out rather than enrolled. The shots are stored with every engine's
encoding (photos.for_every_engine), as any enrolment is. A face already enrolled under
another name is refused, as `attendance-app enrol` refuses it. Only after the person is
stored are the group's sightings deleted: a failure on the way loses nothing. Enrolling
into a person already enrolled adds the faces to them, but only when they look like them.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from attendance_app.app.workspace import Workspace
from attendance_app.faces import PROFILES
from attendance_app.faces.protocol import Engine
from attendance_app.recognition.photos import for_every_engine
from attendance_app.unknowns.groups import UnknownGroup
from attendance_app.unknowns.store import UnknownStore
from enrolment import FaceStore, NewEncoding, Person
from enrolment.store import check_name


class GroupRefused(Exception):
    """The group cannot be enrolled; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class GroupEnrolment:
    """What enrolling a group did: the person as stored, how many of the group's faces
    became shots, and how many were looked at."""

    person: Person
    shots: int
    tried: int


def _rgb(jpeg: bytes) -> np.ndarray | None:
    bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return None if bgr is None else cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def best_shots(engine: Engine, unknowns: UnknownStore, group: UnknownGroup, wanted: int,
               min_face_px: int, tolerance: float) -> tuple[list[NewEncoding], int]:
    """Up to `wanted` enrolment shots from the group's faces, best first, each accepted by
    the enrol dialog's camera-shot rules; and how many faces were tried."""
    from attendance_app.people.shot_rules import judge_camera_shot  # no Qt in it

    shots: list[NewEncoding] = []
    tried = 0
    for sighting in group.sightings:
        if len(shots) >= wanted:
            break
        picture = unknowns.face_image(sighting.sighting_id)
        rgb = None if picture is None else _rgb(picture)
        if rgb is None:
            continue
        tried += 1
        source = f"unknown visitor {sighting.seen_at:%Y-%m-%d %H:%M}"
        verdict = judge_camera_shot(engine, rgb, source, min_face_px,
                                    [shot.vector for shot in shots], tolerance)
        if verdict.shot is not None:
            shots.append(verdict.shot)
    return shots, tried


def _refusal(workspace: Workspace, store: FaceStore, engine: Engine, name: str,
             number: int, shots: list[NewEncoding]) -> str | None:
    """Why these faces must not be enrolled as `name`, or None: one of them is already
    enrolled under another name (nearer than the engine's same_face distance, as
    `attendance-app enrol` refuses it), or `name` is someone already enrolled whom none of
    them looks like (within tolerance): a wrong group number would add a stranger's face
    to them, and the stranger would be logged under their name."""
    gallery = workspace.gallery(store, engine)
    own = store.find(name)
    own_id = None if own is None else own.person_id
    limit = PROFILES[engine.name].same_face
    nearest_own = float("inf")
    for shot in shots:
        ids, distances = gallery.distances_by_person(shot.vector)
        for person_id, distance in zip(ids.tolist(), distances.tolist()):
            if person_id == own_id:
                nearest_own = min(nearest_own, distance)
            elif distance < limit:
                return (f"group {number} is already enrolled as {gallery.table.names[person_id]} "
                        f"(distance {distance:.2f}); enrol it under that name, or delete the group")
    if own is not None and nearest_own > gallery.tolerance:
        return (f"group {number} does not look like the {own.name} already enrolled (distance "
                f"{nearest_own:.2f}); check the group number, or choose another name")
    return None


def enrol_group(workspace: Workspace, store: FaceStore, unknowns: UnknownStore,
                group: UnknownGroup, name: str, engine: Engine) -> GroupEnrolment:
    """Enrol `group` as `name` (added to that person if they exist), then delete its
    sightings; GroupRefused or StoreError (one line each) when it cannot be done."""
    name = check_name(name)
    config = workspace.config
    shots, tried = best_shots(engine, unknowns, group, config.enrolment.shots_needed,
                              config.enrolment.min_face_px, config.recognition.engine_tolerance)
    if not shots:
        raise GroupRefused(f"none of the {tried} faces of group {group.number} passes the "
                           "enrolment checks (one sharp face, large enough); enrol "
                           f"{name} from photos or with the camera instead")
    refusal = _refusal(workspace, store, engine, name, group.number, shots)
    if refusal is not None:
        raise GroupRefused(refusal)
    person = store.enrol(name, for_every_engine(workspace.engines(engine), shots))
    unknowns.delete(group.sighting_ids)
    return GroupEnrolment(person, len(shots), tried)
