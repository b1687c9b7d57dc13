"""The unknown visitors as the command line and the window show them: the store opened
with old faces deleted first, and its sightings grouped with the engine in use.

Both `attendance-app unknowns` and the "Unknown visitors" dialog come here, so they list
the same groups under the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from attendance_app.faces import PROFILES
from attendance_app.unknowns.groups import UnknownGroup, unknown_groups
from attendance_app.unknowns.store import UNKNOWNS_FILE, UnknownStore

if TYPE_CHECKING:  # for annotations; the engines load OpenCV, needed only for faces saved
    # under another engine
    from attendance_app.config.settings import AppConfig
    from attendance_app.faces.protocol import Engine


class DataFolder(Protocol):
    """The data folder and settings the unknown visitors are kept under. The app's Workspace
    (attendance_app.app.workspace) is one; named here so that unknowns/ does not import the
    app above it (the layers in pyproject.toml)."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def config(self) -> AppConfig: ...


def kept_store(workspace: DataFolder) -> UnknownStore | None:
    """The unknown visitors' store with the faces past unknowns.keep_days deleted; None
    when none were ever kept (no file is created then) or the setting is 0. With 0 the
    file is left alone: a command given other settings than the running camera's (no
    --config) must not erase what the camera keeps; the camera's own start does
    (collector.unknown_faces)."""
    path = workspace.data_dir / UNKNOWNS_FILE
    if workspace.config.unknowns.keep_days == 0 or not path.exists():
        return None
    store = UnknownStore(path)
    store.expire(workspace.config.unknowns.keep_days)
    return store


def _picture_encoder(engine: Engine) -> Callable[[bytes], np.ndarray]:
    """The engine's encoding of the face in a stored face picture, (1, 128), as an
    enrolled face gets one (photos.encode_face_image: the largest face the engine finds,
    else the face where the picture was cut around it, since another engine's detector
    may miss a face SFace's found: dlib's HOG misses 8 of the 9 faces kept from the
    shared walkers video); (0, 128) only for a picture that cannot be decoded."""
    from attendance_app.recognition.photos import encode_face_image

    def encode(jpeg: bytes) -> np.ndarray:
        vector = encode_face_image(engine, jpeg)
        return np.zeros((0, 128)) if vector is None else vector[None, :]

    return encode


def current_groups(workspace: DataFolder, unknowns: UnknownStore,
                   engine: Callable[[], Engine]) -> list[UnknownGroup]:
    """The kept sightings grouped by the engine in use, with its tolerance as the cut.
    `engine` is called (loading the models) only when sightings saved under another
    engine need this one's encodings first."""
    recognition = workspace.config.recognition
    name = recognition.engine
    missing = unknowns.pictures_without(name)
    if missing:  # saved under another engine: encoded from their pictures, once
        encode = _picture_encoder(engine())
        for sighting_id, picture in missing:
            unknowns.add_vectors(sighting_id, name, encode(picture))
    return unknown_groups(unknowns, name, PROFILES[name].metric, recognition.engine_tolerance)
