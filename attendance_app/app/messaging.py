"""The messages of a run built from its settings: the outbox, the channels, the sender with
its daily summary, the SMTP password, and the test message.

Here (the app layer) because the password is read from the environment
(ATTENDANCE_SMTP_PASSWORD) or the system's keyring, and nothing below app/ reads the
environment. The password is read at the moment of logging in to the mail server and
handed to nothing else: it is never printed, logged or written to a file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from attendance_app import local_time
from attendance_app.config.settings import AppConfig, MessagesConfig
from attendance_app.errors import AttendanceError
from attendance_app.i18n import N_, _
from attendance_app.messages.outbox import OutboxError
from attendance_app.records.corrections import is_by_hand
from attendance_app.records.workbooks import Workbooks
from exports import parse_start_time

if TYPE_CHECKING:
    from attendance_app.messages.outbox import Outbox
    from attendance_app.messages.sender import Channel, MessageSender
    from attendance_app.types import AttendanceEvent

log = logging.getLogger(__name__)

PASSWORD_VARIABLE = "ATTENDANCE_SMTP_PASSWORD"
KEYRING_SERVICE = "attendance-app"


class Site(Workbooks, Protocol):
    """What messages need of the run: its settings, its data folder and the journal the
    summary's report is read from. The Workspace is one; named so here because it builds
    the outbox from this module, which therefore cannot import it."""

    @property
    def config(self) -> AppConfig: ...

    @property
    def data_dir(self) -> Path: ...


class MessagesError(AttendanceError):
    """Messages cannot be set up as asked; one line saying what to change."""


def keyring_name(config: MessagesConfig) -> str:
    """The name the password is kept under in the keyring: one per login and server."""
    return f"smtp:{config.smtp_user}@{config.smtp_host}"


def smtp_password(config: MessagesConfig) -> str | None:
    """The SMTP password: ATTENDANCE_SMTP_PASSWORD, else the system's keyring; None when
    neither has one (or there is no keyring on this system)."""
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_name(config))
    except KeyringError:
        return None


def store_password(config: MessagesConfig, password: str) -> str:
    """Keep `password` in the system's keyring; returns the keyring's name, for saying
    where it went. MessagesError when there is no keyring or no SMTP user."""
    if not (config.smtp_user and config.smtp_host):
        raise MessagesError(_("set messages.smtp_host and messages.smtp_user first: the "
                              "password is kept for that login"))
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_name(config), password)
    except KeyringError as error:
        raise MessagesError(_("no system keyring can keep it here ({problem}); set the "
                              "{variable} environment variable instead").format(
            problem=type(error).__name__, variable=PASSWORD_VARIABLE)) from None
    return type(keyring.get_keyring()).__name__


def channels(config: MessagesConfig) -> dict[str, Channel]:
    """The ways messages leave: "webhook" with a webhook_url, "email" with summary_to."""
    from attendance_app.messages.delivery import Mailer, Webhook

    found: dict[str, Channel] = {}
    if config.webhook_url:
        found["webhook"] = Webhook(config.webhook_url)
    if config.recipients:
        if not config.smtp_host:
            raise MessagesError(_("messages.summary_to is set but messages.smtp_host is "
                                  "empty; give the mail server"))
        found["email"] = Mailer(config.smtp_host, config.smtp_port, config.smtp_security,
                                config.smtp_user, config.smtp_from,
                                tuple(config.recipients), lambda: smtp_password(config))
    return found


def outbox(paths: Site) -> Outbox | None:
    """The data folder's outbox, None when messages are off."""
    if not paths.config.messages.on:
        return None
    from attendance_app.messages.outbox import OUTBOX_FILE, Outbox

    return Outbox(paths.data_dir / OUTBOX_FILE)


def arrivals_queued(paths: Site, on_event: Callable[[AttendanceEvent], None]
                    ) -> Callable[[AttendanceEvent], None]:
    """`on_event` that first queues each committed row's webhook message (with a
    webhook_url; else `on_event` itself): the row is in the journal when it is called."""
    box = outbox(paths) if paths.config.messages.webhook_url else None
    if box is None:
        return on_event
    from attendance_app.messages.content import arrival

    def queued(event: AttendanceEvent) -> None:
        try:
            box.append("webhook", "arrival", arrival(event),
                       once=f"arrival:{event.uid}" if event.uid else None)
        except OutboxError as error:  # the row is safe in the journal: caught up at the next start
            log.warning(_("messages: {error}; the arrival's message is queued at the next "
                          "start").format(error=error))
        on_event(event)

    return queued


def catch_up(box: Outbox, events: list[AttendanceEvent]) -> int:
    """Queue the arrivals among `events` (today's journal rows) that a crash between their
    commit and their append kept out of the outbox; rows from before messages were first
    on are left alone, and so are rows added by hand (records.corrections): the arrival
    webhook says who came to the door as it happens, and an arrival typed in afterwards
    would reach its receivers late, under a time long past. Returns how many were queued."""
    from attendance_app.messages.content import arrival

    return sum(box.append("webhook", "arrival", arrival(event), once=f"arrival:{event.uid}")
               for event in events
               if event.uid is not None and event.void is None and event.moment >= box.created
               and not is_by_hand(event.camera))


def sender(workspace: Site) -> MessageSender | None:
    """The sender of the run, not started; None when messages are off."""
    box = outbox(workspace)
    if box is None:
        return None
    from attendance_app.messages.content import day_summary
    from attendance_app.messages.sender import DailySummary, MessageSender
    from attendance_app.records.reporting import MonthReports

    config = workspace.config.messages
    ways = channels(config)
    if config.webhook_url:
        catch_up(box, workspace.journal().events_on(local_time.now().date()))
    at, site = parse_start_time(config.summary_time), workspace.config.camera.name
    summary = None if at is None else DailySummary(
        at, tuple(ways),
        lambda day: day_summary(MonthReports.load(workspace, day).report(day), day, site))
    return MessageSender(box, ways, summary)


CHANNEL_WORDS = {"webhook": N_("webhook"), "email": N_("email")}
"""The channels' names as people read them (channels() keys them in English)."""


def send_test(workspace: Site) -> list[tuple[bool, str]]:
    """Send a test message now on every channel set; one line per channel, in the user's
    language, saying it was sent (True) or why not (False)."""
    from attendance_app.messages.content import test_message
    from attendance_app.messages.delivery import DeliveryError

    ways = channels(workspace.config.messages)
    if not ways:
        raise MessagesError(_("messages are off: set messages.webhook_url or "
                              "messages.summary_to"))
    payload = {**test_message(workspace.config.camera.name), "kind": "test",
               "key": f"test-{os.urandom(8).hex()}"}
    lines = []
    for name, channel in ways.items():
        shown = _(CHANNEL_WORDS.get(name, name))
        try:
            channel.send(payload)
            lines.append((True, _("{channel}: sent").format(channel=shown)))
        except DeliveryError as error:
            lines.append((False, _("{channel}: failed: {error}").format(channel=shown,
                                                                       error=error)))
    return lines
