"""What the HTTP API answers at 100,000 events (issue 26, point 6): requests per second and
latency of /api/events and /api/report, from local clients only.

The data folder (built once, not measured; `--keep DIR` keeps it for a second run): a
school of `--people` people enrolled before the history began (synthetic encodings: only
their names matter), start time 08:30, and `--events` arrivals in the journal, one per
person per school day (200 school days at the defaults), made in bulk in the columns the
app writes (tests/support/journals.fill_journal), then opened once as a door's start does
(the table of corrections made).

The API is served by a real uvicorn (one process, as `attendance-app web` runs it) in a
child process on 127.0.0.1; the clients are threads with one keep-alive httpx connection
each, asking as fast as they are answered for `--seconds` per line:

- events, new: `/api/events?after_id=LAST`, a poll that finds nothing new (what a client
  keeping up asks most);
- events, 100: `/api/events?since=LAST DAY` (the first page of the last day, 100 events);
- events, 1000: `/api/events?after_id=50000&limit=1000` (a page in the middle, the largest);
- report: `/api/report?day=LAST DAY` (`--people` present, absent and late counted).

    uv run python -m benchmarks.web_api [--events 100000] [--people 500] [--clients 1 8]
        [--seconds 8] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import threading
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import httpx

from attendance_app.records.corrections import CorrectedJournal
from tests.support.journals import fill_journal
from tests.support.synthetic_people import synthetic_store
from tests.support.web_api import bearer, served, tokens_in

CONFIG = 'attendance:\n  start_time: "08:30"\n'


def _build(folder: Path, events: int, people: int) -> tuple[date, int]:
    """The data folder the docstring describes (when not built yet); (its last day, its
    last event id)."""
    journal = folder / "journal.sqlite3"
    if not journal.exists():
        synthetic_store(folder / "faces.sqlite3", people)
        with closing(sqlite3.connect(folder / "faces.sqlite3")) as db, db:
            db.execute("UPDATE people SET created_at = '2025-01-01T07:00:00'")
        fill_journal(journal, events, people, date(2025, 3, 3))
        CorrectedJournal(journal)
        (folder / "config.yaml").write_text(CONFIG)
    with closing(sqlite3.connect(journal)) as db:
        last_id, last_time = db.execute("SELECT MAX(id), MAX(timestamp) FROM events").fetchone()
    return date.fromisoformat(last_time[:10]), last_id


def hammer(base: str, path: str, headers: dict[str, str], clients: int, seconds: float) -> dict:
    """`clients` threads asking `path` (with `headers`: a token or a session's cookie) as
    fast as answered for `seconds`: requests per second, latency median and 95th
    percentile (ms), bytes per answer, failures."""
    times: list[float] = []
    failures: list[int] = []
    size = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        mine = []
        with httpx.Client(base_url=base, headers=headers, timeout=60) as session:
            while time.monotonic() < stop:
                started = time.perf_counter()
                answer = session.get(path)
                mine.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    failures.append(answer.status_code)
                size[0] = len(answer.content)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(times)
    return {"rps": len(times) / elapsed, "median": statistics.median(ordered) * 1000,
            "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000, "bytes": size[0],
            "failures": len(failures), "requests": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--keep", type=Path, help="build the data folder here, or reuse it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="web-api-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    built = time.perf_counter()
    last_day, last_id = _build(folder, args.events, args.people)
    print(f"data folder {folder}: {args.events:,} events, {args.people} people, last day "
          f"{last_day} (ready in {time.perf_counter() - built:.1f} s)")
    (folder / "web.sqlite3").unlink(missing_ok=True)
    viewer, _ = tokens_in(folder)
    lines = {"events, new": f"/api/events?after_id={last_id}",
             "events, 100": f"/api/events?since={last_day}",
             "events, 1000": f"/api/events?after_id={last_id // 2}&limit=1000",
             "report": f"/api/report?day={last_day}"}
    print("| request | clients | requests/s | median ms | p95 ms | answer bytes | failed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with served(folder, folder / "server.log", config=folder / "config.yaml") as base:
        for name, path in lines.items():
            for clients in args.clients:
                got = hammer(base, path, bearer(viewer), clients, args.seconds)
                print(f"| {name} | {clients} | {got['rps']:.0f} | {got['median']:.1f} | "
                      f"{got['p95']:.1f} | {got['bytes']:,} | {got['failures']} |", flush=True)


if __name__ == "__main__":
    main()
