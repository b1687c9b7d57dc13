"""The real desktop app in a child process (tests/support/gui_driver.py), read as it runs.

Shared by the tests that close the window in every state and require exit code 0 and a
quiet stderr (tests/system/gui/test_gui_shutdown.py, and with a central database
tests/system/gui/test_gui_central.py).
"""

from __future__ import annotations

import codecs
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DRIVER = Path(__file__).resolve().with_name("gui_driver.py")
START_TIMEOUT_S = 120
CRASH_SIGNS = ("Fatal Python error", "Traceback", "QObject:", "Segmentation", "QThread:")


class App:
    """The app in a child process, its stdout read line by line as it comes."""

    def __init__(self, tmp_path: Path, source: str, own_group: bool = False, **env: str) -> None:
        """`own_group`: a process group of its own (with its encoder process), as a
        terminal starts it, so that a Ctrl-C sent to the group reaches it whole."""
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), "--source", source, "--data-dir", str(tmp_path / "data")],
            cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=own_group)
        self.lines: list[str] = []
        self._partial = ""  # the start of a line not ended yet
        self._decoder = codecs.getincrementaldecoder("utf-8")()  # "…" may come in two reads
        self._ended: tuple[int, str] | None = None

    def wait_for(self, line: str, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while line not in self.lines:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                out, err = self.process.communicate()
                # What it printed just before it ended may still be in the pipe.
                self.lines += (self._partial + out).splitlines()
                if line in self.lines:
                    self._ended = (self.process.returncode, err)
                    return
                pytest.fail(f"never printed {line!r}; printed {self.lines}; stderr:\n{err[-3000:]}")
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                self._read_lines()

    def _read_lines(self) -> None:
        """Take the lines the app printed since, read from the pipe itself: a buffered
        readline() kept a second line that came in the same read ("state: Video finished"
        with "closing") where neither select() nor communicate() sees it."""
        assert self.process.stdout is not None
        self._partial += self._decoder.decode(os.read(self.process.stdout.fileno(), 65536))
        *lines, self._partial = self._partial.split("\n")
        self.lines += lines

    def finish(self, terminate: bool = True) -> tuple[int, str]:
        """SIGTERM (or just wait for the window to close); the exit code and stderr."""
        if self._ended is not None:  # it ended while its last lines were read
            return self._ended
        if terminate:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
            pytest.fail(f"the app did not exit; stderr:\n{err[-3000:]}")
        return self.process.returncode, err


def assert_clean_exit(code: int, err: str) -> None:
    """Exit code 0 and none of CRASH_SIGNS on stderr."""
    assert code == 0, f"exit code {code}; stderr:\n{err[-3000:]}"
    assert not [sign for sign in CRASH_SIGNS if sign in err], err[-3000:]
