"""Privacy: biometric data stays private to its owner, stays on this computer, and is
really gone after `forget`.

Each check runs the real command line in a child process on real face photos: the
files' modes as the kernel reports them, the raw bytes of the SQLite file after
`forget`, and every network system call the whole process tree makes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.support.faults_support import cli

# Every command that touches photos or the data folder, in one child process.
ALL_COMMANDS = """
import sys
from attendance_app.cli.main import main
photo, group, data = sys.argv[1:4]
for args in (["enrol", "obama", photo], ["people"], ["identify", group],
             ["run", "--headless", "--source", group], ["export"]):
    assert main([*args, "--data-dir", data]) == 0, args
"""


def _all_commands(faces_dir: Path, data: Path) -> list[str]:
    return [sys.executable, "-c", ALL_COMMANDS, str(faces_dir / "enrol" / "obama" / "obama.jpg"),
            str(faces_dir / "group" / "obama_and_biden.jpg"), str(data)]


def _loose_umask() -> None:
    os.umask(0)  # the child would make world-writable files unless the app says otherwise


def test_store_and_journal_are_owner_only_even_with_a_permissive_umask(
    faces_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    result = subprocess.run(_all_commands(faces_dir, data), capture_output=True, text=True,
                            timeout=300, preexec_fn=_loose_umask, check=False)
    assert result.returncode == 0, result.stderr
    for name in ("faces.sqlite3", "journal.sqlite3"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    # Face pictures live inside faces.sqlite3, never as loose image files.
    assert not [p for p in data.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"}]
    assert sorted(p.name for p in data.iterdir()) == ["attendance.xlsx", "faces.sqlite3",
                                                      "journal.sqlite3"]


# Every kind of file the app writes, in a data folder and folders it makes itself.
EVERY_FILE_WRITTEN = """
import sys
from pathlib import Path
from attendance_app.cli.main import main
from attendance_app.config.save import save_settings
photo, group, data, out = sys.argv[1:5]
data, out = Path(data), Path(out)
for args in (["enrol", "obama", photo], ["run", "--headless", "--source", group,
             "--tracks", str(out / "tracks.csv")], ["report", "--csv", str(out / "new" / "csv")]):
    assert main([*args, "--data-dir", str(data)]) == 0, args
(data / "attendance.xlsx").write_bytes(b"not a workbook")  # damaged: moved aside by export
(data / "attendance.xlsx").chmod(0o666)  # as an older version left it under umask 000
assert main(["export", "--data-dir", str(data)]) == 0
save_settings(out / "settings" / "config.yaml", {("camera", "name"): "Front"})
"""


def test_every_file_the_app_writes_is_owner_only_under_umask_000(
        faces_dir: Path, tmp_path: Path) -> None:
    """Issue 20: workbooks, CSV reports and the tracks file were 0666 under umask 000.
    Files are 0600 (a moved-aside workbook too), folders the app makes 0700."""
    data, out = tmp_path / "deep" / "data", tmp_path / "out"
    out.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", EVERY_FILE_WRITTEN, str(faces_dir / "enrol" / "obama" / "obama.jpg"),
         str(faces_dir / "group" / "obama_and_biden.jpg"), str(data), str(out)],
        capture_output=True, text=True, timeout=300, preexec_fn=_loose_umask, check=False)
    assert result.returncode == 0, result.stderr
    files = [p for p in (*data.rglob("*"), *out.rglob("*")) if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".xlsx", ".csv", ".sqlite3", ".yaml"} <= kinds, files
    assert any(".corrupt-" in p.name for p in files), "the damaged workbook was moved aside"
    assert len([p for p in files if p.suffix == ".csv"]) >= 2, "tracks and reports"
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {
        p.name: "0o600" for p in files}
    folders = [tmp_path / "deep", data, out / "new", out / "new" / "csv", out / "settings"]
    assert {str(f): oct(stat.S_IMODE(f.stat().st_mode)) for f in folders} == {
        str(f): "0o700" for f in folders}


def test_nothing_is_sent_over_a_network(faces_dir: Path, tmp_path: Path) -> None:
    """strace follows every process and thread, native code included (dlib, OpenCV)."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed")
    trace = tmp_path / "network.trace"
    command = ["strace", "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o", str(trace),
               *_all_commands(faces_dir, tmp_path / "data")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if "ptrace" in result.stderr and not trace.exists():
        pytest.skip(f"strace cannot trace here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    calls = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
    assert calls == [], f"network system calls: {calls[:5]}"
    assert (tmp_path / "data" / "attendance.xlsx").is_file(), "the commands really ran"


def _stored(path: Path) -> tuple[bytes, bytes]:
    with closing(sqlite3.connect(path)) as db:
        vector, image = db.execute("SELECT vector, face_image FROM encodings").fetchone()
    return vector, image


def _pieces(blob: bytes, size: int = 32) -> list[bytes]:
    """Distinctive slices of `blob`. SQLite splits a big row over overflow pages, so the
    whole blob is never contiguous in the file; slices with many different byte values
    cannot occur there by chance."""
    return [blob[i:i + size] for i in range(0, len(blob) - size, size)
            if len(set(blob[i:i + size])) >= 16]


def _found(pieces: list[bytes], raw: bytes) -> int:
    return sum(piece in raw for piece in pieces)


def test_forget_leaves_no_encoding_or_face_picture_in_the_file(faces_dir: Path, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert cli("enrol", "obama", str(faces_dir / "enrol" / "obama" / "obama.jpg"), *data).returncode == 0
    store = tmp_path / "faces.sqlite3"
    vector, image = _stored(store)
    assert len(vector) == 128 * 8 and image[:2] == b"\xff\xd8", "a real encoding and JPEG"
    encoding, picture = _pieces(vector), _pieces(image)
    raw = store.read_bytes()
    assert _found(encoding, raw) > 0.9 * len(encoding) and _found(picture, raw) > 0.9 * len(picture), (
        "premise: both are in the file before forget")

    # The check can see remnants: a plain DELETE (no secure_delete, no VACUUM) leaves them.
    careless = tmp_path.parent / "careless.sqlite3"
    shutil.copy(store, careless)
    with closing(sqlite3.connect(careless)) as db:
        db.execute("PRAGMA secure_delete = OFF")
        # Without triggers a DELETE of every row frees whole pages as they are (SQLite's
        # truncate optimisation); the store's change counter (triggers) would make it
        # delete row by row, which happens to reorganise this one small page.
        triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (trigger,) in triggers.fetchall():
            db.execute(f"DROP TRIGGER {trigger}")
        db.execute("DELETE FROM encodings")
        db.commit()
    assert _found(encoding, careless.read_bytes()) > 0.9 * len(encoding)

    result = cli("forget", "obama", *data)
    assert result.returncode == 0, result.stderr
    raw = store.read_bytes()
    assert _found(encoding, raw) == 0, "encoding bytes left in the file"
    assert _found(picture, raw) == 0, "face picture bytes left in the file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["faces.sqlite3"], "no journal or WAL copies"
