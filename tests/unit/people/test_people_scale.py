"""People at scale: the vectorised gallery names exactly whom a plain search through every
encoding names, `forget` erases a person without rewriting the store file, `enrol --folder`
ends with one summary instead of a report per person, and the People dialog reads faces
only for the rows it shows. Timings are in benchmarks/people_scale.py, not here."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from attendance_app.cli import enrol as enrol_command
from attendance_app.cli.main import main
from attendance_app.gui.people_dialog import PeopleDialog
from enrolment import EncodingTable, FaceStore, Gallery, NewEncoding, person_distances
from enrolment.gallery import FAR_BEYOND_TOLERANCE, SINGLE_PHOTO_STRICTER
from tests.support.synthetic_people import face_jpeg, person_name, random_encodings, synthetic_store


def _random_table(seed: int, people: int) -> EncodingTable:
    """1 to 4 encodings per person around a random face; some people share an identical
    encoding, so some probes are exactly as far from two people. Rows come in the store's
    order: each person's first encoding in id order, their later ones mixed in after."""
    rng = np.random.default_rng(seed)
    centres = random_encodings(rng, people)
    counts = rng.integers(1, 5, people)
    owners = np.repeat(np.arange(people), counts)
    vectors = centres[owners] + 0.3 * random_encodings(rng, len(owners))
    firsts = np.r_[0, np.cumsum(counts)[:-1]]
    for person in rng.choice(people - 1, size=people // 5, replace=False):
        vectors[firsts[person + 1]] = vectors[firsts[person]]  # the same face under two names
    later = np.setdiff1d(np.arange(len(owners)), firsts)
    order = np.r_[firsts, rng.permutation(later)]
    return EncodingTable(vectors[order], owners[order] + 1,
                         {pid: f"person {pid}" for pid in range(1, people + 1)})


def _reference(table: EncodingTable, encoding: np.ndarray, tolerance: float,
               margin: float) -> tuple[int | None, float, float, bool, bool]:
    """The gallery rule written out one encoding at a time, as it was before vectorising:
    (person, distance, runner-up, accepted, far)."""
    nearest: dict[int, float] = {}
    for person_id, vector in zip(table.person_ids.tolist(), table.vectors):
        distance = float(np.sqrt(np.sum((vector - encoding) ** 2)))
        if distance < nearest.get(person_id, np.inf):
            nearest[person_id] = distance
    if not nearest:
        return None, np.inf, np.inf, False, True
    counts = Counter(table.person_ids.tolist())

    def tolerance_for(person_id: int) -> float:
        return tolerance if counts[person_id] > 1 else tolerance - SINGLE_PHOTO_STRICTER

    ranked = sorted(nearest.items(), key=lambda item: item[1])  # stable: first enrolled wins ties
    person_id, distance = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else np.inf
    accepted = distance <= tolerance_for(person_id) and runner_up - distance >= margin
    far = all(d > tolerance_for(p) + FAR_BEYOND_TOLERANCE for p, d in ranked)
    return person_id, distance, runner_up, accepted, far


def _probes(table: EncodingTable, seed: int) -> np.ndarray:
    """Copies of enrolled encodings (ties where a face is shared), faces near them, and
    random strangers."""
    rng = np.random.default_rng(seed)
    picks = table.vectors[rng.integers(0, len(table.vectors), 40)]
    offsets = rng.uniform(0.05, 0.6, (40, 1)) * random_encodings(rng, 40)
    return np.concatenate([picks[:15], picks[15:] + offsets[15:], random_encodings(rng, 15)])


@pytest.mark.parametrize("seed, people", [(1, 1), (2, 2), (3, 30), (4, 700)])
@pytest.mark.parametrize("tolerance, margin", [(0.55, 0.05), (0.6, 0.0), (1.5, 0.1)])
def test_vectorised_match_equals_the_plain_search(seed: int, people: int, tolerance: float,
                                                  margin: float) -> None:
    """700 people is over 2,048 encodings: the search runs in several passes."""
    table = _random_table(seed, people)
    gallery = Gallery(table, tolerance, margin)
    ties = 0
    for probe in _probes(table, seed):
        person_id, distance, runner_up, accepted, far = _reference(table, probe, tolerance, margin)
        match = gallery.match(probe)
        assert match.person_id == person_id and match.name == f"person {person_id}"
        assert match.distance == pytest.approx(distance, rel=1e-12, abs=1e-12)
        assert match.runner_up == pytest.approx(runner_up, rel=1e-12, abs=1e-12)
        assert (match.accepted, match.far) == (accepted, far)
        ties += people > 1 and runner_up == distance
    if people >= 30:
        assert ties > 0, "premise: some probes are exactly as far from two people"


@pytest.mark.parametrize("seed, people", [(1, 1), (3, 30), (4, 700)])
def test_person_distances_is_each_persons_nearest_encoding(seed: int, people: int) -> None:
    table = _random_table(seed, people)
    for probe in _probes(table, seed)[::5]:
        plain = {p: float(np.linalg.norm(table.vectors[table.person_ids == p] - probe,
                                         axis=1).min())
                 for p in set(table.person_ids.tolist())}
        assert person_distances(table, probe) == pytest.approx(plain, rel=1e-12)


def test_an_empty_gallery_and_people_it_does_not_know() -> None:
    empty = EncodingTable(np.empty((0, 128)), np.empty(0, dtype=np.int64), {})
    gallery = Gallery(empty, 0.55, 0.05)
    match = gallery.match(random_encodings(np.random.default_rng(0), 1)[0])
    assert (match.person_id, match.accepted, match.far, gallery.size) == (None, False, True, 0)
    assert person_distances(empty, np.zeros(128)) == {}
    assert gallery.tolerance_for(7) == pytest.approx(0.55 - SINGLE_PHOTO_STRICTER)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_adding_to_a_gallery_equals_building_it_with_everyone(metric: str) -> None:
    """Only the added vectors are prepared for the metric (cosine: made unit length), and
    the grown gallery matches exactly as one built with everyone."""
    table = _random_table(5, 40)
    rng = np.random.default_rng(6)
    newcomer, more_of_person_3 = random_encodings(rng, 2), random_encodings(rng, 1)
    grown = Gallery(table, 0.55, 0.05, metric=metric).adding(41, "newcomer", list(newcomer)).adding(
        3, "person 3", list(more_of_person_3))
    whole = Gallery(EncodingTable(np.concatenate([table.vectors, newcomer, more_of_person_3]),
                                  np.r_[table.person_ids, 41, 41, 3],
                                  {**table.names, 41: "newcomer"}), 0.55, 0.05, metric=metric)
    assert grown.size == whole.size == 41
    assert grown.tolerance_for(3) == whole.tolerance_for(3) == 0.55
    for probe in [*newcomer, *_probes(table, 7)]:
        assert grown.match(probe) == whole.match(probe)


def _pieces(blob: bytes, size: int = 32) -> list[bytes]:
    """Slices of `blob` distinctive enough not to occur in the file by chance (SQLite may
    split a row over pages, so the whole blob is not searched for)."""
    return [blob[i:i + size] for i in range(0, len(blob) - size, size)
            if len(set(blob[i:i + size])) >= 16]


def _pages_changed(before: bytes, after: bytes, page_size: int) -> int:
    return sum(before[i:i + page_size] != after[i:i + page_size]
               for i in range(0, max(len(before), len(after)), page_size))


def test_forget_erases_a_person_in_place_without_rewriting_the_file(tmp_path: Path) -> None:
    """VACUUM keeps the file's inode too, so the proof is the pages: forget may write only
    the few that held the person, while a VACUUM rewrites every page after them."""
    path = tmp_path / "faces.sqlite3"
    everyones_picture = face_jpeg()
    store = synthetic_store(path, 300, jpeg=everyones_picture)
    rng = np.random.default_rng(8)
    vectors = random_encodings(rng, 3)
    picture = face_jpeg(seed=9)
    store.enrol("Grace", [NewEncoding(v, f"g{i}.jpg", picture) for i, v in enumerate(vectors)])
    for number in range(5):
        store.enrol(f"Later {number}", [NewEncoding(random_encodings(rng, 1)[0], "l.jpg")])
    before = path.read_bytes()
    # JPEG headers are alike in every picture: only the slices of Grace's own are secret.
    secrets = [p for v in vectors for p in _pieces(v.tobytes())] + [
        p for p in _pieces(picture) if p not in everyones_picture]
    assert sum(piece in before for piece in secrets) > 0.9 * len(secrets), (
        "premise: Grace is in the file (but for slices cut by page boundaries)")
    with closing(sqlite3.connect(path)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]

    store.forget("Grace")
    after = path.read_bytes()
    assert not [piece for piece in secrets if piece in after], "Grace's bytes left in the file"
    assert store.find("Grace") is None and len(store.people()) == 305
    pages = len(before) // page_size
    assert len(after) == len(before), "the file was not rebuilt (a VACUUM shrinks it)"
    assert _pages_changed(before, after, page_size) < 0.02 * pages  # 11 of 1,935 here

    # The count can see a rewrite: the same deletion and a VACUUM change half the pages.
    vacuumed = tmp_path / "vacuumed.sqlite3"
    vacuumed.write_bytes(before)
    with closing(sqlite3.connect(vacuumed)) as db:
        with db:
            db.execute("DELETE FROM encodings WHERE person_id = 301")
        db.execute("VACUUM")
    assert _pages_changed(before, vacuumed.read_bytes(), page_size) > 0.25 * pages


def test_find_is_case_insensitive_beyond_ascii(tmp_path: Path) -> None:
    """SQLite's index folds ASCII letters only; other letters are folded as before."""
    store = FaceStore(tmp_path / "faces.sqlite3")
    for name in ("Éva Núñez", "Straße", "Ada"):
        store.enrol(name, [NewEncoding(np.zeros(128), "x.jpg")])
    assert store.find("  ADA ").name == "Ada"
    assert store.find("éVA NÚÑEZ").name == "Éva Núñez"
    assert store.find("STRASSE").name == "Straße"
    assert store.find("Eva Nunez") is None


def _folder_of_photos(faces_dir: Path, root: Path, photos: dict[str, list[str]]) -> Path:
    for person, files in photos.items():
        (root / person).mkdir(parents=True)
        for file in files:
            shutil.copy(faces_dir / file, root / person / Path(file).name)
    return root


def test_enrol_folder_shows_progress_and_ends_with_one_summary(
        faces_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["enrol", "clapton", str(faces_dir / "enrol/clapton/clapton-1.jpg"), *data]) == 0
    folder = _folder_of_photos(faces_dir, tmp_path / "staff", {
        "clapton": ["enrol/biden/biden.jpg"],  # added to the clapton enrolled above
        "dogs": ["noface/dlib_dogs.jpg"],
        "john": ["probe/lennon/lennon-2.jpg"],  # enrolled first, so lennon looks like him
        "lennon": ["enrol/lennon/lennon-1.jpg", "noface/skimage_coffee.png"],
    })
    monkeypatch.setattr(enrol_command, "PROGRESS_EVERY", 2)
    capsys.readouterr()
    assert main(["enrol", "--folder", str(folder), *data]) == 0
    out, err = capsys.readouterr()

    assert out.splitlines()[0] == f"Enrolled 3 of 4 people from {folder}: 3 faces stored"
    assert "Refused 2 photos:" in out
    assert ("2 x no face found; use a photo where the face is clearly visible "
            "(dogs/dlib_dogs.jpg, lennon/skimage_coffee.png)") in out
    assert "Nobody enrolled for 1 person without a usable photo: dogs" in out
    assert "3 people have fewer than 3 photos (clapton, john, lennon)" in out
    assert 'attendance-app enrol "NAME" PHOTO' in out and "Tip" not in out
    assert "Look-alike warnings for 2 people" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2, "one line per person, no line per refused photo"
    assert warnings[0].startswith("warning: clapton 1 photo does not look like the clapton "
                                  "already enrolled: biden.jpg (")
    assert warnings[1].startswith("warning: lennon looks like john (")
    progress = [line for line in err.splitlines() if line.startswith("Enrolling people")]
    assert progress == ["Enrolling people: 2 of 4", "Enrolling people: 4 of 4"]
    people = {p.name: p.encoding_count for p in FaceStore(tmp_path / "data/faces.sqlite3").people()}
    assert people == {"clapton": 2, "john": 1, "lennon": 1}


def test_people_dialog_reads_faces_only_for_the_rows_in_view(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = synthetic_store(tmp_path / "faces.sqlite3", 2000, jpeg=face_jpeg())
    asked: list[int] = []
    thumbnail = store.face_thumbnail

    def counted(person_id: int) -> bytes | None:
        asked.append(person_id)
        return thumbnail(person_id)

    monkeypatch.setattr(store, "face_thumbnail", counted)
    dialog = PeopleDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: 1 in asked)  # the first row is painted
    assert dialog.names()[:2] == [person_name(1), person_name(2)] and len(dialog.names()) == 2000
    assert "2000 people enrolled" in dialog.summary.text()
    assert len(asked) <= 20, f"{len(asked)} faces read for the first rows"

    dialog.list.scrollToBottom()
    qtbot.waitUntil(lambda: 1999 in asked)
    assert len(asked) <= 40, "faces are read as rows scroll into view, not all at once"

    dialog.search.setText("PERSON 0199")
    assert dialog.names() == [person_name(n) for n in range(1990, 2000)]
    assert "10 match" in dialog.summary.text()
    dialog.select(person_name(5))
    assert dialog.search.text() == "" and dialog.selected_name() == person_name(5)
    assert dialog.rename_button.isEnabled()
    assert len(asked) <= 60
