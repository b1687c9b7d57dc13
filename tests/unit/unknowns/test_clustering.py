"""Grouping unknown faces by person: the shared faces come out as their people, and the
shortcut (a linkage per connected component, found in blocks) gives the groups a plain
average linkage over every face gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist

from attendance_app.camera.images import load_rgb
from attendance_app.config.settings import AppConfig
from attendance_app.faces.sface import SFaceEngine
from attendance_app.recognition.photos import faces_in_photo
from attendance_app.unknowns import clustering

TOLERANCE = AppConfig().recognition.sface_tolerance


@pytest.fixture(scope="module")
def shared_faces(faces_dir: Path) -> tuple[list[str], np.ndarray]:
    """SFace encodings of the LFW people's four photos each and of every stranger photo
    (the largest face), labelled by person."""
    engine = SFaceEngine()
    labels, vectors = [], []
    for person in sorted((faces_dir / "lfw" / "enrol").iterdir()):
        for photo in [*person.iterdir(), *(faces_dir / "lfw" / "probe" / person.name).iterdir()]:
            labels.append(person.name)
            vectors.append(faces_in_photo(engine, load_rgb(photo))[0].encoding)
    for photo in [*(faces_dir / "lfw" / "stranger").iterdir(), *(faces_dir / "stranger").iterdir()]:
        labels.append(photo.stem)
        vectors.append(faces_in_photo(engine, load_rgb(photo))[0].encoding)
    return labels, np.array(vectors)


def _partition(labels: object) -> set[frozenset[int]]:
    groups: dict[object, set[int]] = {}
    for index, label in enumerate(labels):  # type: ignore[call-overload]
        groups.setdefault(label, set()).add(index)
    return {frozenset(group) for group in groups.values()}


def test_the_shared_faces_group_into_their_people(shared_faces: tuple[list[str], np.ndarray]) -> None:
    labels, vectors = shared_faces
    found = clustering.cluster(vectors, "cosine", TOLERANCE)
    assert _partition(found) == _partition(labels)
    assert len(set(labels)) == 59


def test_grouping_by_components_equals_one_whole_linkage(
        shared_faces: tuple[list[str], np.ndarray], monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut (linkage per connected component, found in blocks) gives the groups a
    plain average linkage over every face gives, also with blocks of a few rows, at cuts
    loose enough to join different people."""
    monkeypatch.setattr(clustering, "BLOCK_ENTRIES", 500)
    _, vectors = shared_faces
    rng = np.random.default_rng(1)
    crowd = vectors[rng.integers(0, len(vectors), 300)] + rng.normal(scale=0.01, size=(300, 128))
    for data, metric in ((vectors, "cosine"), (crowd, "cosine"), (crowd, "euclidean")):
        for cut in (0.3, 0.575, 0.8):
            whole = fcluster(linkage(pdist(data, metric), "average"), cut, "distance")
            labels = clustering.cluster(data, metric, cut)
            assert _partition(labels) == _partition(whole), (metric, cut)
            assert labels[0] == 0 and list(labels) == list(clustering.cluster(data, metric, cut))
