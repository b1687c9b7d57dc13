"""The window sends messages too (offscreen, real widgets): a window watching a photo of an
enrolled person posts the arrival to a real local HTTP server, and once the window is
closed no sender thread is left running."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, MessagesConfig
from attendance_app.gui.main_window import MainWindow
from attendance_app.recognition.photos import enrolment_shot
from tests.support.message_servers import WebhookServer


def test_the_window_posts_an_arrival_and_stops_its_sender_when_closed(
        qtbot, faces_dir: Path, tmp_path: Path) -> None:
    server = WebhookServer().start()
    try:
        config = AppConfig(messages=MessagesConfig(webhook_url=server.url))
        workspace = Workspace.resolve(config, tmp_path / "data", None)
        workspace.store().enrol("obama", [enrolment_shot(
            workspace.engine(), faces_dir / "enrol" / "obama" / "obama.jpg", 40)])
        probe = next(p for p in sorted((faces_dir / "probe" / "obama").iterdir()))
        window = MainWindow(workspace, str(probe), tmp_path / "config.yaml")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: len(server.received) == 1, timeout=120_000)
        window.close()
        qtbot.waitUntil(lambda: not any(t.name == "message-sender"
                                        for t in threading.enumerate()), timeout=20_000)
    finally:
        server.stop()
    (posted,) = server.bodies()
    assert (posted["kind"], posted["person"]) == ("arrival", "obama")
    assert window.panel.names() == ["obama"]
