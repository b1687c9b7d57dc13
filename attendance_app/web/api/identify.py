"""POST /api/identify: the faces in an uploaded photo, each with its box and its verdict, as
`attendance-app identify` prints them (enrolment.Match.verdict), and nothing logged.

The face engine is loaded once per server, on the first photo (a second or two), not per
request; the gallery is built again only when the face store (or with a central database
the copy of the roster) has changed on disk since, so a person enrolled at the door is
known to the next photo. One photo is looked at at a time: the engines' OpenCV and dlib
objects are not safe to share between threads, and a server on a door's computer must
not take its second core from the door for long.

The upload is read into memory up to MAX_UPLOAD_BYTES (errors.JsonErrorRoute refuses more
with 413, before or while it is read) and decoded as every photo of the app is
(camera.images: EXIF rotation, HEIC, 16-bit, transparency); a file that is no image is
refused with 422, saying so.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.camera.images import ImageError, load_rgb
from attendance_app.web.api.errors import ApiError

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.faces.protocol import Engine
    from attendance_app.recognition.photos import PhotoFace
    from enrolment import Gallery

MAX_UPLOAD_BYTES = 10_000_000
"""A phone's photo is 2 to 6 MB; a face needs far fewer pixels than that (photos are
shrunk to camera.images.MAX_SIDE_PX on load anyway)."""


def _store_signature(workspace: Workspace) -> tuple[int, int] | None:
    """(modification time, size) of the file the gallery is read from: it changes with every
    enrolment, rename or forget, and with every pull of a central roster's changes."""
    path = workspace.roster_copy_path if workspace.database_url else workspace.faces_path
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_mtime_ns, status.st_size


class Identifier:
    """The face engine and gallery of one server, and the lock that lets one photo at a time
    use them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._gallery: Gallery | None = None
        self._signature: tuple[int, int] | None = None

    def _ready(self) -> tuple[Engine, Gallery]:
        """The engine (loaded the first time) and the gallery as the store is now."""
        if self._engine is None:
            self._engine = self.workspace.engine()
        signature = _store_signature(self.workspace)
        if self._gallery is None or signature != self._signature:
            self._gallery = self.workspace.gallery(engine=self._engine)
            self._signature = _store_signature(self.workspace)
        return self._engine, self._gallery

    def identify(self, data: bytes, filename: str) -> dict:
        """The faces in the photo `data` (uploaded as `filename`) as JSON; ApiError 422 for
        a file that is no photo."""
        from attendance_app.recognition.photos import identify_photo

        suffix = Path(filename).suffix.lower() if filename else ""
        suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,7}", suffix) else ""  # HEIC is known by it
        with tempfile.TemporaryDirectory(prefix="attendance-identify-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                rgb = load_rgb(path)
            except ImageError as error:
                why = str(error).split(": ", 1)[-1]
                raise ApiError(422, f"{filename or 'the upload'}: {why}") from None
        with self._lock:
            engine, gallery = self._ready()
            faces = identify_photo(engine, gallery, rgb)
        return {"photo": filename, "width": int(rgb.shape[1]), "height": int(rgb.shape[0]),
                "faces": [_face_json(face) for face in faces]}


def _face_json(face: PhotoFace) -> dict:
    """One face: its box in pixels of the photo as read (upright), and the verdict."""
    match = face.match
    assert match is not None
    box = face.box
    return {
        "box": {"x": round(box.x1), "y": round(box.y1), "width": round(box.width),
                "height": round(box.height)},
        "name": match.name if match.accepted else None,
        "person_id": match.person_id if match.accepted else None,
        "distance": None if match.person_id is None else round(float(match.distance), 4),
        "nearest": match.name,
        "verdict": match.verdict(),
        "line": f"{box.describe()}  {match.verdict()}",
    }
