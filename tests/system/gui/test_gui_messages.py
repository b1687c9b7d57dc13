"""The window sends messages too (offscreen, real widgets): a window watching a photo of an
enrolled person posts the arrival to a real local HTTP server, and once the window is
closed no sender thread is left running. The Settings dialog edits the messages settings
(never a password), refusing a bad value in one line."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, MessagesConfig, load_config
from attendance_app.gui.main_window import MainWindow
from attendance_app.gui.settings_dialog import SettingsDialog
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


def test_the_settings_dialog_saves_messages_and_refuses_a_bad_time_in_one_line(
        qtbot, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    dialog = SettingsDialog(AppConfig(), path, tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.messages.isChecked(), "off by default, folded"
    dialog.save()
    assert "messages" not in path.read_text(encoding="utf-8"), "nothing edited, nothing written"
    dialog = SettingsDialog(AppConfig(), path, tmp_path)
    qtbot.addWidget(dialog)
    dialog.messages.setChecked(True)
    dialog.messages.texts["webhook_url"].setText("https://hooks.example.org/door")
    dialog.messages.texts["summary_time"].setText("25:00")
    dialog.save()
    assert dialog.error.text() == ("Daily summary at: '25:00' is not a time of day; write it "
                                   "as HH:MM, e.g. 08:30")
    dialog.messages.texts["summary_time"].setText("16:30")
    dialog.save()
    assert dialog.saved is not None
    assert dialog.saved.messages == MessagesConfig(webhook_url="https://hooks.example.org/door",
                                                   summary_time="16:30")
    assert load_config(path) == dialog.saved
    assert "password" not in path.read_text(encoding="utf-8").lower()
