"""The background thread that sends the outbox's messages, oldest first per channel.

A message that fails is tried again after a back-off that doubles from `first_wait` up
to `longest_wait` (10 s to 30 min): a webhook down for a night is asked about twice an
hour, not hammered. Messages of a channel leave in order, so a later one waits behind a
failing one; the channels do not wait for each other.

A message is marked sent only after its server accepted it. A crash between the two sends
it again at the next start, with the same key (JSON "key", Idempotency-Key header,
Message-ID of an e-mail), so a receiver can drop the repeat; nothing is lost.

The daily summary is queued by the same thread: at `summary_time`, or at the first look
after it when the app starts later that day, once per day and channel (a row labelled
with the day: never twice, even across restarts).

The camera's thread never waits for any of this: it only appends to the outbox.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Protocol

from attendance_app.i18n import _
from attendance_app.messages.delivery import DeliveryError
from attendance_app.messages.outbox import Outbox

log = logging.getLogger(__name__)

FIRST_WAIT_SECONDS = 10.0
LONGEST_WAIT_SECONDS = 30 * 60.0
KEEP_SENT = timedelta(days=31)
"""How long a sent message stays in the outbox (for `messages status`, and as a record of
what left); older ones are deleted when the sender starts and every day after."""
LOOK_EVERY_SECONDS = 1.0
"""How often the outbox is looked at for new messages (one indexed query)."""


class Channel(Protocol):
    """Delivers one message (a Webhook, a Mailer); raises DeliveryError."""

    def send(self, payload: dict[str, Any]) -> None: ...


def back_off(attempts: int, first: float, longest: float) -> float:
    """Seconds to wait after the `attempts`-th failure (1, 2, ...): first, 2x, 4x ... longest."""
    return min(first * 2 ** max(0, attempts - 1), longest)


class DailySummary:
    """Queues the day's summary on `channels` once it is `at` o'clock; `build(day)` makes
    its payload (read from the journal, in the sender's thread)."""

    def __init__(self, at: clock_time, channels: tuple[str, ...],
                 build: Callable[[date], dict[str, Any]]) -> None:
        self.at = at
        self.channels = channels
        self.build = build

    def queue_if_due(self, outbox: Outbox, now: datetime) -> None:
        if now.time() < self.at:
            return
        day = now.date()
        waiting = [c for c in self.channels if not outbox.has(f"summary:{day}:{c}")]
        if not waiting:
            return
        payload = self.build(day)
        for channel in waiting:
            outbox.append(channel, "summary", payload, once=f"summary:{day}:{channel}")


class MessageSender:
    """Sends what the outbox holds through `channels` (name -> Channel) in its own thread,
    from `start` to `stop`; with `summary`, queues the daily summary too."""

    def __init__(self, outbox: Outbox, channels: Mapping[str, Channel],
                 summary: DailySummary | None = None,
                 first_wait: float = FIRST_WAIT_SECONDS,
                 longest_wait: float = LONGEST_WAIT_SECONDS) -> None:
        self.outbox = outbox
        self.channels = dict(channels)
        self.summary = summary
        self.first_wait = first_wait
        self.longest_wait = longest_wait
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="message-sender", daemon=True)

    def start(self) -> None:
        """Start sending: what waits from an earlier run is tried at once."""
        self.outbox.retry_now()
        self._thread.start()

    def stop(self) -> None:
        """Send what is due in one last pass (a run that ends right after an arrival still
        tells of it), then stop; each channel's pass ends at its first failure, so a server
        that does not answer holds the stop at most delivery.TIMEOUT_SECONDS per channel.
        What is not sent stays in the outbox for the next start."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        pruned: date | None = None
        while True:
            stopping = self._stop.is_set()  # read first: the last pass follows a stop
            try:
                if pruned != date.today():
                    pruned = date.today()
                    self.outbox.forget_sent(datetime.now() - KEEP_SENT)
                if self.summary is not None:
                    self.summary.queue_if_due(self.outbox, datetime.now())
                self.send_due()
            except Exception:  # a damaged outbox, a failing report: said, then tried again
                log.exception("messages: the sender failed; trying again")
            if stopping:
                return
            self._stop.wait(LOOK_EVERY_SECONDS)

    def send_due(self) -> None:
        """Send, per channel, the oldest waiting messages whose time has come, until one
        fails or none is left."""
        for name, channel in self.channels.items():
            while True:
                message = self.outbox.oldest(name)
                if message is None or message.next_try > time.time():
                    break
                try:
                    channel.send(message.payload)
                except DeliveryError as error:
                    wait = back_off(message.attempts + 1, self.first_wait, self.longest_wait)
                    self.outbox.mark_failed(message, str(error), time.time() + wait)
                    log.warning(_("messages: {error}; trying again in {seconds:.0f} s")
                                .format(error=error, seconds=wait))
                    break
                self.outbox.mark_sent(message)
