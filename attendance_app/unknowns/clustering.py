"""Grouping face encodings by person: average-linkage clustering cut at the engine's
tolerance, the distance at which the app takes two faces for one person.

Average linkage (UPGMA, scipy.cluster.hierarchy) merges two groups when their faces are,
on average, within the cut. Single linkage, which merges on the nearest pair alone,
chains look-alikes together: on the shared faces (59 people, 119 photos, dlib) it put
two pairs of different people into one group where average linkage put one; with SFace
all three linkages found the 59 people exactly.

A full linkage needs every pairwise distance at once: n^2 / 2 numbers, 400 MB at 10,000
faces. It is not needed: two groups merged by average linkage at a height within the cut
hold a pair of faces within the cut (the smallest of the distances they average), so
every group lies inside one connected component of the graph joining the faces within
the cut. That graph is found block by block in bounded memory, and the linkage runs on
each component apart: the same groups, with memory for the largest component only.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import pdist

BLOCK_ENTRIES = 4_000_000
"""Distances computed per block when looking for pairs within the cut (32 MB)."""

SLACK = 1e-9
"""Pairs this much beyond the cut still join the graph: its distances (a matrix product)
and pdist's may differ in the last bits, and the graph must not miss a pair pdist keeps."""


def _prepared(vectors: np.ndarray, metric: str) -> np.ndarray:
    """(n, d) float64 rows; unit length for "cosine" (1 - cosine similarity)."""
    rows = np.asarray(vectors, dtype=np.float64)
    if metric == "cosine":
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)
    if metric != "euclidean":
        raise ValueError(f"unknown metric {metric!r}; use euclidean or cosine")
    return rows


def _block_distances(block: np.ndarray, rows: np.ndarray, metric: str) -> np.ndarray:
    """Distances from each row of `block` to each of `rows` (both _prepared)."""
    products = block @ rows.T
    if metric == "cosine":
        return 1.0 - products
    squared = (np.einsum("ij,ij->i", block, block)[:, None]
               + np.einsum("ij,ij->i", rows, rows)[None, :] - 2.0 * products)
    return np.sqrt(np.maximum(squared, 0.0))


def components_within(rows: np.ndarray, metric: str, cut: float) -> np.ndarray:
    """For each row, the number of its connected component in the graph joining rows
    within `cut` of each other (a row alone is a component of its own)."""
    count = len(rows)
    step = max(1, BLOCK_ENTRIES // max(count, 1))
    sources, targets = [], []
    for start in range(0, count, step):
        near = _block_distances(rows[start:start + step], rows[start:], metric) <= cut + SLACK
        i, j = np.nonzero(near)
        keep = j > i  # each pair once, from the earlier row; not a row to itself
        sources.append(i[keep] + start)
        targets.append(j[keep] + start)
    edges = np.concatenate(sources) if sources else np.zeros(0, dtype=np.int64)
    ends = np.concatenate(targets) if targets else np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges, ends)), shape=(count, count))
    return connected_components(graph, directed=False)[1]


def cluster(vectors: np.ndarray, metric: str, cut: float) -> np.ndarray:
    """Group label of each row of `vectors` (n, d): rows with the same label are one
    person by average linkage in `metric` ("euclidean", or "cosine" for 1 - cosine
    similarity) cut at distance `cut`. Labels are 0.. in order of each group's first row,
    so the same input always gives the same labels."""
    rows = _prepared(vectors, metric)
    labels = np.full(len(rows), -1, dtype=np.int64)
    if not len(rows):
        return labels
    components = components_within(rows, metric, cut)
    order = np.argsort(components, kind="stable")
    bounds = np.flatnonzero(np.diff(components[order])) + 1
    sub_labels = np.zeros(len(rows), dtype=np.int64)  # within each component
    for members in np.split(order, bounds):
        if len(members) > 2:
            tree = linkage(pdist(rows[members], metric), method="average")
            sub_labels[members] = fcluster(tree, cut, criterion="distance")
    # Number the groups by their first row, whatever order components came in.
    keys = components.astype(np.int64) * (len(rows) + 1) + sub_labels
    _, first_rows, inverse = np.unique(keys, return_index=True, return_inverse=True)
    rank = np.empty(len(first_rows), dtype=np.int64)
    rank[np.argsort(first_rows)] = np.arange(len(first_rows))
    return rank[inverse]
