"""The messages of a run as the workspace builds them, against a real local HTTP server:
an arrival recorded through the app's own recorder is queued right after its commit, an
arrival a crash kept out of the outbox is queued at the next start, and nothing twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from attendance_app import local_time
from attendance_app.app.messaging import MessagesError, outbox, sender
from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, MessagesConfig
from attendance_app.types import AttendanceEvent
from tests.support.message_servers import WebhookServer


@pytest.fixture
def server() -> Iterator[WebhookServer]:
    running = WebhookServer().start()
    yield running
    running.stop()


def _workspace(tmp_path: Path, **messages: str) -> Workspace:
    return Workspace.resolve(AppConfig(messages=MessagesConfig(**messages)), tmp_path, None)


def test_an_arrival_is_queued_at_its_commit_and_a_lost_one_is_caught_up_once(
        tmp_path: Path, server: WebhookServer) -> None:
    workspace = _workspace(tmp_path, webhook_url=server.url)
    recorder = workspace.recorder()
    assert recorder.record(1, "ada", 0.31) is not None
    recorder.close()
    box = outbox(workspace)
    assert box is not None and box.status().pending == 1
    # A crash between a row's commit and its append: the row is in the journal only.
    now = local_time.now()
    workspace.journal().record(AttendanceEvent(now.replace(tzinfo=None), 2, "bob",
                                               "Front door", 0.3, "in",
                                               utc_offset=now.utcoffset()))
    for _ in range(2):  # two starts: the second finds nothing more to send
        messages = sender(workspace)
        assert messages is not None
        messages.start()
        deadline = time.monotonic() + 10
        while len(server.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        messages.stop()
    assert [(b["kind"], b["person"]) for b in server.bodies()] == [("arrival", "ada"),
                                                                   ("arrival", "bob")]
    assert server.bodies()[0]["time"].endswith(
        local_time.now().isoformat()[-6:]), "the time carries its UTC offset"


def test_messages_off_build_nothing(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    assert outbox(workspace) is None and sender(workspace) is None
    assert not (tmp_path / "messages.sqlite3").exists()


def test_a_summary_by_e_mail_without_a_mail_server_is_one_line(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, summary_to="office@example.org")
    with pytest.raises(MessagesError, match="^messages.summary_to is set but "
                                            "messages.smtp_host is empty; give the mail server$"):
        sender(workspace)


def test_an_arrival_added_by_hand_is_never_posted_as_a_live_arrival(
        tmp_path: Path, server: WebhookServer) -> None:
    """Issue 25, point 4: a missed arrival typed in afterwards is in the journal (and the
    daily summary counts it), but the arrival webhook, which says who came as it happens,
    never posts it, not even at the next start's catching up; a camera row lost by a crash
    still is."""
    from datetime import datetime

    from attendance_app.records.correcting import add_arrival
    from tests.support.synthetic_people import synthetic_store

    workspace = _workspace(tmp_path, webhook_url=server.url)
    box = outbox(workspace)
    assert box is not None
    synthetic_store(workspace.faces_path, 2)
    time.sleep(1)  # after the outbox's start, to the second: catching up would take both
    now = local_time.now()
    add_arrival(workspace.journal(), workspace.store(), "Person 00001",
                datetime.now().replace(microsecond=0), "camera down", "Ms Head")
    workspace.journal().record(AttendanceEvent(now.replace(tzinfo=None), 2, "Person 00002",
                                               "Front door", 0.3, "in",
                                               utc_offset=now.utcoffset()))
    messages = sender(workspace)
    assert messages is not None
    messages.start()
    deadline = time.monotonic() + 10
    while box.status().pending and time.monotonic() < deadline:
        time.sleep(0.05)
    messages.stop()
    assert [b["person"] for b in server.bodies()] == ["Person 00002"]
