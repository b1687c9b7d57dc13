"""A central database URL (the database.url setting): checked, described and redacted,
never showing its password.

Why not leave this to urllib and libpq: both quote the text they cannot parse, password
included (urllib's "Invalid IPv6 URL" comes with a traceback through the URL; libpq's
'invalid percent-encoded token: "P%zzW"' is the password itself), and a bad port reaches
libpq only when connecting. So a URL is checked here first, piece by piece, and every
message names the piece that is wrong in words, with the URL shown redacted.

Where the password is: libpq reads `postgresql://user:password@host:port/db?options`, the
user part ending at the first '@'. A password that itself holds '@', '/' or '?' unescaped
confuses that; to hide whatever the user meant as a password, the user part is taken here
as widely as possible (up to the last '@'), and a `password=` option is hidden too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from attendance_app.i18n import _

HIDDEN = "***"
SCHEMES = ("postgresql://", "postgres://")
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PASSWORD_OPTION = re.compile(r"(?<=[?&]password=)[^&]*")


@dataclass(frozen=True)
class UrlParts:
    """A URL split as widely as the password needs (see the module docstring); raw text,
    percent-escapes not decoded."""

    scheme: str
    user: str
    password: str | None
    hosts: str
    database: str
    query: str


def split(url: str) -> UrlParts:
    """`url` in pieces; never raises, whatever the text."""
    scheme, found, rest = url.partition("://")
    if not found:
        scheme, rest = "", url
    userinfo, at, hostpart = rest.rpartition("@")
    if not at:
        userinfo, hostpart = "", rest
    user, colon, password = userinfo.partition(":")
    query_at = hostpart.find("?")
    query = hostpart[query_at + 1:] if query_at >= 0 else ""
    location = hostpart[:query_at] if query_at >= 0 else hostpart
    hosts, _, database = location.partition("/")
    return UrlParts(scheme, user, password if colon else None, hosts, database, query)


def password_forms(url: str) -> list[str]:
    """Every form of the password in `url` that a message could show (raw and decoded,
    longest first), from the user part and from a password= option."""
    found = [split(url).password or "", *_PASSWORD_OPTION.findall(url)]
    forms = {form for text in found for form in (text, unquote(text)) if form}
    return sorted(forms, key=len, reverse=True)


def redact(url: str) -> str:
    """`url` with its password replaced by ***, for anything printed or logged. A URL
    without '@' whose port is not a number is cut after the first host's ':': that is
    user:password/db with the host forgotten, where libpq reads the password as a port."""
    parts = split(url)
    head = f"{parts.scheme}://" if parts.scheme else ""
    first = parts.hosts.split(",")[0]
    port = _port(first)
    if parts.password is None and port is not None and _bad_port(port):
        return f"{head}{first[:len(first) - len(port)]}{HIDDEN}"
    shown = _PASSWORD_OPTION.sub(HIDDEN, url)
    if parts.password is not None:
        tail = shown[len(head) + len(parts.user) + 1 + len(parts.password):]
        shown = f"{head}{parts.user}:{HIDDEN}{tail}"
    return shown


def hide(text: str, url: str) -> str:
    """`text` (a message of libpq or psycopg) with the password of `url` replaced by ***
    wherever it occurs: the last guard before anything is printed."""
    text = text.replace(url, redact(url))
    for secret in password_forms(url):
        text = text.replace(secret, HIDDEN)
    return text


def describe(url: str) -> str:
    """'attendance@server:5432/attendance': who and where, without the password."""
    parts = split(url)
    user = f"{unquote(parts.user)}@" if parts.user else ""
    return f"{user}{parts.hosts or 'localhost'}/{unquote(parts.database)}".rstrip("/")


def server_of(url: str) -> str:
    """'server:5432': the host part alone, for a message about the server."""
    return split(url).hosts or "localhost"


def database_of(url: str) -> str:
    """The database name of `url` (libpq's default, the user's name, when none is given)."""
    parts = split(url)
    return unquote(parts.database) or unquote(parts.user) or "(your user name)"


def _port(host: str) -> str | None:
    """The port text of one `host[:port]` (None when no ':' gives one), as libpq splits
    it: at the first ':', or after the ] of an IPv6 address, [::1]:5432."""
    if host.startswith("["):
        after = host.partition("]")[2]
        return after[1:] if after.startswith(":") else None
    return host.partition(":")[2] if ":" in host else None


def _bad_port(port: str | None) -> bool:
    """Whether a port was given that libpq cannot use (not a number from 1 to 65535)."""
    return port is not None and not (port.isascii() and port.isdigit()
                                     and 0 < int(port) < 65536)


def _check_host(host: str) -> str | None:
    """What is wrong with one `host[:port]` of the URL, None when nothing is."""
    if host.startswith("["):
        _address, closed, after = host[1:].partition("]")
        if not closed:
            return _("has a [ without its closing ]: write an IPv6 address as [::1]:5432")
        if after and not after.startswith(":"):
            return _("has text after the ] of its IPv6 address; write it as [::1]:5432")
    elif "]" in host:
        return _("has a ] without its opening [: write an IPv6 address as [::1]:5432")
    elif host.startswith(":"):
        return _("has a port but no host before it; write it as server:5432")
    if _bad_port(_port(host)):
        # The port's text is not shown: in user:password/db (no host) it is the password.
        return _("has a port that is not a number from 1 to 65535 (after the host's :); "
                 "PostgreSQL's usual port is 5432")
    return None


def _problem(url: str) -> str | None:
    """What is wrong with `url` in words (before redaction), None when nothing is."""
    if not url.startswith(SCHEMES):
        return _("must start with postgresql:// (e.g. postgresql://attendance@server/"
                 "attendance), or be empty for this computer's own files")
    parts = split(url)
    userinfo = parts.user + (parts.password or "")
    if "@" in userinfo or "/" in userinfo:
        return _("has an @ or / in its user name or password, which must be written %40 or "
                 "%2F; better, keep the password out of the URL (in ~/.pgpass)")
    if _ESCAPE.search(url):
        if parts.password and _ESCAPE.search(parts.password):
            return _("has a % in its password that is not followed by two hex digits; write "
                     "a % itself as %25")
        return _("has a % in its URL that is not followed by two hex digits; write a % "
                 "itself as %25")
    for host in parts.hosts.split(",") if parts.hosts else []:
        problem = _check_host(host)
        if problem:
            return problem
    return _libpq_problem(url)


def _libpq_problem(url: str) -> str | None:
    """What libpq's own parser (no connection) finds wrong: an unknown option after ?."""
    import psycopg

    try:
        psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as error:
        text = " ".join(str(error).split())
        unknown = re.search(r'invalid URI query parameter: "([^"]*)"', text)
        if unknown:  # libpq quotes what it read, which may hold the password: hidden
            return _("has the option {option!r}, which PostgreSQL does not know; remove it "
                     "or correct its spelling (e.g. sslmode=require)"
                     ).format(option=hide(unknown.group(1), url))
        return _("cannot be read by PostgreSQL's client ({problem})"
                 ).format(problem=hide(text, url))
    return None


def check(url: str) -> None:
    """ValueError with one line saying what is wrong with `url` (redacted), if anything.
    An empty url (no central database) is fine."""
    if not url:
        return
    problem = _problem(url)
    if problem:
        raise ValueError(f"{redact(url)} {problem}")
