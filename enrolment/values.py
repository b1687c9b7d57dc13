"""What the face store hands out: a person, a stored shot, one engine's encodings as
arrays, and the one error every store request raises. Plain values, so that callers can
type with them without opening a store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np


class StoreError(Exception):
    """A request the store cannot satisfy; the message says what to do."""


@dataclass(frozen=True)
class Person:
    """An enrolled person and how many photos and camera shots they are enrolled from.

    encoding_count counts shots, not rows: one photo encoded by dlib and by sface counts
    once, so the People dialog and the `people` command show the photos a person gave,
    whatever the number of engines (and a store upgraded to a second engine shows the
    same numbers as before).
    """

    person_id: int
    name: str
    created_at: datetime
    encoding_count: int


@dataclass(frozen=True)
class StoredShot:
    """A stored photo or camera shot that has no encoding of some engine yet: whose it is
    and what to compute that encoding from (no face_image: nothing, the person needs a
    new photo). Give the computed encoding these same source, face_image and photo_hash,
    so that add_encodings puts it with this shot."""

    person_id: int
    source: str
    face_image: bytes | None
    photo_hash: str | None


@dataclass(frozen=True)
class EncodingTable:
    """One engine's stored encodings as arrays, the form the gallery searches.

    vectors: (N, 128) float64; person_ids: (N,) int; names: person id -> name.
    """

    vectors: np.ndarray
    person_ids: np.ndarray
    names: dict[int, str]
