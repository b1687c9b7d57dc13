"""Where the pipeline's confirmed people go: what it needs of a recorder, as a protocol.

The recorder itself (attendance_app.records.recorder) sits above recognition: it keeps
the journal, the policy and the workbook. The pipeline and the liveness gate only ask it
these three things, so recognition names this protocol and never imports records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import numpy as np

from attendance_app.recognition.refusal import Refusal
from attendance_app.types import AgeGender, AttendanceEvent, Expression


class AttendanceSink(Protocol):
    """records.recorder.AttendanceRecorder as the frame's path sees it."""

    def record(self, person_id: int, name: str, distance: float,
               when: datetime | None = None,
               faces: Sequence[np.ndarray] = (),
               expression: Expression | None = None,
               age_gender: AgeGender | None = None) -> AttendanceEvent | None:
        """Log the person if a row is due; the event written, or None."""

    def row_due(self, person_id: int, when: datetime) -> bool:
        """Whether a row would be written for the person at `when` (nothing written)."""

    def refuse(self, person_id: int, name: str, distance: float, when: datetime,
               reason: str) -> Refusal:
        """Note that the person was recognised but not shown alive."""
