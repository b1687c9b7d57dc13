"""The distributions the installed app needs at run time: its requirements, followed.

The third-party notices must name what the app runs on, not whatever else happens to be
installed beside it (pytest, import-linter and the rest of the dev group). So the
closure starts at the `attendance-app` distribution and follows each one's declared
requirements (importlib.metadata), their environment markers and extras evaluated by
`packaging` for this interpreter. A requirement whose distribution is not installed is
left out: the overrides in pyproject.toml remove some on purpose (TensorFlow for fer,
onnxruntime).
"""

from __future__ import annotations

import importlib.metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

APP_DISTRIBUTION = "attendance-app"


def normalise(name: str) -> str:
    """A distribution or extra name as PEP 503 / PEP 685 compare them."""
    return canonicalize_name(name)


def _needed(requirement: Requirement, extras: frozenset[str]) -> bool:
    """Whether a requirement applies when its distribution is installed with `extras`."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in ("", *sorted(extras)))


def run_time_closure(root: str = APP_DISTRIBUTION) -> list[importlib.metadata.Distribution]:
    """Every installed distribution `root` needs at run time, `root` left out, sorted by
    name; PackageNotFoundError when `root` itself is not installed."""
    found: dict[str, importlib.metadata.Distribution] = {}
    extras_of: dict[str, frozenset[str]] = {}
    pending = [(normalise(root), frozenset[str]())]
    while pending:
        name, extras = pending.pop()
        known = extras_of.get(name)
        if known is not None and extras <= known:
            continue
        try:
            distribution = found.get(name) or importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            if name == normalise(root):
                raise
            continue
        found[name] = distribution
        extras_of[name] = extras | (known or frozenset())
        for line in distribution.requires or ():
            requirement = Requirement(line)
            if _needed(requirement, extras_of[name]):
                pending.append((normalise(requirement.name),
                                frozenset(normalise(extra) for extra in requirement.extras)))
    del found[normalise(root)]
    return sorted(found.values(), key=lambda distribution: normalise(distribution.metadata["Name"]))
