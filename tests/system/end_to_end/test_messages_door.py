"""A real door run with messages on: `run --headless` on the shared walkers video, with
walker_01 and an absent person enrolled, posts one arrival webhook for walker_01 (and
one per unknown walker, with nothing of the face) to a local HTTP server; at the next
start, its time past, the daily summary goes to the webhook and by e-mail through a
local STARTTLS mail server, naming the absent person. Messages that could not be sent (the
webhook down, the run ended or stopped with Ctrl-C) are sent by the next run."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.support.faults_support import app_command, long_door
from tests.support.message_servers import SmtpServer, WebhookServer, self_signed

__all__ = ["long_door"]  # a fixture used below

SECRET = "door-mail-secret"


def test_a_headless_run_posts_the_arrival_and_sends_the_summary(
        faces_dir: Path, enrol_dir: Path, tmp_path: Path) -> None:
    cert = self_signed(tmp_path)
    webhook = WebhookServer().start()
    smtp = SmtpServer(cert, "starttls", "door", SECRET).start()
    config = tmp_path / "config.yaml"

    def settings(summary_time: str) -> None:
        config.write_text("messages:\n"
                          f"  webhook_url: \"{webhook.url}\"\n"
                          f"  summary_time: \"{summary_time}\"\n"
                          "  summary_to: office@example.org\n"
                          "  smtp_host: localhost\n"
                          f"  smtp_port: {smtp.port}\n"
                          "  smtp_user: door\n", encoding="utf-8")

    env = {**os.environ, "SSL_CERT_FILE": str(cert[0]), "ATTENDANCE_SMTP_PASSWORD": SECRET}
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(config)]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(app_command(*args, *common), env=env, capture_output=True,
                              text=True, timeout=600, check=False)

    video = faces_dir / "video" / "walkers_royal_opera_house.mp4"

    settings("")  # no summary during the first run
    try:
        for name in ("walker_01", "lennon"):  # lennon is absent from this video
            photo = next((enrol_dir / name).iterdir())
            assert cli("enrol", name, str(photo)).returncode == 0
        result = cli("run", "--source", str(video), "--headless")
        assert not webhook.bodies("summary")
        # The summary's time is past when the door starts again: it is sent at once, with
        # the day's figures so far; the second pass logs nobody again.
        settings("00:00")
        again = cli("run", "--source", str(video), "--headless")
        assert again.returncode == 0, again.stderr
    finally:
        webhook.stop()
        smtp.stop()
    assert result.returncode == 0, result.stderr
    arrivals = webhook.bodies("arrival")
    assert [(a["person"], a["direction"], a["camera"]) for a in arrivals] == [
        ("walker_01", "in", "Front door")]
    assert arrivals[0]["time"][:10] in result.stdout  # the row printed is the one posted
    (summary,) = webhook.bodies("summary")
    (everyone,) = summary["groups"]
    assert everyone["absent"] == ["lennon"] and everyone["present"] == ["walker_01"]
    assert len(set(webhook.keys())) == len(webhook.keys()), "nothing posted twice"
    visitors = webhook.bodies("unknown_visitor")
    assert visitors, "the other walkers, enrolled nobody, are unknown visitors"
    for visitor in visitors:  # nothing of the face leaves
        assert set(visitor) == {"time", "camera", "key", "kind"}
    (mail,) = smtp.mails
    body = mail.get_payload()
    assert "1 present, 1 absent" in body and "Absent: lennon" in body
    assert SECRET not in result.stdout + result.stderr


def test_messages_kept_while_the_webhook_is_down_are_sent_by_the_next_run(
        faces_dir: Path, tmp_path: Path) -> None:
    webhook = WebhookServer()  # its port chosen; down during the first run
    config = tmp_path / "config.yaml"
    config.write_text(f"messages:\n  webhook_url: \"{webhook.url}\"\n", encoding="utf-8")
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(config)]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(app_command(*args, *common), capture_output=True, text=True,
                              timeout=600, check=False)

    assert cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg")).returncode == 0
    first = cli("run", "--source", str(faces_dir / "probe" / "obama" / "obama1.jpg"),
                "--headless")
    assert first.returncode == 0, first.stderr
    assert " IN " in first.stdout
    status = cli("messages", "status")
    assert status.stdout.splitlines()[0] == "Messages are on; 1 waiting, 0 sent"
    assert "connection refused" in status.stdout
    webhook.start()
    try:
        nobody = next(p for p in sorted((faces_dir / "noface").iterdir()) if p.is_file())
        second = cli("run", "--source", str(nobody), "--headless")
    finally:
        webhook.stop()
    assert second.returncode == 0, second.stderr
    assert [(b["kind"], b["person"]) for b in webhook.bodies()] == [("arrival", "obama")]
    assert cli("messages", "status").stdout.splitlines()[0] == "Messages are on; 0 waiting, 1 sent"


def test_ctrl_c_keeps_the_waiting_arrival_for_the_next_run(
        long_door: Path, faces_dir: Path, tmp_path: Path) -> None:
    webhook = WebhookServer()  # down while the run is stopped
    config = tmp_path / "config.yaml"
    config.write_text(f"messages:\n  webhook_url: \"{webhook.url}\"\n", encoding="utf-8")
    common = ["--data-dir", str(tmp_path / "data"), "--config", str(config)]
    enrol = app_command("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"),
                        *common)
    assert subprocess.run(enrol, capture_output=True, check=False, timeout=300).returncode == 0
    child = subprocess.Popen(app_command("run", "--headless", "--source", str(long_door),
                                         *common),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    assert child.stdout is not None
    for line in child.stdout:  # the arrival is committed and queued: now Ctrl-C
        if " IN " in line:
            break
    os.killpg(child.pid, signal.SIGINT)  # as a terminal sends it, to the whole group
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "Traceback" not in err
    webhook.start()
    try:
        nobody = next(p for p in sorted((faces_dir / "noface").iterdir()) if p.is_file())
        again = subprocess.run(app_command("run", "--headless", "--source", str(nobody),
                                           *common),
                               capture_output=True, text=True, check=False, timeout=300)
    finally:
        webhook.stop()
    assert again.returncode == 0, again.stderr
    assert [(b["kind"], b["person"]) for b in webhook.bodies()] == [("arrival", "obama")]
