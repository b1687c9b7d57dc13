"""The API served by a real uvicorn (a child process): an upload over the limit is refused
with 413 whether it says its length or streams it in chunks without one (the server stops
reading at the limit, and answers the next request), and no token, good or bad, ever
reaches the server's log.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx

from attendance_app.web.api.identify import MAX_UPLOAD_BYTES
from tests.support.web_api import bearer, served, tokens_in

BOUNDARY = "attendance-test-boundary"


def _multipart_chunks(size: int) -> Iterator[bytes]:
    """A multipart body with one file field `photo` of `size` bytes, in 64 KB chunks."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; "
           "filename=\"huge.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    chunk = b"\xff" * 65_536
    for _ in range(size // len(chunk)):
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def test_oversized_uploads_are_413_and_no_token_is_logged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    viewer, admin = tokens_in(data)
    wrong = "att_" + "W" * 43
    with served(data, tmp_path / "server.log") as base, httpx.Client(base_url=base, timeout=60) as client:
        declared = client.post("/api/identify", headers=bearer(admin),
                               files={"photo": ("huge.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1))})
        assert declared.status_code == 413 and "MB" in declared.json()["error"]
        streamed = client.post(
            "/api/identify", content=_multipart_chunks(4 * MAX_UPLOAD_BYTES),
            headers={**bearer(admin), "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        assert streamed.status_code == 413 and "MB" in streamed.json()["error"]
        assert client.get("/api/events", headers=bearer(wrong)).status_code == 401
        assert client.get("/api/events", headers=bearer(viewer)).status_code == 200
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert log.count("POST /api/identify") == 2 and "413" in log
    for token in (viewer, admin, wrong):
        assert token not in log and token[4:20] not in log
