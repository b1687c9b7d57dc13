"""`attendance-app messages test|password|status` in child processes, against a real local
HTTP server and a real SMTP server (aiosmtpd, STARTTLS or SSL on a self-signed
certificate the child trusts through SSL_CERT_FILE), with a fresh HOME: the e-mail logs in
with the password from the environment or the keyring, and the password is in no output
and no log file."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from attendance_app.messages.outbox import OUTBOX_FILE, Outbox
from tests.support.faults_support import app_command
from tests.support.message_servers import SmtpServer, WebhookServer, free_port, self_signed

SECRET = "Pa55-w0rd-Never-Shown"
USER = "door@example.org"
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def cert(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed(tmp_path)


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer().start()
    yield server
    server.stop()


def _settings(folder: Path, webhook_url: str, smtp_port: int, security: str = "starttls") -> Path:
    path = folder / "config.yaml"
    path.write_text(
        "messages:\n"
        f"  webhook_url: \"{webhook_url}\"\n"
        "  summary_to: office@example.org, head@example.org\n"
        "  smtp_host: localhost\n"
        f"  smtp_port: {smtp_port}\n"
        f"  smtp_security: {security}\n"
        f"  smtp_user: {USER}\n", encoding="utf-8")
    return path


def _run(home: Path, cert: Path, *args: str, stdin: str | None = None,
         **extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"ATTENDANCE_SMTP_PASSWORD", "XDG_STATE_HOME"}}
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"),
               XDG_CONFIG_HOME=str(home / "config"), SSL_CERT_FILE=str(cert),
               PYTHONPATH=str(REPO), ATTENDANCE_TEST_KEYRING=str(home / "keyring.json"),
               PYTHON_KEYRING_BACKEND="tests.support.file_keyring.FileKeyring")
    env.update(extra)
    return subprocess.run(app_command(*args, "--data-dir", str(home / "data")), env=env,
                          input=stdin, capture_output=True, text=True, timeout=120,
                          check=False, cwd=REPO)


def _no_secret_anywhere(home: Path, *results: subprocess.CompletedProcess[str]) -> None:
    for result in results:
        assert SECRET not in result.stdout + result.stderr
    logs = list((home / "state").rglob("*.log"))
    assert logs, "the commands wrote their log"
    for log in logs:
        assert SECRET not in log.read_text(encoding="utf-8"), log


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_messages_test_reaches_the_webhook_and_the_mail_server(
        tmp_path: Path, cert: tuple[Path, Path], webhook: WebhookServer, security: str) -> None:
    smtp = SmtpServer(cert, security, USER, SECRET).start()
    try:
        config = _settings(tmp_path, webhook.url, smtp.port, security)
        result = _run(tmp_path, cert[0], "messages", "test", "--config", str(config),
                      ATTENDANCE_SMTP_PASSWORD=SECRET)
    finally:
        smtp.stop()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["webhook: sent", "email: sent"]
    assert [body["kind"] for body in webhook.bodies()] == ["test"]
    assert smtp.logins == [(USER, True)]
    (mail,) = smtp.mails
    assert mail["To"] == "office@example.org, head@example.org"
    assert mail["Subject"] == "Attendance app: test message"
    key = webhook.bodies()[0]["key"]
    assert mail["Idempotency-Key"] == key and mail["Message-ID"] == f"<{key}@attendance-app>"
    _no_secret_anywhere(tmp_path, result)


def test_a_wrong_password_and_a_server_down_are_one_line_each_without_the_password(
        tmp_path: Path, cert: tuple[Path, Path]) -> None:
    smtp = SmtpServer(cert, "starttls", USER, "the-right-one").start()
    down = WebhookServer()  # nobody listens
    try:
        config = _settings(tmp_path, down.url, smtp.port)
        result = _run(tmp_path, cert[0], "messages", "test", "--config", str(config),
                      ATTENDANCE_SMTP_PASSWORD=SECRET)
    finally:
        smtp.stop()
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert errors == [f"error: webhook: failed: webhook {down.url}: connection refused",
                      f"error: email: failed: mail server localhost:{smtp.port} refused the "
                      f"login of {USER} (535)"], result.stderr
    assert smtp.logins and all(login == (USER, False) for login in smtp.logins)
    _no_secret_anywhere(tmp_path, result)
    log = (tmp_path / "state" / "attendance-app" / "log" / "commands.log").read_text()
    assert "refused the login" in log


def test_the_password_kept_by_messages_password_logs_in(
        tmp_path: Path, cert: tuple[Path, Path], webhook: WebhookServer) -> None:
    smtp = SmtpServer(cert, "starttls", USER, SECRET).start()
    try:
        config = _settings(tmp_path, webhook.url, smtp.port)
        stored = _run(tmp_path, cert[0], "messages", "password", "--config", str(config),
                      stdin=SECRET + "\n")
        assert stored.returncode == 0, stored.stderr
        assert stored.stdout.startswith(f"Stored the SMTP password of {USER} at localhost")
        sent = _run(tmp_path, cert[0], "messages", "test", "--config", str(config))
    finally:
        smtp.stop()
    assert sent.returncode == 0, sent.stderr
    assert smtp.logins == [(USER, True)] and len(smtp.mails) == 1
    _no_secret_anywhere(tmp_path, stored, sent)


def test_without_a_keyring_messages_password_says_to_use_the_variable(
        tmp_path: Path, cert: tuple[Path, Path]) -> None:
    config = _settings(tmp_path, "", free_port())
    result = _run(tmp_path, cert[0], "messages", "password", "--config", str(config),
                  stdin=SECRET + "\n", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: no system keyring can keep it here (NoKeyringError); set the "
        "ATTENDANCE_SMTP_PASSWORD environment variable instead"]
    _no_secret_anywhere(tmp_path, result)


def test_messages_status_says_what_waits_the_last_error_and_the_last_sent(
        tmp_path: Path, cert: tuple[Path, Path]) -> None:
    config = _settings(tmp_path, "http://127.0.0.1:9/hook", free_port())
    (tmp_path / "data").mkdir()
    outbox = Outbox(tmp_path / "data" / OUTBOX_FILE)
    outbox.append("webhook", "arrival", {"person": "ada"})
    outbox.append("webhook", "arrival", {"person": "bob"})
    first = outbox.oldest("webhook")
    assert first is not None
    outbox.mark_sent(first)
    second = outbox.oldest("webhook")
    assert second is not None
    outbox.mark_failed(second, "webhook http://127.0.0.1:9/hook: connection refused", 0)
    outbox.close()
    result = _run(tmp_path, cert[0], "messages", "status", "--config", str(config))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Messages are on; 1 waiting, 1 sent"
    assert lines[1].startswith("Last sent: 20")
    assert lines[2].startswith("Last error: webhook http://127.0.0.1:9/hook: connection "
                               "refused (at 20")


def test_messages_test_in_german_sorts_sent_from_failed(
        tmp_path: Path, cert: tuple[Path, Path], webhook: WebhookServer) -> None:
    """The command tells a sent line from a failed one by what the app reports, not by its
    English words: in German the sent webhook goes to stdout (exit 0 if all are sent) and
    the refused e-mail to stderr, each a German line."""
    smtp = SmtpServer(cert, "starttls", USER, "the-right-one").start()
    try:
        config = _settings(tmp_path, webhook.url, smtp.port)
        result = _run(tmp_path, cert[0], "messages", "test", "--config", str(config),
                      ATTENDANCE_SMTP_PASSWORD=SECRET, ATTENDANCE_LANGUAGE="de")
    finally:
        smtp.stop()

    assert result.returncode == 1
    assert result.stdout.splitlines() == ["Webhook: gesendet"]
    (refused,) = result.stderr.splitlines()
    assert refused.endswith(f"E-Mail: fehlgeschlagen: der Mailserver localhost:{smtp.port} "
                            f"hat die Anmeldung von {USER} abgelehnt (535)"), refused
    _no_secret_anywhere(tmp_path, result)
