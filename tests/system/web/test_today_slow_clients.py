"""The door never waits for the web (issue 26, point 4, Today's side): 50 slow Today pages
hold the server-sent events of a real `attendance-app web` process while a door, in a
process of its own, logs arrivals at a busy door's pace through the app's real recording
code into the same journal, and one normal Today page reads along.

Today already has 300 arrivals, so each table the server sends is ~30 KB and each new one
soon fills what the sockets' buffers hold for a client that falls behind. Half the slow
clients never read a byte of their stream (their receive buffer made small); the other
half read it one byte at a time.
The test checks that the door committed every arrival, that the normal page received
them all (its last table names every one), and that every slow client was still
connected when the door had finished. How long the door's commits took is printed (`-s`)
and written in docs/measurements/web_load.md, never asserted.
"""

from __future__ import annotations

import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import httpx

from attendance_app.records.journal import Journal
from tests.support.door_writer import FIRST_ID
from tests.support.journals import fill_journal, fill_this_morning
from tests.support.web_api import REPO
from tests.support.web_site import add_account, log_in, web_server

SLOW_CLIENTS = 50
ARRIVALS = 40
DOOR_INTERVAL_S = 0.25
"""A busy door: an arrival every quarter of a second (a class coming in)."""
HISTORY = 20_000
EARLIER = 300
"""Today's arrivals before the test's door starts."""
NAMES = re.compile(r"<td>(Walker \d+)</td>")


class SlowPage(threading.Thread):
    """One Today page's stream held open, read a byte at a time or never; `stop` ends it."""

    def __init__(self, base: str, cookie: str, reading: bool, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        self.sock.sendall(f"GET /today/events HTTP/1.1\r\nHost: {host}\r\n"
                          f"Cookie: attendance_session={cookie}\r\n\r\n".encode())
        self.reading, self.stop, self.received = reading, stop, 0

    def run(self) -> None:
        try:
            while not self.stop.wait(0.05):
                if self.reading:
                    self.received += len(self.sock.recv(1))
        finally:
            self.sock.close()


class NormalPage(threading.Thread):
    """A Today page as a browser keeps it: reads every event, until one names all of
    `expected`. `names`: every walker any event named."""

    def __init__(self, client: httpx.Client, expected: set[str]) -> None:
        super().__init__(daemon=True)
        self.client, self.expected = client, expected
        self.names: set[str] = set()
        self.events = 0
        self.complete = False

    def run(self) -> None:
        with self.client.stream("GET", "/today/events", timeout=httpx.Timeout(10, read=60)) as feed:
            for line in feed.iter_lines():
                if line.startswith("data: "):
                    self.events += 1
                    shown = set(NAMES.findall(line))
                    self.names |= shown
                    if shown >= self.expected:
                        self.complete = True
                        return


def test_fifty_slow_today_pages_cost_the_door_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill_journal(data / "journal.sqlite3", HISTORY, people=400, first=date(2026, 9, 1))
    fill_this_morning(Journal(data / "journal.sqlite3"), EARLIER)
    add_account(data, "ada", "viewer")
    expected = {f"Walker {number}" for number in range(1, ARRIVALS + 1)}
    stop = threading.Event()
    with web_server(data, tmp_path / "server.log") as base, \
            httpx.Client(base_url=base, timeout=10) as client:
        assert log_in(client, "ada").status_code == 303
        cookie = client.cookies["attendance_session"]
        slow = [SlowPage(base, cookie, number % 2 == 0, stop) for number in range(SLOW_CLIENTS)]
        for page in slow:
            page.start()
        normal = NormalPage(client, expected)
        normal.start()
        time.sleep(1)  # every page connected and sent today's first table
        door = subprocess.run(
            [sys.executable, "-m", "tests.support.door_writer", str(data), str(ARRIVALS),
             str(DOOR_INTERVAL_S), str(tmp_path / "door.txt")],
            cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
        still_held = sum(1 for page in slow if page.is_alive())
        normal.join(timeout=60)
        stop.set()
        for page in slow:
            page.join(timeout=30)
    assert door.returncode == 0, door.stderr[-3000:]
    logged = Journal(data / "journal.sqlite3").events_after(HISTORY + EARLIER)
    assert [event.person_id for event in logged] == list(range(FIRST_ID, FIRST_ID + ARRIVALS))
    assert normal.complete, f"the normal page saw {len(normal.names)} of {ARRIVALS}"
    assert still_held == SLOW_CLIENTS, "every slow page was still connected when the door finished"
    assert all(page.received > 0 for page in slow if page.reading)
    took = [float(line.split()[1]) for line in (tmp_path / "door.txt").read_text().splitlines()]
    print(f"\n{ARRIVALS} arrivals beside {SLOW_CLIENTS} slow Today pages and a normal one "
          f"({normal.events} tables received): record() median "
          f"{statistics.median(took) * 1000:.1f} ms, max {max(took) * 1000:.1f} ms")
