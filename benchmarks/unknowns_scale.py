"""What the number of kept unknown faces costs: grouping them (the `unknowns` command and
the "Unknown visitors" dialog), keeping one more, expiring old ones, and the pipeline's
share per look.

The stores hold synthetic sightings as the app keeps them: one real face picture (a
face_thumbnail JPEG of a shared photo, about 5 KB) and three SFace-like encodings per
sighting. Half of the faces are regulars (one person per 10 sightings), half are people
seen once. People are random unit directions around a common one, and a sighting is its
person's direction plus noise, tuned to the spreads of real SFace encodings of the
shared faces (1 - cosine: 0.35 between photos of one person, 0.92 between people; the
synthetic people spread less than real ones, so the grouping is timed on a population
where groups stay about the size of a person).

- group: `unknown_groups` (read every sighting's encodings, then average linkage cut at
  SFace's tolerance per connected component) and of that the clustering alone, with
  tracemalloc's peak; beside it, one plain scipy linkage over every face (pdist, then
  linkage), which needs all pairwise distances at once.
- command: `attendance-app unknowns` in a child process, start to end (Python, imports,
  expiry check, grouping, printing).
- dialog: the "Unknown visitors" dialog (Qt offscreen) from opening until its rows are
  painted (grouping runs in its background thread), and of that the longest the GUI
  thread was busy at once (what a user would feel as a freeze).
- keep one: what the saver thread does per pass (JPEG of the crop, one commit).
- expire: deleting one day's share of faces (of keep_days 30), and the check when none
  is due.
- per look: UnknownFaces.saw for a clear 100 px face in a 960x540 frame, the only
  pipeline cost that comes with the feature (median of 2,000; no cost when it is off).
- at the cap (unknowns.max_faces, each size taken as the cap): a save that drops the
  oldest face (UnknownStore.trim after add, as the saver does), and the file's size.
- busy scene: how many faces a real crowd leaves, from `run --headless` on the shared
  walkers video (people walking towards the camera the whole time), per minute of video.

    uv run python -m benchmarks.unknowns_scale [--faces 1000 10000] [--busy]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist

from attendance_app.camera.images import load_rgb
from attendance_app.config.settings import AppConfig
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.encoders import Look
from attendance_app.recognition.photos import face_thumbnail, faces_in_photo
from attendance_app.types import Box
from attendance_app.unknowns.clustering import cluster
from attendance_app.unknowns.collector import UnknownFaces
from attendance_app.unknowns.groups import unknown_groups
from attendance_app.unknowns.saver import Pass, SightingSaver
from attendance_app.unknowns.store import UNKNOWNS_FILE, NewSighting, UnknownStore
from tests.support.scenes import DEFAULT_FACES

TOLERANCE = AppConfig().recognition.sface_tolerance
LOOKS = 3
SIGHTINGS_PER_REGULAR = 10
COMMON = 0.39
"""Weight of the common direction in each person's: people then sit about 0.92 apart."""
NOISE = 0.73
"""Length of a sighting's noise against its person's unit direction: 0.35 apart."""


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def population(rng: np.random.Generator, faces: int) -> tuple[np.ndarray, np.ndarray]:
    """(faces, LOOKS, 128) encodings and each sighting's person."""
    regulars = faces // 2 // SIGHTINGS_PER_REGULAR
    owners = np.concatenate([np.repeat(np.arange(regulars), SIGHTINGS_PER_REGULAR),
                             np.arange(regulars, regulars + faces - regulars * SIGHTINGS_PER_REGULAR)])
    common = _unit(rng.normal(size=128))
    people = _unit(COMMON * common + _unit(rng.normal(size=(owners.max() + 1, 128))))
    per_look = NOISE / np.sqrt(128)
    centres = _unit(people[owners] + rng.normal(scale=per_look, size=(faces, 128)))
    looks = _unit(centres[:, None, :] + rng.normal(scale=per_look / 3, size=(faces, LOOKS, 128)))
    return looks.astype(np.float64), owners


def face_picture(faces: Path) -> bytes:
    """A real kept face picture: face_thumbnail of a shared photo."""
    rgb = load_rgb(faces / "stranger" / "openface_adams.jpg")
    face = faces_in_photo(SFaceEngine(), rgb)[0]
    return face_thumbnail(rgb, face.box)


def fill(path: Path, looks: np.ndarray, picture: bytes, now: datetime) -> None:
    """Sightings over the last 30 days, written as UnknownStore.add writes them but in one
    transaction (building the store is not what is measured)."""
    UnknownStore(path)
    count = len(looks)
    with closing(sqlite3.connect(path)) as db, db:
        for index, vectors in enumerate(looks):
            seen = now - timedelta(days=30 * (count - index) / count)
            row = db.execute("INSERT INTO sightings (seen_at, camera, face_px, face_image)"
                             " VALUES (?, 'Door', 100, ?)",
                             (seen.isoformat(timespec="seconds"), picture)).lastrowid
            db.execute("INSERT INTO sighting_vectors VALUES (?, 'sface', ?)",
                       (row, vectors.tobytes()))


@contextmanager
def timed(into: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into[name] = time.perf_counter() - started


def peak_mb(work: Callable[[], object]) -> tuple[float, float]:
    """(seconds, peak MB traced) of one call."""
    tracemalloc.start()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak


def purity(groups: list[tuple[int, ...]], owners: dict[int, int]) -> tuple[int, int]:
    """(groups holding more than one person, people split over several groups)."""
    mixed = sum(1 for group in groups if len({owners[i] for i in group}) > 1)
    seen: dict[int, set[int]] = {}
    for number, group in enumerate(groups):
        for i in group:
            seen.setdefault(owners[i], set()).add(number)
    return mixed, sum(1 for numbers in seen.values() if len(numbers) > 1)


def measure(faces: int, picture: bytes, folder: Path) -> dict[str, float]:
    rng = np.random.default_rng(faces)
    looks, owners = population(rng, faces)
    path = folder / UNKNOWNS_FILE
    now = datetime.now().replace(microsecond=0)
    fill(path, looks, picture, now)
    store = UnknownStore(path)
    out: dict[str, float] = {"faces": faces, "people": int(owners.max()) + 1,
                             "file_mb": path.stat().st_size / 1e6}
    with timed(out, "group_s"):
        groups = unknown_groups(store, "sface", "cosine", TOLERANCE)
    out["groups"] = len(groups)
    out["mixed"], out["split"] = purity([g.sighting_ids for g in groups],
                                        {i + 1: int(o) for i, o in enumerate(owners)})
    means = _unit(looks.mean(axis=1))
    out["cluster_s"], out["cluster_mb"] = peak_mb(lambda: cluster(means, "cosine", TOLERANCE))
    out["whole_s"], out["whole_mb"] = peak_mb(
        lambda: fcluster(linkage(pdist(means, "cosine"), "average"), TOLERANCE, "distance"))

    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "attendance_app", "unknowns", "--data-dir",
                             str(folder), "--config", str(folder / "config.yaml")],
                            capture_output=True, text=True, check=True)
    out["command_s"] = time.perf_counter() - started
    assert result.stdout.count("\n") == len(groups) + 2, result.stdout[-500:]
    out["dialog_s"], out["dialog_step_s"] = dialog_s(folder)

    crop = np.full((160, 160, 3), 128, np.uint8)
    saver = SightingSaver(store, keep_days=30, max_faces=faces + 21)  # measured apart
    started = time.perf_counter()
    for _ in range(20):
        saver.put(Pass(now, "Door", crop, Box(30, 30, 130, 130), 100, "sface", looks[0]))
    saver.close()  # returns when all 20 are saved
    out["keep_one_ms"] = (time.perf_counter() - started) / 20 * 1000

    cap = store.count()
    store.add(NewSighting(now, "Door", picture, 100, "sface", looks[0]))
    with timed(out, "trim_s"):  # one over the cap: the oldest goes, as after a save at it
        assert store.trim(cap) == 1
    with timed(out, "expire_none_s"):
        store.expire(30, now)
    with timed(out, "expire_day_s"):
        out["expired"] = store.expire(30, now + timedelta(days=1))
    return out


def dialog_s(folder: Path) -> tuple[float, float]:
    """(seconds until the dialog's rows are painted, longest GUI-thread step in seconds)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from attendance_app.app.workspace import Workspace
    from attendance_app.config.settings import parse_config
    from attendance_app.gui.unknowns_dialog import UnknownsDialog

    app = QApplication.instance() or QApplication([])
    workspace = Workspace.resolve(parse_config("unknowns:\n  keep_days: 30\n"), folder, None)
    started = time.perf_counter()
    longest = 0.0
    dialog = UnknownsDialog(workspace, workspace.store())
    dialog.show()
    longest = time.perf_counter() - started
    while dialog.busy or not dialog.numbers():
        step = time.perf_counter()
        app.processEvents()
        longest = max(longest, time.perf_counter() - step)
        time.sleep(0.002)
    step = time.perf_counter()
    dialog.repaint()  # paints now, as the event loop would on the next refresh
    app.processEvents()
    longest = max(longest, time.perf_counter() - step)
    elapsed = time.perf_counter() - started
    dialog.reject()
    dialog.deleteLater()
    app.processEvents()
    return elapsed, longest


def busy_scene(faces: Path) -> tuple[int, float]:
    """(faces kept, seconds of video) of `run --headless` on the shared walkers video with
    unknowns kept and nobody enrolled: every clear passer-by is an unknown visitor."""
    import cv2

    video = faces / "video" / "walkers_royal_opera_house.mp4"
    capture = cv2.VideoCapture(str(video))
    seconds = capture.get(cv2.CAP_PROP_FRAME_COUNT) / capture.get(cv2.CAP_PROP_FPS)
    capture.release()
    with tempfile.TemporaryDirectory(prefix="unknowns-busy-") as folder:
        config = Path(folder) / "config.yaml"
        config.write_text("unknowns:\n  keep_days: 30\n")
        subprocess.run([sys.executable, "-m", "attendance_app", "run", "--headless", "--source",
                        str(video), "--data-dir", folder, "--config", str(config)],
                       capture_output=True, text=True, check=True)
        return UnknownStore(Path(folder) / UNKNOWNS_FILE).count(), seconds


def per_look_us(folder: Path) -> float:
    """Median cost of UnknownFaces.saw for a clear face that is the largest of its track."""
    saver = SightingSaver(UnknownStore(folder / UNKNOWNS_FILE), 30, 10000)
    faces = UnknownFaces(saver, "sface", "Door")
    frame = np.zeros((540, 960, 3), np.uint8)
    times = []
    for n in range(2000):
        look = Look(n, n, datetime.now(), True)
        started = time.perf_counter()
        faces.saw(look, frame, Box(400, 200, 500, 300))
        times.append(time.perf_counter() - started)
        faces.doubted(n)
    faces.close({})
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--shared-faces", type=Path, default=DEFAULT_FACES)
    parser.add_argument("--busy", action="store_true",
                        help="also count the faces the shared walkers video leaves")
    args = parser.parse_args()
    if args.busy:
        kept, seconds = busy_scene(args.shared_faces)
        per_minute = kept / seconds * 60
        print(f"busy scene: {kept} faces kept from {seconds:.1f} s of walkers video: "
              f"{per_minute:,.0f} a minute, {per_minute * 60 * 24:,.0f} a day non-stop")
    picture = face_picture(args.shared_faces)
    with tempfile.TemporaryDirectory(prefix="unknowns-look-") as folder:
        look = per_look_us(Path(folder))
    print(f"kept face picture: {len(picture)} bytes; per look (UnknownFaces.saw): {look:.1f} µs")
    print("| faces | people | groups | mixed / split | file MB | group (s) | of which clustering "
          "(s, peak MB) | one whole linkage (s, peak MB) | `unknowns` command (s) | dialog (s; "
          "longest GUI step, s) | keep one (ms) | drop the oldest at the cap (ms) | expire a "
          "day (s, faces) | expiry check, none due (ms) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for faces in args.faces:
        with tempfile.TemporaryDirectory(prefix="unknowns-scale-") as folder:
            (Path(folder) / "config.yaml").write_text("unknowns:\n  keep_days: 30\n")
            r = measure(faces, picture, Path(folder))
        print(f"| {faces:,} | {r['people']:,.0f} | {r['groups']:,.0f} | {r['mixed']:.0f} / "
              f"{r['split']:.0f} | {r['file_mb']:.1f} | {r['group_s']:.2f} | "
              f"{r['cluster_s']:.2f}, {r['cluster_mb']:.0f} | {r['whole_s']:.2f}, "
              f"{r['whole_mb']:.0f} | {r['command_s']:.2f} | {r['dialog_s']:.2f}; "
              f"{r['dialog_step_s']:.2f} | {r['keep_one_ms']:.1f} | {r['trim_s'] * 1000:.1f} | "
              f"{r['expire_day_s']:.3f}, {r['expired']:.0f} | {r['expire_none_s'] * 1000:.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
