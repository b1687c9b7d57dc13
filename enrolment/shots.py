"""Which new encodings of a person are worth storing, and in which shot each goes.

The rule is the face store's (enrolment.store): a photo already stored for the person is
not stored again (the same file hash, or nearer than the engine's same-photo distance),
and one photo's encodings by several engines form one *shot*, whose face picture is kept
once. It is decided here, on the person's stored rows held in memory, so that the local
SQLite store and the site's central PostgreSQL roster (attendance_app.central) apply the
very same rule, each in its own transaction. A person has a few dozen rows at most, so
reading them all costs the same however many people are enrolled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# The columns a StoredRow is read from, in its field order, for either database.
STORED_ROW_COLUMNS = "id, COALESCE(shot, id), engine, vector, photo_hash, source, face_image"


@dataclass(frozen=True)
class NewEncoding:
    """One face to add: its 128-d encoding, where it came from, an optional JPEG crop, the
    SHA-256 of the photo file (None for a camera shot) and the engine that made it.
    Defined here, beside the rule that plans its rows, so that the store imports this
    module and not the other way round.

    A photo or camera shot is enrolled as one NewEncoding per engine, all with the same
    source, face_image and photo_hash: that is how the store knows them for one shot.
    """

    vector: np.ndarray
    source: str
    face_image: bytes | None = None
    photo_hash: str | None = None
    engine: str = "dlib"


@dataclass(frozen=True)
class StoredRow:
    """One encoding row of a person. shot: the id of its shot's first row (the row's own
    id for that first row); face_image: the row's own picture (a shot keeps one)."""

    row_id: int
    shot: int
    engine: str
    vector: np.ndarray
    photo_hash: str | None
    source: str
    face_image: bytes | None

    @classmethod
    def read(cls, row: Sequence) -> StoredRow:
        """From a row selected as STORED_ROW_COLUMNS."""
        return cls(row[0], row[1], row[2], np.frombuffer(bytes(row[3]), dtype=np.float64),
                   row[4], row[5], None if row[6] is None else bytes(row[6]))


@dataclass(frozen=True)
class PlannedRow:
    """An encoding to insert. row_id is provisional (negative) until the database gives the
    real one; shot is None for a new shot's first row, else its first row's id (real, or
    provisional when that row is planned in the same batch)."""

    encoding: NewEncoding
    row_id: int
    shot: int | None
    keep_image: bool


def _open_shot(rows: Sequence[StoredRow], encoding: NewEncoding) -> int | None:
    """The shot that `encoding` is another engine's view of, while that shot lacks its
    engine: the same photo file (hash), or for a camera shot the same source and face
    picture. None when there is none."""
    if encoding.photo_hash:
        same = [row.shot for row in rows if row.photo_hash == encoding.photo_hash]
    else:
        same = [row.shot for row in rows if row.photo_hash is None
                and row.source == encoding.source and row.face_image == encoding.face_image]
    complete = {row.shot for row in rows if row.engine == encoding.engine}
    open_shots = [shot for shot in same if shot not in complete]
    return min(open_shots) if open_shots else None


def _is_copy(vector: np.ndarray, others: list[np.ndarray], limit: float) -> bool:
    return any(np.linalg.norm(vector - other) < limit for other in others)


def unseen(rows: Sequence[StoredRow], encodings: Sequence[NewEncoding],
           same_photo: Mapping[str, float]) -> list[NewEncoding]:
    """The encodings that are not a photo already stored for the person, nor one given
    earlier in the list, each judged among its own engine's encodings only: the same file
    hash, or nearer than same_photo[engine].

    An encoding that completes a stored shot (a photo stored for another engine only, in
    an upgraded store) is kept whatever its distance: its photo is counted already, and
    only this engine's view of it is missing.
    """
    vectors: defaultdict[str, list[np.ndarray]] = defaultdict(list)
    hashes: defaultdict[str, set[str]] = defaultdict(set)
    for row in rows:
        vectors[row.engine].append(row.vector)
        if row.photo_hash:
            hashes[row.engine].add(row.photo_hash)
    completed: set[tuple[int, str]] = set()
    kept = []
    for encoding in encodings:
        engine, vector = encoding.engine, np.asarray(encoding.vector, dtype=np.float64)
        if encoding.photo_hash in hashes[engine]:
            continue
        shot = _open_shot(rows, encoding)
        if shot is not None and (shot, engine) not in completed:
            completed.add((shot, engine))
        elif _is_copy(vector, vectors[engine], same_photo[engine]):
            continue
        kept.append(encoding)
        vectors[engine].append(vector)
        if encoding.photo_hash:
            hashes[engine].add(encoding.photo_hash)
    return kept


def plan(rows: Sequence[StoredRow], encodings: Sequence[NewEncoding],
         same_photo: Mapping[str, float]) -> list[PlannedRow]:
    """The rows to insert for `encodings` (those `unseen` keeps), in order: each in the
    shot it belongs to, or a new one, with its face picture only when its shot has none
    yet (a picture, about 7 KB, is not stored once per engine)."""
    known = list(rows)
    planned = []
    for number, encoding in enumerate(unseen(rows, encodings, same_photo), start=1):
        shot = _open_shot(known, encoding)
        keep_image = shot is None or not any(row.face_image is not None
                                             for row in known if row.shot == shot)
        row = PlannedRow(encoding, -number, shot, keep_image)
        planned.append(row)
        known.append(StoredRow(row.row_id, row.row_id if shot is None else shot,
                               encoding.engine, np.asarray(encoding.vector, dtype=np.float64),
                               encoding.photo_hash, encoding.source,
                               encoding.face_image if keep_image else None))
    return planned


INSERT_COLUMNS = "person_id, vector, face_image, source, created_at, photo_hash, engine, shot"


def store_planned(planned: Sequence[PlannedRow], person_id: int, created_at: str,
                  insert: Callable[[tuple], int]) -> None:
    """Insert the planned rows in order through `insert` (the values of INSERT_COLUMNS in
    order; it returns the new row's id), turning provisional shot ids into real ones."""
    real: dict[int, int] = {}
    for row in planned:
        encoding = row.encoding
        shot = None if row.shot is None else real.get(row.shot, row.shot)
        real[row.row_id] = insert((
            person_id, np.asarray(encoding.vector, dtype=np.float64).tobytes(),
            encoding.face_image if row.keep_image else None, encoding.source, created_at,
            encoding.photo_hash, encoding.engine, shot))
