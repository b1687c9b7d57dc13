"""A real workspace that counts the whole galleries it builds: for the tests that a door
brings its gallery up to date instead of building it again."""

from __future__ import annotations

from attendance_app.app.workspace import Workspace
from attendance_app.faces.protocol import Engine
from enrolment import FaceStore, Gallery


class CountingWorkspace(Workspace):
    """A real workspace that counts the whole galleries it builds (class-wide: reset
    `built` before use)."""

    built = 0

    def gallery(self, store: FaceStore | None = None, engine: Engine | None = None) -> Gallery:
        type(self).built += 1
        return super().gallery(store, engine)
