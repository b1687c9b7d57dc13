"""A door with a site's gallery (issue 22): the people of benchmarks/door_accuracy.py
enrolled among up to ~1,900 one-photo people of ../shared/faces-scale, and its stranger
photos walking by too.

The padding people are stored from the encodings benchmarks/scale/faces.py made through
the app's own enrolment path (the face taken, every engine's encoding), so padding a
door's store costs seconds instead of the ~0.3 s a person of enrolling each photo again.
"""

from __future__ import annotations

import numpy as np

from attendance_app.app.workspace import Workspace
from benchmarks.scale.faces import SCALE_FACES, encoded_set
from enrolment import NewEncoding
from tests.support.scenes import Person

PADDING_KIND = "pad"


def pad_gallery(workspace: Workspace, size: int, engines: tuple[str, ...]) -> int:
    """Enrol faces-scale's one-photo people (lfw/pad, then lfw/enrol) into `workspace`
    until it holds `size` people; returns how many it holds. Each is stored with the
    encodings of `engines` that found their face (a person no engine took is skipped)."""
    store = workspace.store()
    held = set(workspace.gallery().table.names.values())
    coded = {engine: encoded_set(engine, progress=False) for engine in engines}
    photos = coded[engines[0]].photos
    order = sorted(range(len(photos)), key=lambda i: (photos[i].kind != PADDING_KIND, i))
    for index in order:
        if len(held) >= size:
            break
        photo = photos[index]
        if photo.kind not in ("pad", "enrol") or not photo.lfw or photo.identity in held:
            continue
        shots = [NewEncoding(vectors.encodings[index].astype(np.float64), photo.file,
                             engine=engine)
                 for engine, vectors in coded.items() if vectors.found()[index]]
        if shots:
            store.enrol(photo.identity, shots)
            held.add(photo.identity)
    return len(held)


def scale_strangers(count: int) -> list[Person]:
    """`count` stranger photos of faces-scale (people never enrolled), spread over the set."""
    folder = SCALE_FACES / "lfw" / "stranger"
    photos = sorted(folder.iterdir())
    step = max(1, len(photos) // count)
    return [("stranger", path) for path in photos[::step][:count]]
