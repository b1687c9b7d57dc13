"""The web application under load at 100,000 events (issue 26, point 6), local clients
only: requests per second of the Today page and of the API served together by one real
`attendance-app web` process, and the latency of an arrival from its journal commit to a
connected Today page's server-sent event.

The data folder (built once, not measured; `--keep DIR` keeps it for a second run): a
school of `--people` people (synthetic encodings: only their names matter), `--events`
arrivals in the journal: the history, one per person per school day, made in bulk
(tests/support/journals.fill_journal), ending weeks ago, and `--today` of them this
morning, committed one by one as a door does; a viewer account (by `web user add`) and a
viewer's API token.

Requests per second: threads with one keep-alive httpx connection each, asking as fast as
they are answered for `--seconds` per line, 1 and 8 clients:

- today: `GET /today`, the page a browser opens (logged in; today's `--today` rows);
- events, new: `/api/events?after_id=LAST`, the poll of a system keeping up;
- report: `/api/report?day=TODAY` (`--people` present, absent and late counted).

Latency: one Today page reads its event stream while this process commits `--arrivals`
arrivals to the journal, one every `--gap` seconds (as a door's recorder does: one
synchronous commit each); for each, the time from the commit's return to the first event
whose table names the newcomer (both clocks in this process). The feed looks at the log
every 0.5 s (attendance_app.web.today_feed.POLL), so about 0.25 s to 1 s is expected.
With `--hung N`, N more Today pages are connected meanwhile that never read a byte.

    uv run python -m benchmarks.web_load [--events 100000] [--people 500] [--today 300]
        [--seconds 8] [--arrivals 50] [--gap 1.3] [--hung 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import socket
import sqlite3
import statistics
import tempfile
import threading
import time
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

from attendance_app.records.corrections import CorrectedJournal
from attendance_app.records.journal import Journal
from attendance_app.types import AttendanceEvent
from benchmarks.web_api import hammer
from tests.support.journals import fill_journal, fill_this_morning
from tests.support.synthetic_people import synthetic_store
from tests.support.web_api import bearer, tokens_in
from tests.support.web_site import add_account, log_in, web_server

LATE_ID = 900_000
"""The person ids of the arrivals timed: nobody of the school."""


def _build(folder: Path, events: int, people: int, today: int) -> int:
    """The data folder the docstring describes (when not built yet); its last event id."""
    journal = folder / "journal.sqlite3"
    if not journal.exists():
        synthetic_store(folder / "faces.sqlite3", people)
        days = -(-(events - today) // people)
        first = date.today() - timedelta(days=days * 7 // 5 + 30)
        fill_journal(journal, events - today, people, first)
        fill_this_morning(Journal(journal), today, first_id=1, who="Person")
        CorrectedJournal(journal)
    with closing(sqlite3.connect(journal)) as db:
        return int(db.execute("SELECT MAX(id) FROM events").fetchone()[0])


def _hung_pages(base: str, cookie: str, count: int) -> list[socket.socket]:
    """`count` Today pages whose browsers never read what they are sent."""
    host, port = base.removeprefix("http://").split(":")
    pages = []
    for _ in range(count):
        page = socket.create_connection((host, int(port)))
        page.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        page.sendall(f"GET /today/events HTTP/1.1\r\nHost: {host}\r\n"
                     f"Cookie: attendance_session={cookie}\r\n\r\n".encode())
        pages.append(page)
    return pages


def _latencies(base: str, cookie: str, journal: Path, arrivals: int, gap: float) -> list[float]:
    """Seconds from each arrival's commit to the Today event naming it (names unique to
    this run, so a kept folder's earlier arrivals never count)."""
    run = time.strftime("%H%M%S")
    names = [f"Timed {run}-{number}" for number in range(arrivals)]
    seen: dict[str, float] = {}
    ready = threading.Event()

    def page() -> None:
        with httpx.Client(base_url=base, cookies={"attendance_session": cookie}) as client, \
                client.stream("GET", "/today/events", timeout=httpx.Timeout(10, read=60)) as feed:
            for line in feed.iter_lines():
                if not line.startswith("data: "):
                    continue
                at = time.perf_counter()
                ready.set()
                for name in names:
                    if f"<td>{name}</td>" in line:
                        seen.setdefault(name, at)
                if len(seen) == arrivals:
                    return

    reader = threading.Thread(target=page, daemon=True)
    reader.start()
    ready.wait(30)
    log = CorrectedJournal(journal)
    committed = []
    for number in range(arrivals):
        time.sleep(gap)
        log.record(AttendanceEvent(datetime.now().replace(microsecond=0), LATE_ID + number,
                                   names[number], "front door", 0.3, "in"))
        committed.append(time.perf_counter())
    reader.join(timeout=30)
    return [seen[name] - at for name, at in zip(names, committed) if name in seen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--today", type=int, default=300)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--arrivals", type=int, default=50)
    parser.add_argument("--gap", type=float, default=1.3)
    parser.add_argument("--hung", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="build the data folder here, or reuse it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="web-load-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    built = time.perf_counter()
    last_id = _build(folder, args.events, args.people, args.today)
    print(f"data folder {folder}: {last_id:,} events, {args.people} people, {args.today} "
          f"today (ready in {time.perf_counter() - built:.1f} s)")
    (folder / "web.sqlite3").unlink(missing_ok=True)  # a kept folder: accounts made anew
    add_account(folder, "vera", "viewer")
    viewer, _ = tokens_in(folder)
    with web_server(folder, folder / "server.log") as base, \
            httpx.Client(base_url=base, timeout=10) as client:
        assert log_in(client, "vera").status_code == 303, "the viewer's login failed"
        cookie = client.cookies["attendance_session"]
        lines = {"today": ("/today", {"Cookie": f"attendance_session={cookie}"}),
                 "events, new": (f"/api/events?after_id={last_id}", bearer(viewer)),
                 "report": (f"/api/report?day={date.today()}", bearer(viewer))}
        print("| request | clients | requests/s | median ms | p95 ms | answer bytes | failed |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, (path, headers) in lines.items():
            for clients in args.clients:
                got = hammer(base, path, headers, clients, args.seconds)
                print(f"| {name} | {clients} | {got['rps']:.0f} | {got['median']:.1f} | "
                      f"{got['p95']:.1f} | {got['bytes']:,} | {got['failures']} |", flush=True)
        hung = _hung_pages(base, cookie, args.hung)
        took = _latencies(base, cookie, folder / "journal.sqlite3", args.arrivals, args.gap)
        for page in hung:
            page.close()
    missed = args.arrivals - len(took)
    if took:
        print(f"journal commit to Today's event, {len(took)} arrivals ({args.hung} hung "
              f"pages): median "
              f"{statistics.median(took) * 1000:.0f} ms, worst {max(took) * 1000:.0f} ms, "
              f"best {min(took) * 1000:.0f} ms; {missed} never shown")
    else:
        print(f"none of the {args.arrivals} arrivals reached the Today page")


if __name__ == "__main__":
    main()
