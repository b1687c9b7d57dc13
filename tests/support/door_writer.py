"""A door that logs arrivals through the app's real recording code (Workspace.recorder: the
policy, the journal's synchronous commit, the workbook writer's thread), at a door's pace,
in a process of its own: what the web API's tests run beside a server its clients hold
up, to see that the door never waits for them.

`python -m tests.support.door_writer DATA COUNT INTERVAL_S OUT`: logs COUNT people (ids
from 10,001 on: nobody of a filled journal) one every INTERVAL_S seconds, and writes to
OUT one line per arrival: its journal id and how long `record` took, in seconds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig

FIRST_ID = 10_001


def main() -> None:
    data, count, interval, out = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4])
    workspace = Workspace.resolve(AppConfig(), data, None)
    recorder = workspace.recorder()
    lines = []
    try:
        for number in range(count):
            started = time.perf_counter()
            event = recorder.record(FIRST_ID + number, f"Walker {number + 1}", 0.3)
            took = time.perf_counter() - started
            assert event is not None, "a new person each time: a row is always due"
            lines.append(f"{event.event_id} {took:.6f}\n")
            time.sleep(max(0.0, interval - took))
    finally:
        recorder.close()
        out.write_text("".join(lines))


if __name__ == "__main__":
    main()
