"""The outbox and its sender against a real HTTP server in the test: messages leave oldest
first, a server that is down and comes back gets every message once, a repeat keeps its
key, a restart sends what was waiting, and the daily summary is queued once a day."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

import pytest

from attendance_app.messages.delivery import Webhook
from attendance_app.messages.outbox import Outbox
from attendance_app.messages.sender import DailySummary, MessageSender, back_off
from tests.support.message_servers import WebhookServer

FIRST_WAIT, LONGEST_WAIT = 0.2, 0.8
"""Back-off of the tests: the real one (10 s to 30 min) with the same doubling, shorter."""


def _until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.fixture
def server() -> Iterator[WebhookServer]:
    running = WebhookServer().start()
    yield running
    running.stop()


def _sender(outbox: Outbox, url: str) -> MessageSender:
    return MessageSender(outbox, {"webhook": Webhook(url)}, first_wait=FIRST_WAIT,
                         longest_wait=LONGEST_WAIT)


def test_back_off_doubles_from_ten_seconds_to_half_an_hour() -> None:
    waits = [back_off(n, 10, 1800) for n in range(1, 11)]
    assert waits == [10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800]


def test_messages_arrive_oldest_first_each_with_its_key_in_the_header(
        tmp_path: Path, server: WebhookServer) -> None:
    outbox = Outbox(tmp_path / "messages.sqlite3")
    for n in range(5):
        outbox.append("webhook", "arrival", {"person": f"p{n}"})
    sender = _sender(outbox, server.url)
    sender.start()
    _until(lambda: len(server.received) == 5)
    sender.stop()
    assert [b["person"] for b in server.bodies()] == [f"p{n}" for n in range(5)]
    assert [r.key for r in server.received] == [r.body["key"] for r in server.received]
    assert len(set(server.keys())) == 5
    assert outbox.status().pending == 0


def test_a_server_down_then_back_gets_every_message_once(tmp_path: Path) -> None:
    down = WebhookServer()  # its port chosen, nobody listening yet
    outbox = Outbox(tmp_path / "messages.sqlite3")
    sender = _sender(outbox, down.url)
    sender.start()
    for n in range(3):
        outbox.append("webhook", "arrival", {"person": f"p{n}"})
    _until(lambda: outbox.status().last_error is not None)
    assert "connection refused" in (outbox.status().last_error or "")
    assert outbox.status().pending == 3
    down.start()  # back
    try:
        for n in range(3, 6):
            outbox.append("webhook", "arrival", {"person": f"p{n}"})
        _until(lambda: len(down.keys()) >= 6)
        time.sleep(1.0)  # anything sent twice would have come by now
        sender.stop()
        assert [b["person"] for b in down.bodies()] == [f"p{n}" for n in range(6)]
        assert len(set(down.keys())) == 6
    finally:
        down.stop()


def test_a_message_the_server_refused_is_sent_again_with_the_same_key(
        tmp_path: Path, server: WebhookServer) -> None:
    server.fail_next = 2  # read, then answered 503: as a crash between sending and marking
    outbox = Outbox(tmp_path / "messages.sqlite3")
    outbox.append("webhook", "arrival", {"person": "ada"})
    sender = _sender(outbox, server.url)
    sender.start()
    _until(lambda: len(server.received) == 1)
    sender.stop()
    assert server.fail_next == 0
    status = outbox.status()
    assert status.pending == 0 and status.sent == 1
    assert "answered 503" in (status.last_error or "")


def test_a_restart_sends_what_was_waiting(tmp_path: Path, server: WebhookServer) -> None:
    path = tmp_path / "messages.sqlite3"
    first = Outbox(path)
    first.append("webhook", "arrival", {"person": "ada"})
    first.append("webhook", "unknown_visitor", {"camera": "door"})
    first.close()  # the app ended before sending
    again = Outbox(path)
    assert again.status().pending == 2
    sender = _sender(again, server.url)
    sender.start()
    _until(lambda: len(server.received) == 2)
    sender.stop()
    assert [b["kind"] for b in server.bodies()] == ["arrival", "unknown_visitor"]


def test_the_daily_summary_is_queued_once_a_day_also_after_a_late_start(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "messages.sqlite3")
    built: list[date] = []

    def build(day: date) -> dict[str, object]:
        built.append(day)
        return {"day": day.isoformat()}

    summary = DailySummary(clock_time(17, 0), ("webhook", "email"), build)
    summary.queue_if_due(outbox, datetime(2026, 12, 5, 16, 59))
    assert outbox.status().pending == 0, "not before its time"
    summary.queue_if_due(outbox, datetime(2026, 12, 5, 19, 30))  # started after 17:00
    summary.queue_if_due(outbox, datetime(2026, 12, 5, 19, 31))
    restarted = DailySummary(clock_time(17, 0), ("webhook", "email"), build)
    restarted.queue_if_due(Outbox(tmp_path / "messages.sqlite3"), datetime(2026, 12, 5, 20, 0))
    assert outbox.status().pending == 2, "one per channel, never twice"
    summary.queue_if_due(outbox, datetime(2026, 12, 6, 17, 0))
    assert outbox.status().pending == 4
    assert built == [date(2026, 12, 5), date(2026, 12, 6)]


def test_a_message_queued_just_before_the_stop_is_sent_by_the_last_pass(
        tmp_path: Path, server: WebhookServer) -> None:
    outbox = Outbox(tmp_path / "messages.sqlite3")
    sender = _sender(outbox, server.url)
    sender.start()
    outbox.append("webhook", "arrival", {"person": "ada"})
    sender.stop()
    assert [b["person"] for b in server.bodies()] == ["ada"]


def test_stopping_leaves_unsent_messages_in_the_outbox(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "messages.sqlite3")
    sender = _sender(outbox, WebhookServer().url)  # nobody listening
    sender.start()
    outbox.append("webhook", "arrival", {"person": "ada"})
    _until(lambda: outbox.status().last_error is not None)
    sender.stop()
    assert Outbox(tmp_path / "messages.sqlite3").status().pending == 1


def test_sent_messages_are_forgotten_after_31_days_and_waiting_ones_never(
        tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "messages.sqlite3")
    for person in ("old", "recent"):
        outbox.append("webhook", "arrival", {"person": person})
        message = outbox.oldest("webhook")
        assert message is not None
        outbox.mark_sent(message)
    outbox.append("webhook", "arrival", {"person": "waiting"})
    with outbox._lock:  # "old" was sent 40 days ago
        outbox._db.execute("UPDATE outbox SET sent = '2020-01-01T08:00:00' WHERE id = 1")
    assert outbox.forget_sent(datetime(2020, 2, 1)) == 1
    status = outbox.status()
    assert (status.sent, status.pending) == (1, 1)


def test_the_outbox_is_owner_only_and_a_damaged_one_is_moved_aside_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "messages.sqlite3"
    Outbox(path).close()
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_bytes(b"not a database at all" * 100)
    fresh = Outbox(path)
    assert fresh.status().pending == 0
    (aside,) = tmp_path.glob("messages.damaged-*.sqlite3")
    assert aside.read_bytes().startswith(b"not a database")
    assert "the messages that waited in it are not sent" in caplog.text
