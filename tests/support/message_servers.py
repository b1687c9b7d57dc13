"""Real local servers that the messages tests send to: an HTTP server receiving webhooks
(http.server in a thread) and an SMTP server (aiosmtpd) with STARTTLS or SSL on a
self-signed certificate made here (cryptography), with a login checked.

A server can be stopped and started again on the same port, to be a receiver that is down
and comes back.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One webhook request as the server got it."""

    key: str
    body: dict[str, Any]


class WebhookServer:
    """Receives POSTs on http://127.0.0.1:port/hook; `fail_next` answers that many with 503
    (after reading them: a server that got the message but did not say so)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.fail_next = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> WebhookServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with owner._lock:
                    refuse = owner.fail_next > 0
                    owner.fail_next -= refuse
                    if not refuse:
                        owner.received.append(Received(self.headers["Idempotency-Key"], body))
                self.send_response(503 if refuse else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                """Quiet."""

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def keys(self) -> list[str]:
        with self._lock:
            return [r.key for r in self.received]

    def bodies(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [r.body for r in self.received if kind is None or r.body["kind"] == kind]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 and its key, as PEM files in `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class _Inbox:
    mails: list[Message] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802 (aiosmtpd's name)
            self, server: object, session: object, envelope: Any) -> str:
        self.mails.append(message_from_bytes(envelope.content))
        return "250 OK"


class SmtpServer:
    """A mail server on 127.0.0.1 with security "starttls" or "ssl", accepting the login
    `user`/`password` only (required before any mail)."""

    def __init__(self, cert: tuple[Path, Path], security: str, user: str, password: str,
                 port: int | None = None) -> None:
        self.port = port or free_port()
        self.security = security
        self.inbox = _Inbox()
        self.logins: list[tuple[str, bool]] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, cert))
        self._context = context
        self._user, self._password = user, password
        self._controller: Controller | None = None

    def _check(self, server: object, session: object, envelope: object, mechanism: str,
               auth_data: object) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword)
              and (auth_data.login.decode(), auth_data.password.decode()) == (self._user,
                                                                              self._password))
        self.logins.append((auth_data.login.decode() if isinstance(auth_data, LoginPassword)
                            else "", ok))
        return AuthResult(success=ok, handled=False)

    def start(self) -> SmtpServer:
        tls = ({"tls_context": self._context, "require_starttls": True}
               if self.security == "starttls" else {"ssl_context": self._context})
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                      authenticator=self._check, auth_required=True,
                                      # aiosmtpd counts only STARTTLS as TLS here; with
                                      # ssl the whole connection is TLS anyway.
                                      auth_require_tls=self.security == "starttls",
                                      **tls)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def mails(self) -> list[Message]:
        return self.inbox.mails
