"""The door never waits for the web (issue 26, point 4, the API's side): 50 slow clients
hold a real uvicorn server of the API (a child process) while a door, in a process of its
own, logs arrivals through the app's real recording code into the same journal, and fast
clients poll /api/events all along.

Half the slow clients ask for a large page of events (1,000 rows, ~280 KB) and read it one
byte at a time; the other half send their request one byte at a time and never finish it.
The test checks that the door logged every arrival (each row in the journal, each also
served by the API), that the slow clients were still connected when it had finished, and
that the server's log never shows a token. How long the door's commits took is printed
(`-s`) and written in docs/measurements/web_api.md, never asserted: a loaded machine
stretches every time.
"""

from __future__ import annotations

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
from tests.support.journals import fill_journal
from tests.support.web_api import REPO, served, tokens_in

SLOW_CLIENTS = 50
ARRIVALS = 40
DOOR_INTERVAL_S = 0.25
"""A busy door: an arrival every quarter of a second (a class coming in)."""


class SlowClient(threading.Thread):
    """One connection held open: reading a large answer a byte at a time, or sending its
    request a byte at a time; `stop` ends it. `received`: the bytes read so far."""

    def __init__(self, base: str, token: str, reading: bool, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        host, port = base.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        self.reading, self.stop, self.received = reading, stop, 0
        self.request = (f"GET /api/events?limit=1000 HTTP/1.1\r\nHost: {host}\r\n"
                        f"Authorization: Bearer {token}\r\n\r\n").encode()
        self.open_at_end = False

    def run(self) -> None:
        try:
            if self.reading:
                self.sock.sendall(self.request)
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
                while not self.stop.wait(0.05):
                    self.received += len(self.sock.recv(1))
            else:
                for byte in self.request[:-2]:  # never the blank line that ends it
                    if self.stop.wait(0.2):
                        break
                    self.sock.send(bytes([byte]))
            self.open_at_end = self.sock.fileno() != -1
        finally:
            self.sock.close()


def _poll(base: str, token: str, stop: threading.Event, seen: list[dict], errors: list[str]) -> None:
    """A fast client: /api/events after its cursor, again and again, keeping what it saw."""
    after = 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while not stop.is_set():
            answer = client.get("/api/events", params={"after_id": after, "limit": 1000})
            if answer.status_code != 200:
                errors.append(answer.text)
                return
            page = answer.json()
            seen.extend(page["events"])
            after = page["next"]["after_id"]
            if not page["more"]:
                time.sleep(0.05)


def test_fifty_slow_clients_cost_the_door_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    fill_journal(data / "journal.sqlite3", 20_000, people=400, first=date(2026, 9, 1))
    viewer, admin = tokens_in(data)
    stop, poll_stop = threading.Event(), threading.Event()
    seen: list[dict] = []
    errors: list[str] = []
    with served(data, tmp_path / "server.log") as base:
        slow = [SlowClient(base, viewer, number % 2 == 0, stop) for number in range(SLOW_CLIENTS)]
        for client in slow:
            client.start()
        pollers = [threading.Thread(target=_poll, args=(base, token, poll_stop, seen, errors),
                                    daemon=True) for token in (viewer, admin)]
        for poller in pollers:
            poller.start()
        time.sleep(1)  # every slow client connected and waiting
        door = subprocess.run(
            [sys.executable, "-m", "tests.support.door_writer", str(data), str(ARRIVALS),
             str(DOOR_INTERVAL_S), str(tmp_path / "door.txt")],
            cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
        still_held = sum(1 for client in slow if client.is_alive())
        time.sleep(1)
        poll_stop.set()
        for poller in pollers:
            poller.join(timeout=60)
        stop.set()
        for client in slow:
            client.join(timeout=30)
    assert door.returncode == 0, door.stderr[-3000:]
    assert still_held == SLOW_CLIENTS, "every slow client was still connected when the door finished"
    reading = [client.received for client in slow if client.reading]
    assert all(0 < got < 100_000 for got in reading), reading  # mid-answer, not done
    logged = Journal(data / "journal.sqlite3").events_after(20_000)
    assert [event.person_id for event in logged] == list(range(FIRST_ID, FIRST_ID + ARRIVALS))
    assert not errors, errors[:1]
    assert {e["id"] for e in seen} >= {event.event_id for event in logged}, "the API served them"
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "GET /api/events" in log and viewer not in log and admin not in log
    took = [float(line.split()[1]) for line in (tmp_path / "door.txt").read_text().splitlines()]
    print(f"\n{ARRIVALS} arrivals beside {SLOW_CLIENTS} slow clients and 2 pollers "
          f"({len(seen)} events served to the pollers): record() median "
          f"{statistics.median(took) * 1000:.1f} ms, max {max(took) * 1000:.1f} ms")
