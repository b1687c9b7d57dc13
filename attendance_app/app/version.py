"""The installed app's version, from its package metadata (the downloadable app carries
that metadata too), without importing anything of the app: `--version`, the log's first
line, the About box and the third-party notices all say the same."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "attendance-app"


def app_version() -> str:
    """The version, or "(not installed)" in a bare checkout."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "(not installed)"
