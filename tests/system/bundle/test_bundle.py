"""The downloadable app (issue 24, point 2): the folder packaging/attendance-app.spec
builds, started as a user without Python would start it (tests/support/bundle.py), from a
read-only copy, on the shared faces.

The folder is built once per run with packaging/build_linux.sh (about 3 minutes on 2
cores), or taken from ATTENDANCE_BUNDLE, the folder the GitHub workflow
(.github/workflows/bundle.yml) built on Windows, macOS or Linux. Each start loads the
models, so each test proves several things with few starts.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from attendance_app.faces.expression import EXPRESSIONS
from exports import ExcelWorkbook
from tests.support.bundle import PROGRAM, WINDOWS, Bundle, snapshot
from tests.support.desktop_entries import keys, unquoted
from tests.support.gui_process import CRASH_SIGNS
from tests.support.processes import child_pids
from tests.support.scenes import probe_people

REPO = Path(__file__).resolve().parents[3]
BUNDLE_VARIABLE = "ATTENDANCE_BUNDLE"
LINUX = sys.platform.startswith("linux")
VIDEO = Path("video") / "walkers_royal_opera_house.mp4"
PEOPLE = ("obama", "biden", "lennon", "bbt_howard")
"""Enrolled from their shared photos, each named in a probe photo by either engine (the
walkers of tests/system/end_to_end/test_end_to_end.py)."""
WINDOW_TIMEOUT_S = 300
NOTICES = "THIRD-PARTY-NOTICES.txt"


@pytest.fixture(scope="session")
def built_bundle() -> Path:
    """The built app's folder: ATTENDANCE_BUNDLE, or built now from the locked environment."""
    given = os.environ.get(BUNDLE_VARIABLE)
    if given:
        folder = Path(given)
    elif LINUX:
        build = subprocess.run(["bash", str(REPO / "packaging" / "build_linux.sh")], cwd=REPO,
                               capture_output=True, text=True, check=False)
        assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-5000:]
        folder = REPO / "dist" / "attendance-app"
    else:
        pytest.fail(f"set {BUNDLE_VARIABLE} to the folder built with packaging/attendance-app.spec")
    assert (folder / PROGRAM).is_file(), f"no {PROGRAM} in {folder}"
    return folder


@pytest.fixture(scope="module")
def bundle(built_bundle: Path) -> Iterator[Bundle]:
    """A read-only copy of the built folder; removed after the tests."""
    copy = Bundle.copied(built_bundle)
    yield copy
    copy.remove()


@pytest.fixture(autouse=True)
def app_folder_unchanged(bundle: Bundle) -> Iterator[None]:
    """The app never writes beside itself: no cache, no __pycache__, no log in its folder."""
    before = snapshot(bundle.app)
    yield
    after = snapshot(bundle.app)
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the app changed its own folder: {changed[:10]}"


@pytest.fixture(scope="module")
def video(bundle: Bundle, faces_dir: Path) -> Path:
    """The shared real video, copied where the app's user can read it (the shared folder's
    parents may be closed to `nobody`)."""
    return bundle.readable_copy(faces_dir / VIDEO, "video", VIDEO.name)


@pytest.fixture
def home(bundle: Bundle, request: pytest.FixtureRequest) -> Path:
    """A fresh home of the app's user, for this test alone."""
    return bundle.owned_folder("homes", request.node.name)


def _settings(bundle: Bundle, home: Path, name: str, text: str) -> str:
    path = bundle.owned_folder(*home.relative_to(bundle.work).parts, "settings") / name
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return str(path)


def _named(stdout: str) -> dict[str, list[str]]:
    """`identify`'s output: each photo's file name -> the names (or Unknown) of its faces."""
    named: dict[str, list[str]] = {}
    photo = ""
    for line in stdout.splitlines():
        if not line.startswith(" ") and ": " in line:
            photo = Path(line.rsplit(": ", 1)[0]).name
            named[photo] = []
        elif match := re.match(r"\s+x=\S+ y=\S+ w=\S+ h=\S+\s+(.+?)\s+distance", line):
            named[photo].append(match.group(1))
    return named


def _enrol_walker(bundle: Bundle, home: Path, enrol_dir: Path, *options: str) -> None:
    crop = next((enrol_dir / "walker_01").iterdir())
    photo = bundle.readable_copy(crop, "photos", "walker_01", crop.name)
    enrolled = bundle.run(home, "enrol", "walker_01", str(photo), *options)
    assert enrolled.returncode == 0, enrolled.stderr[-3000:]


def _workers_environments(pid: int) -> list[dict[str, str]]:
    """The environment each child process of `pid` was started with (Linux's /proc)."""
    found = []
    for child in child_pids(pid):
        try:
            raw = Path(f"/proc/{child}/environ").read_bytes()
        except OSError:
            continue
        found.append(dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item))
    return found


def _assert_users_paths(environment: dict[str, str], bundle: Bundle, users: Path,
                        qt: bool) -> None:
    """A program the app started got the user's LD_LIBRARY_PATH, none of the app's library
    folder, and with `qt` (the window, which has read them) no Qt path into the app."""
    entries = environment.get("LD_LIBRARY_PATH", "").split(os.pathsep)
    assert str(users) in entries, environment
    internal = (bundle.app / "_internal").resolve()
    assert not [entry for entry in entries if Path(entry).resolve().is_relative_to(internal)], entries
    assert "LD_LIBRARY_PATH_ORIG" not in environment
    if qt:
        assert not environment.get("QT_PLUGIN_PATH", "").startswith(str(bundle.app)), environment


def test_version_enrolment_and_identification_with_both_engines(
        bundle: Bundle, home: Path, enrol_dir: Path, faces_dir: Path) -> None:
    """--version, and the third-party notices beside the program and in its data folder;
    on Linux, `menu add` writes an entry that starts this copy with its icon;
    `enrol --folder` (photos encoded by worker processes); each probe named by sface and
    by dlib; and `recognition.landmarks: large`, whose model the download leaves out,
    refused in one line saying why."""
    shown = bundle.run(home, "--version")
    assert shown.returncode == 0 and shown.stdout.strip() == f"attendance-app {version('attendance-app')}"
    for folder in (bundle.app, bundle.app / "_internal"):
        assert "third-party notices" in (folder / NOTICES).read_text(encoding="utf-8")[:200]
    if LINUX:  # the menu entry names this copy's program and icon
        added = bundle.run(home, "menu", "add")
        assert added.returncode == 0, added.stderr[-3000:]
        entry = keys((home / ".local/share/applications/attendance-app.desktop").read_text())
        assert unquoted(entry["Exec"]) == [str(bundle.program.resolve())]
        assert Path(entry["Icon"]).is_relative_to(bundle.app.resolve()) and Path(entry["Icon"]).is_file()

    for person in PEOPLE:
        for photo in sorted((enrol_dir / person).iterdir()):
            bundle.readable_copy(photo, "enrol", person, photo.name)
    enrolled = bundle.run(home, "enrol", "--folder", str(bundle.work / "enrol"))
    assert enrolled.returncode == 0, enrolled.stderr[-3000:]
    listed = bundle.run(home, "people")
    assert all(person in listed.stdout for person in PEOPLE), listed.stdout

    probes = [str(bundle.readable_copy(photo, "probes", f"{name}{photo.suffix}"))
              for name, photo in probe_people(faces_dir, PEOPLE)]
    dlib = _settings(bundle, home, "dlib.yaml", "recognition:\n  engine: dlib\n")
    for options in ((), ("--config", dlib)):
        identified = bundle.run(home, "identify", *probes, *options)
        assert identified.returncode == 0, identified.stderr[-3000:]
        assert _named(identified.stdout) == {Path(probe).name: [name]
                                              for name, probe in zip(PEOPLE, probes)}, identified.stdout

    large = _settings(bundle, home, "large.yaml",
                      "recognition:\n  engine: dlib\n  landmarks: large\n")
    refused = bundle.run(home, "identify", probes[0], "--config", large)
    assert refused.returncode == 1
    assert "not in this download" in refused.stderr and "iBUG 300-W" in refused.stderr
    assert "Traceback" not in refused.stderr, refused.stderr[-3000:]


def test_a_headless_run_of_the_real_video_logs_the_walker_with_his_expression(
        bundle: Bundle, home: Path, enrol_dir: Path, video: Path) -> None:
    """`run --headless` to the end, with analytics.emotion on: walker_01 once, with an
    expression, in a workbook in the user's data folder; the encoder worker it starts sees
    the user's library path, not the app's."""
    _enrol_walker(bundle, home, enrol_dir)
    emotion = _settings(bundle, home, "emotion.yaml", "analytics:\n  emotion: true\n")
    users_libraries = bundle.owned_folder("user-libraries")
    process = bundle.start(home, "run", "--headless", "--source", str(video),
                           "--config", emotion, LD_LIBRARY_PATH=str(users_libraries))
    environments: list[dict[str, str]] = []
    owner = -1
    while LINUX and process.poll() is None and not environments:
        environments = _workers_environments(process.pid)
        owner = Path(f"/proc/{process.pid}").stat().st_uid
        time.sleep(0.05)
    # A worker first seen between its fork and its exec still shows the app's own
    # environment: read it again once it has surely started its program.
    time.sleep(0.5)
    environments = _workers_environments(process.pid) or environments
    out, err = process.communicate(timeout=600)
    if LINUX and bundle.user is not None:
        assert owner == bundle.user[0], "the app must run as the unprivileged user"

    assert process.returncode == 0, err[-3000:]
    assert "Processed 105 frames" in out, out
    workbook = Path(out.split("writing to ", 1)[1].splitlines()[0])
    assert not workbook.is_relative_to(bundle.app), workbook
    if not WINDOWS:  # where Windows keeps user data is asked of the system, not of HOME
        assert workbook.is_relative_to(home), workbook
    rows = list(ExcelWorkbook(workbook).read_rows())
    assert [row.name for row in rows] == ["walker_01"]
    label, probability = rows[0].expression.split()
    assert label in EXPRESSIONS and probability.endswith("%")
    if LINUX:
        assert environments, "no worker process seen"
        _assert_users_paths(environments[0], bundle, users_libraries, qt=False)


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM to the app's process group (Windows: terminate); its exit code and stderr."""
    if WINDOWS:
        process.terminate()
    else:
        os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


def test_the_window_opens_offscreen_logs_the_walker_and_exits_0_on_sigterm(
        bundle: Bundle, home: Path, enrol_dir: Path, video: Path) -> None:
    """The window on the real video (offscreen): it logs walker_01 (the workbook appears),
    the programs it starts get the user's library path and no Qt path of the app, and a
    SIGTERM closes it with exit code 0 and a quiet stderr."""
    data = str(bundle.owned_folder(*home.relative_to(bundle.work).parts, "data"))
    _enrol_walker(bundle, home, enrol_dir, "--data-dir", data)
    users_libraries = bundle.owned_folder("user-libraries")
    process = bundle.start(home, "--source", str(video), "--data-dir", data,
                           QT_QPA_PLATFORM="offscreen", LD_LIBRARY_PATH=str(users_libraries))
    workbook = Path(data) / "attendance.xlsx"
    environments: list[dict[str, str]] = []
    deadline = time.monotonic() + WINDOW_TIMEOUT_S
    while not workbook.exists() and process.poll() is None and time.monotonic() < deadline:
        if LINUX and not environments:
            environments = _workers_environments(process.pid)
        time.sleep(0.2)
    if not workbook.exists():
        code, err = _stop(process) if process.poll() is None else (process.returncode, process.stderr.read())
        pytest.fail(f"the window logged nobody (exit {code}); stderr:\n{err[-3000:]}")
    time.sleep(1)  # the row's workbook save finishes
    code, err = _stop(process)

    if not WINDOWS:
        assert code == 0, f"exit code {code}; stderr:\n{err[-3000:]}"
        assert not [sign for sign in CRASH_SIGNS if sign in err], err[-3000:]
    # the encoder process got the SIGTERM too: the window does not wait for what it held
    assert "did not stop" not in err and "leaked semaphore" not in err, err[-3000:]
    assert [row.name for row in ExcelWorkbook(workbook).read_rows()] == ["walker_01"]
    if LINUX:
        assert environments, "no worker process seen"
        _assert_users_paths(environments[0], bundle, users_libraries, qt=True)
