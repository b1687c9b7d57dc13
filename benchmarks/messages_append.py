"""What messages cost the camera's thread: one append to the outbox (issue 25, point 6).

The camera's thread only appends (an arrival's webhook right after its row's commit; an
unknown visitor's when its track ends); the sender thread does the rest. Measured here:
the time of Outbox.append, median and 99th percentile over `--appends` appends, into an
outbox already holding 0, 10,000 and 100,000 messages (sent), each alone and while a
sender thread delivers every message to a local HTTP server as fast as it answers (the
two share the outbox's lock and file).

    uv run python -m benchmarks.messages_append [--appends 500] [--sizes 0 10000 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from attendance_app.messages.delivery import Webhook
from attendance_app.messages.outbox import Outbox
from attendance_app.messages.sender import MessageSender
from tests.support.message_servers import WebhookServer

PAYLOAD = {"person": "Ada Lovelace", "person_id": 17, "time": "2026-12-05T08:01:02+01:00",
           "camera": "Front door", "direction": "in", "row": "0f3c9a"}


def _filled(path: Path, size: int) -> Outbox:
    """An outbox holding `size` messages already sent."""
    outbox = Outbox(path)
    with outbox._lock:  # one transaction: filling is not what is measured
        outbox._db.execute("BEGIN")
        outbox._db.executemany(
            "INSERT INTO outbox (key, channel, kind, payload, created, sent) "
            "VALUES (?, 'webhook', 'arrival', '{}', '2026-01-01T08:00:00', "
            "'2026-01-01T08:00:01')", ((f"old-{n}",) for n in range(size)))
        outbox._db.execute("COMMIT")
    return outbox


def _appends(outbox: Outbox, count: int) -> list[float]:
    """Milliseconds of each of `count` appends, one every 2 ms (arrivals come apart)."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        outbox.append("webhook", "arrival", PAYLOAD)
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.002)
    return times


def _line(label: str, size: int, times: list[float]) -> str:
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return (f"| {size:,} | {label} | {statistics.median(times):.3f} | {p99:.3f} | "
            f"{max(times):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 10_000, 100_000])
    args = parser.parse_args()
    print("| messages in the outbox | sender | median ms | p99 ms | max ms |")
    print("| ---: | --- | ---: | ---: | ---: |")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            outbox = _filled(Path(folder) / "messages.sqlite3", size)
            print(_line("idle", size, _appends(outbox, args.appends)), flush=True)
            server = WebhookServer().start()
            sender = MessageSender(outbox, {"webhook": Webhook(server.url)})
            sender.start()
            try:
                print(_line("sending", size, _appends(outbox, args.appends)), flush=True)
            finally:
                sender.stop()
                server.stop()
            assert outbox.status().pending == 0, "the sender delivered everything"
            outbox.close()


if __name__ == "__main__":
    main()
