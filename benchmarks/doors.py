"""Many doors, one central server: arrivals per second, delay to the server, none lost or doubled.

For each number of doors (default 1, 5, 10, 20 and 50) a fresh database on one real
PostgreSQL 16 server (tests/support/postgres_server.py, on this machine) gets the schema of
`attendance-app database init`, and that many door processes start together, as at a
9 am rush. Each door runs the app's own code, not a stand-in: a journal (SQLite, in a
folder of its own) joined to the central database, and a JournalPusher with one
connection sending it in the background. A door records --events synthetic arrivals
(people of its own, timed today, camera "Door k") at random moments, --rate a second on
average (0: back to back), notifying the pusher after each as the camera loop does; then
it waits until its journal has nothing unsent, and stops. Measured:

- events/s: all doors' events over the time from the start signal to the last one the
  server confirmed. With a --rate it is what was offered, doors x rate (a little less:
  the last door's random arrivals end a little late); with --rate 0 it is what this
  machine can take;
- delay: from record() returning at the door to the server having committed the row
  (the pusher's on_sent, called after the commit): how long a row is at its door only.
  A door's first row also pays for opening the connection;
- exactly once: the server holds doors x events rows, and their ids are exactly the ids
  the doors recorded (none missing, none twice). Any FAIL makes the exit code 1.

Doors and server share this machine's CPUs (50 doors on a few CPUs take turns), and talk
over loopback. Doors on a network add its round trips: a push is sent pipelined, a round
trip for the site check, then about one while it holds the lock that lets one door's push
in at a time.

    uv run python benchmarks/doors.py [--doors 1 5 10 20 50] [--events 200] [--rate 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import random
import sys
import tempfile
import time
from datetime import datetime
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from attendance_app.central.database import CentralDatabase  # noqa: E402
from attendance_app.central.pusher import JournalPusher  # noqa: E402
from attendance_app.central.schema import initialise  # noqa: E402
from attendance_app.records.journal import Journal  # noqa: E402
from attendance_app.types import AttendanceEvent  # noqa: E402
from tests.support.postgres_server import PostgresServer  # noqa: E402

MAX_DOORS = 190
"""The test server allows 200 connections (3 kept for its superuser); each door holds one
and the parent one for the check."""

START_TIMEOUT_SECONDS = 120.0
"""How long the doors and the parent wait for every door to be ready: spawning 50
interpreters on a small, busy machine takes a while."""

DRAIN_TIMEOUT_SECONDS = 120.0
"""How long a door waits, after its last arrival, for the server to confirm everything."""

DRAIN_POLL_SECONDS = 0.05
"""How often a door looks at its journal's unsent count meanwhile (the delays do not
depend on it: they are stamped by the pusher's on_sent)."""

JOIN_TIMEOUT_SECONDS = 30.0
"""How long a door that reported may take to end (closing its pusher); a door stuck
longer is killed, so that one hung door cannot hang the benchmark."""

PEOPLE_PER_DOOR = 100_000
"""Door k's synthetic people are k * this + 0, 1, 2...: nobody arrives by two doors."""


# -- one door (a process of its own) --------------------------------------------------------

def run_door(door: int, url: str, events: int, rate: float, start: Barrier,
             reports: multiprocessing.Queue) -> None:
    """Record `events` arrivals at door `door` once every door is ready, send them to `url`
    through a real pusher, and put what was measured on `reports`."""
    with tempfile.TemporaryDirectory(prefix=f"door-{door}-") as folder:
        journal = Journal(Path(folder) / "journal.sqlite3")
        journal.join_central()
        confirmed: dict[str, float] = {}
        pusher = JournalPusher(journal, CentralDatabase(url),
                               on_sent=lambda sent: stamp(confirmed, sent)).start()
        start.wait(START_TIMEOUT_SECONDS)
        recorded = record_arrivals(journal, pusher, door, events, rate)
        unsent = wait_until_sent(journal)
        pusher.close()
    reports.put({"recorded": recorded, "confirmed": confirmed, "unsent": unsent})


def stamp(confirmed: dict[str, float], sent: list[AttendanceEvent]) -> None:
    """on_sent: note when the server confirmed each event of a batch (the pusher thread)."""
    now = time.time()
    confirmed.update((event.uid, now) for event in sent if event.uid is not None)


def record_arrivals(journal: Journal, pusher: JournalPusher, door: int, events: int,
                    rate: float) -> dict[str, float]:
    """Record the arrivals, each followed by notify() as the camera loop does; uid -> when
    record() returned. People come at random moments, `rate` a second on average (0: back
    to back): doors on one clock would all push at the same instant and queue for the
    server together, which no real site does. Paced by a schedule, not by sleeps after
    each, so a slow record() does not lower the rate offered."""
    gaps = random.Random(door)
    due = time.time()
    recorded: dict[str, float] = {}
    for number in range(events):
        if rate > 0:
            due += gaps.expovariate(rate)
            time.sleep(max(0.0, due - time.time()))
        person = door * PEOPLE_PER_DOOR + number
        event = journal.record(AttendanceEvent(datetime.now(), person, f"Person {person}",
                                               f"Door {door}", 0.4, "in"))
        recorded[str(event.uid)] = time.time()
        pusher.notify()
    return recorded


def wait_until_sent(journal: Journal) -> int:
    """Wait until the server has confirmed every row of `journal`, or the drain timeout;
    the rows still unsent (0 when all went through)."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_SECONDS
    while (unsent := journal.unsent_count()) and time.monotonic() < deadline:
        time.sleep(DRAIN_POLL_SECONDS)
    return unsent


# -- one run (the parent) -------------------------------------------------------------------

def measure(server: PostgresServer, run: int, doors: int, events: int,
            rate: float) -> dict[str, Any]:
    """One run of `doors` doors against a fresh database; the row of the table."""
    url = server.create_database(f"doors_run_{run}")
    initialise(CentralDatabase(url))
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(doors + 1)
    reports: multiprocessing.Queue = context.Queue()
    processes = [context.Process(target=run_door, args=(door, url, events, rate, start, reports),
                                 name=f"door-{door}") for door in range(1, doors + 1)]
    for process in processes:
        process.start()
    start.wait(START_TIMEOUT_SECONDS)
    began = time.time()
    collected = collect(reports, doors, events, rate)
    for process in processes:
        process.join(JOIN_TIMEOUT_SECONDS)
        if process.is_alive():
            process.kill()
    return summarise(url, collected, doors, events, began)


def collect(reports: multiprocessing.Queue, doors: int, events: int,
            rate: float) -> list[dict[str, Any]]:
    """Every door's report, or those that came before the doors should all have finished
    (a door that died is then missing, and the check fails)."""
    recording = events / rate if rate > 0 else 0.0
    deadline = time.monotonic() + recording + DRAIN_TIMEOUT_SECONDS + 60
    collected = []
    while len(collected) < doors:
        try:
            collected.append(reports.get(timeout=max(0.1, deadline - time.monotonic())))
        except queue.Empty:
            break
    return collected


def summarise(url: str, collected: list[dict[str, Any]], doors: int, events: int,
              began: float) -> dict[str, Any]:
    """Throughput, delays and the exactly-once check of one run."""
    recorded = {uid: at for report in collected for uid, at in report["recorded"].items()}
    confirmed = {uid: at for report in collected for uid, at in report["confirmed"].items()}
    delays = [confirmed[uid] - at for uid, at in recorded.items() if uid in confirmed]
    last = max(confirmed.values(), default=began)
    problems = check_server(url, collected, doors, events)
    if len(delays) < len(recorded):
        problems.append(f"{len(recorded) - len(delays)} recorded events never confirmed")
    milliseconds = np.array(delays or [float("nan")]) * 1000
    return {"doors": doors, "events": doors * events,
            "per_second": len(confirmed) / (last - began) if last > began else 0.0,
            "p50": np.percentile(milliseconds, 50), "p95": np.percentile(milliseconds, 95),
            "max": milliseconds.max(),
            "check": "FAIL: " + "; ".join(problems) if problems else "PASS"}


def check_server(url: str, collected: list[dict[str, Any]], doors: int,
                 events: int) -> list[str]:
    """What is wrong with the server's rows: each event the doors recorded there exactly
    once, and nothing else; empty when all is well."""
    expected = doors * events
    with psycopg.connect(url) as db:
        total, distinct = db.execute("SELECT count(*), count(DISTINCT uid) FROM events").fetchone()
        on_server = {row[0] for row in db.execute("SELECT uid FROM events")}
    reported = [uid for report in collected for uid in report["recorded"]]
    problems = []
    if len(collected) < doors:
        problems.append(f"{doors - len(collected)} doors did not report")
    if total != expected or distinct != expected:
        problems.append(f"server holds {total} rows ({distinct} distinct), expected {expected}")
    if len(set(reported)) != len(reported) or len(reported) != expected:
        problems.append(f"doors reported {len(reported)} ids ({len(set(reported))} distinct)")
    if on_server != set(reported):
        problems.append(f"{len(set(reported) - on_server)} missing on the server, "
                        f"{len(on_server - set(reported))} unknown there")
    unsent = sum(report["unsent"] for report in collected)
    if unsent:
        problems.append(f"{unsent} rows still unsent after {DRAIN_TIMEOUT_SECONDS:.0f} s")
    return problems


# -- the table ------------------------------------------------------------------------------

def door_counts(text: str) -> int:
    """argparse type: a number of doors the server has connections for."""
    doors = int(text)
    if not 1 <= doors <= MAX_DOORS:
        raise argparse.ArgumentTypeError(f"doors must be 1 to {MAX_DOORS} (the server's "
                                         "connections)")
    return doors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doors", type=door_counts, nargs="+", default=[1, 5, 10, 20, 50])
    parser.add_argument("--events", type=int, default=200, help="arrivals per door")
    parser.add_argument("--rate", type=float, default=5.0,
                        help="arrivals a second per door; 0: as fast as possible")
    args = parser.parse_args()
    pace = f"{args.rate:g} a second" if args.rate > 0 else "as fast as possible"
    print(f"machine: {os.cpu_count()} CPUs; {args.events} arrivals per door, {pace}")
    print("| doors | events | events/s | delay p50 | delay p95 | delay max | exactly once |")
    print("|---|---|---|---|---|---|---|", flush=True)
    failed = False
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="doors-benchmark-") as folder, \
            PostgresServer(Path(folder)) as server:
        for run, doors in enumerate(args.doors, start=1):
            r = measure(server, run, doors, args.events, args.rate)
            failed |= r["check"] != "PASS"
            print(f"| {r['doors']} | {r['events']:,} | {r['per_second']:,.0f} | "
                  f"{r['p50']:.0f} ms | {r['p95']:.0f} ms | {r['max']:.0f} ms | {r['check']} |",
                  flush=True)
    print(f"finished in {time.monotonic() - began:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
