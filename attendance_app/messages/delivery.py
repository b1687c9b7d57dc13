"""Sending one message: a webhook (HTTP POST of its JSON) or an e-mail (SMTP).

Each raises DeliveryError with one line saying what failed (the server's status, a
refused connection, a refused login), never the SMTP password: the password is asked of
`password` at the moment of logging in and is in no message, no exception and no log.
"""

from __future__ import annotations

import json
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from attendance_app.i18n import _
from attendance_app.messages.content import email_of

TIMEOUT_SECONDS = 15.0
"""One attempt's longest wait: a stopping app waits at most this for a send under way."""


class DeliveryError(Exception):
    """A message could not be delivered now; its text is one line, without secrets."""


def _reason(error: BaseException) -> str:
    """An OS or network error in a few words: "connection refused", "timed out"."""
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    if isinstance(error, (TimeoutError, socket.timeout)):
        return _("timed out")
    if isinstance(error, ConnectionRefusedError):
        return _("connection refused")
    if isinstance(error, socket.gaierror):
        return _("unknown host")
    if isinstance(error, ssl.SSLError):
        return _("TLS failed ({problem})").format(problem=error.reason or error)
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Webhook:
    """POSTs each message's JSON to `url`, with its key in the Idempotency-Key header."""

    url: str

    def send(self, payload: dict[str, Any]) -> None:
        request = urllib.request.Request(
            self.url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST", headers={"Content-Type": "application/json; charset=utf-8",
                                    "Idempotency-Key": payload["key"],
                                    "User-Agent": "attendance-app"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            raise DeliveryError(_("webhook {url} answered {code} {reason}").format(
                url=self.url, code=error.code, reason=error.reason)) from None
        except (OSError, ValueError) as error:
            raise DeliveryError(_("webhook {url}: {reason}").format(
                url=self.url, reason=_reason(error))) from None


@dataclass(frozen=True)
class Mailer:
    """Sends a message by e-mail through an SMTP server. security: starttls, ssl or none;
    user empty: no login; password: asked only when logging in (environment or keyring),
    None when there is none."""

    host: str
    port: int
    security: str
    user: str
    sender: str
    recipients: tuple[str, ...]
    password: Callable[[], str | None]

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=TIMEOUT_SECONDS,
                                    context=context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
        if self.security == "starttls":
            try:
                smtp.starttls(context=context)
            except smtplib.SMTPNotSupportedError:
                smtp.close()
                raise DeliveryError(_("mail server {host}:{port} does not offer STARTTLS; set "
                                      "messages.smtp_security to ssl or none").format(
                    host=self.host, port=self.port)) from None
        return smtp

    def send(self, payload: dict[str, Any]) -> None:
        subject, body = email_of(payload)
        mail = EmailMessage()
        mail["Subject"], mail["From"] = subject, self.sender or self.user
        mail["To"] = ", ".join(self.recipients)
        # Mail servers and clients drop a second message with a Message-ID they have seen.
        mail["Message-ID"] = f"<{payload['key']}@attendance-app>"  # the same when sent again
        mail["Idempotency-Key"] = payload["key"]
        mail.set_content(body)
        server = dict(host=self.host, port=self.port)
        try:
            with self._connect() as smtp:
                if self.user:
                    password = self.password()
                    if password is None:
                        raise DeliveryError(_(
                            "no SMTP password for {user}: store it with `attendance-app "
                            "messages password` or set ATTENDANCE_SMTP_PASSWORD"
                        ).format(user=self.user))
                    smtp.login(self.user, password)
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(_("mail server {host}:{port} refused the login of {user} "
                                  "({code})").format(user=self.user, code=error.smtp_code,
                                                     **server)) from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(_("mail server {host}:{port} offers no login on this "
                                  "connection; check messages.smtp_security, or clear "
                                  "smtp_user").format(**server)) from None
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(_("mail server {host}:{port} answered {code}").format(
                code=error.smtp_code, **server)) from None
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError(_("mail server {host}:{port} refused the addresses in "
                                  "messages.summary_to").format(**server)) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(_("mail server {host}:{port}: {reason}").format(
                reason=_reason(error), **server)) from None
