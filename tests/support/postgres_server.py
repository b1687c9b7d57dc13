"""A real, throwaway PostgreSQL 16 server for the tests and benchmarks/doors.py.

The server binaries come from the `pgserver` dev wheel's relocatable tree
(``pgserver/pginstall``); the `pgserver` Python package itself is never imported, because it
warns on import (platformdirs) and manages servers its own way. Nothing is downloaded and no
system PostgreSQL is needed, so `uv run pytest` works on a fresh machine.

PostgreSQL refuses to run as root. Under root the server runs as an unprivileged system user
(`SERVER_USER`) from a private folder under /tmp holding a copy of the binaries, the data
and the socket: the user could not reach the installed binaries under e.g. /root (mode 700)
nor pytest's temporary folders (/tmp/pytest-of-root is mode 700).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import psycopg
from psycopg import sql

SERVER_USER = "attendance-pg"
"""The system user the server runs as when the tests run as root (PostgreSQL refuses root)."""

MAX_SOCKET_PATH = 100
"""Unix socket paths are limited to 107 bytes (sun_path); deeper folders get a short /tmp one."""

START_TIMEOUT = 60
"""Seconds pg_ctl waits for the server: generous, since a loaded machine may be slow."""

LOG_TAIL_LINES = 8
"""Lines of the server log quoted in a start failure, joined into the one-line message."""


def pginstall() -> Path:
    """The installed relocatable PostgreSQL tree (bin, lib, share) of the pgserver wheel."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "PostgreSQL binaries not found: the dev dependency pgserver is not installed; "
            "run `uv sync` (it installs the dev group)"
        )
    tree = Path(spec.submodule_search_locations[0]) / "pginstall"
    if not (tree / "bin" / "postgres").is_file():
        raise RuntimeError(f"PostgreSQL binaries not found in {tree}: reinstall pgserver with `uv sync`")
    return tree


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_server_user() -> None:
    """Create `SERVER_USER` when missing. Another test session may create it at the same
    moment, so a failed useradd only counts when the user still does not exist."""
    if _user_exists():
        return
    result = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
        capture_output=True, text=True, check=False,
    )
    if not _user_exists():
        raise RuntimeError(
            f"cannot create the system user {SERVER_USER} that runs PostgreSQL under root "
            f"(useradd: {result.stderr.strip() or result.returncode}); create it or run the tests as a normal user"
        )


def _user_exists() -> bool:
    """Whether `SERVER_USER` is known to the system (passwd lookup, no side effect)."""
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return False
    return True


def copy_binaries(destination: Path) -> Path:
    """Copy bin, lib and share with the wheel's layout kept (initdb finds libpq through
    `$ORIGIN/../../../pgserver.libs`) to a place the server user can read; return the tree."""
    installed = pginstall()
    tree = destination / "pgserver" / "pginstall"
    for part in ("bin", "lib", "share"):
        shutil.copytree(installed / part, tree / part, symlinks=True, copy_function=link_or_copy)
    shutil.copytree(installed.parent.parent / "pgserver.libs", destination / "pgserver.libs",
                    symlinks=True, copy_function=link_or_copy)
    return tree


def link_or_copy(source: str, destination: str) -> None:
    """A hard link costs nothing (a copy of the 27 MB takes ~0.6 s); copy only when
    /tmp is on another file system. The linked files are world-readable already."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


class PostgresServer:
    """One PostgreSQL server whose log lives in `folder`, and its data and socket too unless
    it runs under root or `folder` is too deep for a socket path (then a short /tmp folder).

    `start` creates the cluster the first time, then starts the server on 127.0.0.1 at a
    port chosen once, so URLs handed out stay valid across `stop`/`start`. Host connections
    need a password (scram-sha-256), so a wrong password really fails; the superuser
    `postgres` is reached without one through the unix socket only.
    """

    USER = "attendance"
    PASSWORD = "door-secret"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.port = free_port()
        self.log_path = self.folder / "postgres.log"
        self._as_root = os.geteuid() == 0
        self._temporary: list[Path] = []
        self._home: Path | None = None
        self._socket_dir: Path | None = None
        self._bin: Path | None = None
        self._running = False

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Create the cluster if needed, start the server and make sure role `USER` exists.
        Raises RuntimeError (one line: why, what to do, log tail) when that fails."""
        if self._running:
            return
        self._prepare()
        if not (self._data / "PG_VERSION").is_file():
            self._initdb()
        self._pg_ctl_start()
        self._running = True
        self._ensure_role()

    def stop(self) -> None:
        """Shut the server down (fast mode: disconnect clients, checkpoint) and wait."""
        if not self._running:
            return
        self._run([str(self._binary("pg_ctl")), "stop", "-D", str(self._data), "-m", "fast", "-w",
                   "-t", str(START_TIMEOUT)], self.log_path)
        self._running = False

    def crash(self) -> None:
        """Stop the server as a crash or a power cut would (immediate mode: no checkpoint);
        the next `start` runs crash recovery, which empties unlogged tables."""
        if not self._running:
            return
        self._run([str(self._binary("pg_ctl")), "stop", "-D", str(self._data), "-m",
                   "immediate", "-w", "-t", str(START_TIMEOUT)], self.log_path)
        self._running = False

    def remove(self) -> None:
        """Delete the cluster and the temporary folders; the log in `folder` is kept."""
        if self._home is not None:
            shutil.rmtree(self._data, ignore_errors=True)
        for path in self._temporary:
            shutil.rmtree(path, ignore_errors=True)
        self._temporary.clear()
        self._home = self._socket_dir = self._bin = None

    def __enter__(self) -> PostgresServer:
        """Start; a failed start removes what it made, since `__exit__` will not run."""
        try:
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
        self.remove()

    # -- databases -------------------------------------------------------------------------

    def url(self, database: str, password: str | None = None, host: str = "127.0.0.1") -> str:
        """The URL a door would be configured with; `password` overrides the real one."""
        secret = self.PASSWORD if password is None else password
        return f"postgresql://{self.USER}:{secret}@{host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database owned by `USER` and return its URL."""
        with self.superuser() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(self.USER)))
        return self.url(name)

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (base/, pg_wal/ …), for tests that read its files."""
        return self._data

    def superuser(self, database: str = "postgres") -> psycopg.Connection[Any]:
        """The superuser on `database` over the unix socket, in autocommit (CHECKPOINT …)."""
        return psycopg.connect(host=str(self._socket_dir), port=self.port, user="postgres",
                               dbname=database, autocommit=True)

    # -- internals -------------------------------------------------------------------------

    @property
    def _data(self) -> Path:
        assert self._home is not None, "start() first"
        return self._home / "data"

    def _prepare(self) -> None:
        """Decide, once, where the data, socket and binaries are (see the module docstring)."""
        if self._home is not None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            ensure_server_user()
            self._home = self._temporary_folder("attendance-pg-")
            self._bin = copy_binaries(self._home) / "bin"
        else:
            self._home = self.folder
            self._bin = pginstall() / "bin"
        self._socket_dir = self._home / "socket"
        if len(str(self._socket_dir / f".s.PGSQL.{self.port}.lock")) > MAX_SOCKET_PATH:
            self._socket_dir = self._temporary_folder("pgsock-")
        self._socket_dir.mkdir(exist_ok=True)
        self._give_to_server(self._socket_dir)

    def _temporary_folder(self, prefix: str) -> Path:
        """A short folder under /tmp, owned by the server user, removed by `remove`."""
        path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
        self._temporary.append(path)
        self._give_to_server(path)
        return path

    def _give_to_server(self, path: Path) -> None:
        """Under root, hand `path` to the server user, who must write (or read) it."""
        if self._as_root:
            shutil.chown(path, SERVER_USER, SERVER_USER)

    def _binary(self, name: str) -> Path:
        assert self._bin is not None, "start() first"
        return self._bin / name

    def _initdb(self) -> None:
        """A cluster whose host connections need scram-sha-256 passwords. The superuser's
        password is random and forgotten: the tests reach it through the socket only."""
        assert self._home is not None
        pwfile = self._home / "superuser-password"
        pwfile.write_text(secrets.token_hex(16) + "\n")
        self._give_to_server(pwfile)
        try:
            self._run([str(self._binary("initdb")), "-D", str(self._data), "--username=postgres",
                       f"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust",
                       "--encoding=UTF8", "--locale=C", "--no-instructions"],
                      self.folder / "initdb.log",
                      failure="initdb failed; the log says why (disk full? folder not writable?)")
        finally:
            pwfile.unlink()

    def _pg_ctl_start(self) -> None:
        """Start through pg_ctl -w, which returns once connections are accepted. The server
        inherits the log file opened here (not a pipe, which pg_ctl could block on), so the
        log stays in `folder` even when the server runs as another user."""
        assert self._socket_dir is not None
        options = (f"-h 127.0.0.1 -p {self.port} -k {shlex.quote(str(self._socket_dir))} "
                   "-c max_connections=200 -c shared_buffers=32MB")
        self._run([str(self._binary("pg_ctl")), "start", "-D", str(self._data), "-w",
                   "-t", str(START_TIMEOUT), "-o", options], self.log_path,
                  failure=f"PostgreSQL did not start on 127.0.0.1:{self.port}; the log says why "
                  "(usually the port was taken meanwhile or shared memory is short: retry or free it)")

    def _run(self, command: list[str], log: Path, failure: str | None = None) -> None:
        """Run a PostgreSQL program (as the server user under root), output appended to `log`;
        a non-zero exit raises the one-line RuntimeError when `failure` is given."""
        with log.open("a") as output:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=output,
                                    stderr=subprocess.STDOUT, cwd=self._home, check=False,
                                    timeout=START_TIMEOUT + 30, **self._as_server_user())
        if result.returncode != 0 and failure is not None:
            raise RuntimeError(f"{failure}; see {log} (last lines: {tail(log)})")

    def _as_server_user(self) -> dict[str, Any]:
        """subprocess arguments that drop root (and its groups) for the server user."""
        if not self._as_root:
            return {}
        return {"user": SERVER_USER, "group": SERVER_USER, "extra_groups": []}

    def _ensure_role(self) -> None:
        """Create the doors' login role, which initdb cannot; a restarted cluster has it."""
        with self.superuser() as connection:
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (self.USER,)).fetchone()
            if exists is None:
                # CREATEROLE: `database init` makes the doors' group role, and
                # `database add-door-user` their logins, as a site's owner role would.
                connection.execute(sql.SQL(
                    "CREATE ROLE {} LOGIN CREATEDB CREATEROLE PASSWORD {}").format(
                    sql.Identifier(self.USER), sql.Literal(self.PASSWORD)))


def tail(log: Path) -> str:
    """The last lines of `log` on one line, for an error message."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return "no log"
    return " | ".join(line.strip() for line in lines[-LOG_TAIL_LINES:] if line.strip()) or "log empty"
