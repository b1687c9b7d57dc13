"""Enrolling an unknown visitor's group under a name, from the faces kept of them.

The group's best faces (largest first) become enrolment shots only through the rules
every camera shot of the enrol dialog passes (EnrolmentService.judge_frame: one face the
detector is sure of, large enough, sharp, not the same pose as an earlier shot, and the
same person as the earlier shots), so a face wrongly grouped with the others or a poor
picture is left out rather than enrolled. They are then enrolled by the one enrolment
service (attendance_app.people.enrolment), as any enrolment is: a face already enrolled
under another name is refused unless forced (the window asks), and faces already
enrolled for the person are not stored twice. One rule is the group's own: enrolling
into a person already enrolled adds the faces only when they look like them, since a
wrong group number would add a stranger, who would then be logged under their name.
Only after the person is stored are the group's sightings deleted: a failure on the way
loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from attendance_app.faces.protocol import Engine
from attendance_app.i18n import _
from attendance_app.people.enrolment import Door, Enrolment, EnrolmentService, Resemblance
from attendance_app.unknowns.groups import UnknownGroup
from attendance_app.unknowns.store import UnknownStore
from enrolment import FaceStore, NewEncoding, Person
from enrolment.names import check_name


class GroupRefused(Exception):
    """The group cannot be enrolled; the message is one line saying why and what to do.
    `same_face` is set when the only reason is that the face is enrolled under another
    name: the refusal a Yes (the window) can override by enrolling with force."""

    def __init__(self, message: str, same_face: Resemblance | None = None) -> None:
        super().__init__(message)
        self.same_face = same_face


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


def best_shots(service: EnrolmentService, unknowns: UnknownStore, group: UnknownGroup,
               wanted: int) -> tuple[list[NewEncoding], int]:
    """Up to `wanted` enrolment shots from the group's faces, best first, each accepted by
    the camera-shot rules; and how many faces were tried."""
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
        verdict = service.judge_frame(rgb, source, [shot.vector for shot in shots])
        if verdict.shot is not None:
            shots.append(verdict.shot)
    return shots, tried


def _refusal(enrolment: Enrolment, number: int) -> GroupRefused | None:
    """Why group `number` must not be enrolled as checked, or None."""
    same = enrolment.same_face
    if enrolment.refused and same is not None:
        return GroupRefused(f"group {number} is already enrolled as {same.name} (distance "
                            f"{same.distance:.2f}); enrol it under that name (--force if they are "
                            "different people, e.g. twins), or delete the group", same)
    if enrolment.unlike_person and enrolment.existing is not None:
        nearest = min(stray.distance for stray in enrolment.strays)
        return GroupRefused(f"group {number} does not look like the {enrolment.existing.name} "
                            f"already enrolled (distance {nearest:.2f}); check the group "
                            "number, or choose another name")
    return None


def enrol_group(door: Door, store: FaceStore, unknowns: UnknownStore, group: UnknownGroup,
                name: str, engine: Engine, force: bool = False) -> GroupEnrolment:
    """Enrol `group` as `name` (added to that person if they exist), then delete its
    sightings; GroupRefused or StoreError (one line each) when it cannot be done. `force`
    enrols a face already enrolled under another name (identical twins)."""
    name = check_name(name)
    service = EnrolmentService.at(door, store, engine)
    shots, tried = best_shots(service, unknowns, group, door.config.enrolment.shots_needed)
    if not shots:
        raise GroupRefused(_("none of the {tried} faces of group {group} passes the enrolment "
                             "checks (one sharp face, large enough); enrol {name} from photos or "
                             "with the camera instead")
            .format(tried=tried, group=group.number, name=name))
    enrolment = service.check(name, shots)
    refusal = _refusal(replace(enrolment, forced=force), group.number)
    if refusal is not None:
        raise refusal
    person = service.commit(enrolment, force).person or enrolment.existing
    assert person is not None, "nothing new is only said of faces enrolled for someone"
    unknowns.delete(group.sighting_ids)
    return GroupEnrolment(person, len(enrolment.new), tried)
