"""Encodings with room to grow, so that a running door's gallery takes in a new person
without copying every encoding.

A gallery is immutable: a new person makes a new gallery. Copying every vector into it
cost about 30 ms at 20,000 people (60,000 SFace vectors, 61 MB) on the shared 2-core
machine, most of a roster change's pause (issue 22: at most 50 ms). Here the vectors live
at the start of a larger array; a gallery's vectors are a view of its first rows. A
gallery grown from the newest one writes the new rows after them and views a longer
prefix: the rows an older gallery views are never written again, so it is unchanged.
Grown from an older gallery, or with no room left, the rows are copied, with room again.
A gallery built from a whole roster has its room from the start: on this machine a fresh
61 MB array cost from 5 to 300 ms (its memory is touched for the first time), which the
first change would otherwise pay.
"""

from __future__ import annotations

import numpy as np

class RowBuffer:
    """(capacity, width) float64 rows of which the first `used` are taken."""

    SPARE = 0.25
    """Room left after the rows, as a share of them (at least MIN_SPARE rows): copying
    happens once per this much growth."""

    MIN_SPARE = 256

    def __init__(self, rows: np.ndarray) -> None:
        spare = max(self.MIN_SPARE, int(len(rows) * self.SPARE))
        self._data = np.empty((len(rows) + spare, rows.shape[1]), dtype=np.float64)
        self._data[:len(rows)] = rows
        self.used = len(rows)

    def view(self) -> np.ndarray:
        """The rows taken so far (a view: no copy)."""
        return self._data[:self.used]

    def appended(self, rows: np.ndarray, more: np.ndarray) -> tuple[RowBuffer, np.ndarray]:
        """The buffer and view holding `rows` (a view of this buffer's first rows) followed
        by `more`: written in place when `rows` ends where this buffer's taken rows end and
        there is room, else a new buffer."""
        if (rows.base is self._data and len(rows) == self.used
                and len(rows) + len(more) <= len(self._data)):
            self._data[self.used:self.used + len(more)] = more
            self.used += len(more)
            return self, self.view()
        grown = RowBuffer(np.concatenate([rows, more]))
        return grown, grown.view()
