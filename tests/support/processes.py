"""What became of a process's children, read from /proc: for the tests that stop the app
with a signal and check that no worker process was left behind."""

from __future__ import annotations

from pathlib import Path


def child_pids(pid: int) -> set[int]:
    """The process ids of `pid`'s children (of all its threads)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def is_alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie, waiting to be reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False
