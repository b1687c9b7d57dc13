"""The HTTP API (attendance_app.web.api) in a bare FastAPI application, for its tests and
benchmarks/web_api.py: in the test's process (FastAPI's TestClient), or served by a real
uvicorn in a child process on a free port (`python -m tests.support.web_api DATA PORT`).

The web pages' application (attendance_app.web.app) includes the same router; the API's
tests need none of its pages, so they build the smallest application around it here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig, load_config
from attendance_app.web.api import build_api_router
from attendance_app.web.api.tokens import WEB_FILE, TokenBook

REPO = Path(__file__).resolve().parents[2]


def workspace_for(data: Path, database: str = "", config: Path | None = None) -> Workspace:
    """The workspace of data folder `data` (with the central database `database`, when
    given), with the default settings or those of `config`."""
    settings = AppConfig() if config is None else load_config(config)
    return Workspace.resolve(settings, data, None, database or None)


def api_app(workspace: Workspace) -> FastAPI:
    """A bare application serving only the API of `workspace` (and /docs)."""
    app = FastAPI(title="attendance-app API")
    app.include_router(build_api_router(workspace))
    return app


def tokens_in(data: Path) -> tuple[str, str]:
    """(a viewer's token, an admin's token) made in `data`'s web file."""
    book = TokenBook(data / WEB_FILE)
    return book.add("reader", "viewer"), book.add("boss", "admin")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(data: Path, log: Path, database: str = "", config: Path | None = None) -> Iterator[str]:
    """The API of `data` served by uvicorn in a child process (its output into `log`),
    with the settings of `config` (None: the defaults); yields its base URL, and stops it
    at the end."""
    port = free_port()
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.web_api", str(data), str(port), database or "-",
             str(config or "-")],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(REPO)})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert child.poll() is None, log.read_text(errors="replace")
                try:
                    httpx.get(f"{base}/docs", timeout=1)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the API did not start in 60 s"
                    time.sleep(0.1)
            yield base
        finally:
            child.terminate()
            child.wait(timeout=30)


def main() -> None:
    """Serve the API of the data folder argv[1] on 127.0.0.1:argv[2] (argv[3]: the central
    database's URL, argv[4]: the settings file; "-" for none), with uvicorn's access log on."""
    import uvicorn

    data, port, database, config = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    workspace = workspace_for(data, "" if database == "-" else database,
                              None if config == "-" else Path(config))
    uvicorn.run(api_app(workspace), host="127.0.0.1", port=port,
                log_level="info", timeout_keep_alive=60)


if __name__ == "__main__":
    main()
