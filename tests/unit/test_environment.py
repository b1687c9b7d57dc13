"""What the locked environment installs (issue 24, point 5): filterpy and fer declare
matplotlib, which brought fontTools, kiwisolver, contourpy and cycler (about 60 MB in the
environment and in the bundle) though nothing the app runs imports them; pyproject.toml
overrides them away. tests/system/end_to_end/test_no_matplotlib.py runs the commands and
the window and checks that nothing even tries to import them."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import pytest

ONLY_FOR_MATPLOTLIB = ("matplotlib", "fontTools", "kiwisolver", "contourpy", "cycler")
"""matplotlib and the packages nothing but it asks for (import names)."""


@pytest.mark.parametrize("module", ONLY_FOR_MATPLOTLIB)
def test_matplotlib_and_what_only_it_brings_are_not_installed(module: str) -> None:
    assert importlib.util.find_spec(module) is None, f"{module} is installed"
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.distribution(module)


def test_the_tracker_s_filterpy_works_without_matplotlib() -> None:
    """filterpy stays (the design card names it): its Kalman filter needs no matplotlib."""
    from filterpy.kalman import KalmanFilter

    assert KalmanFilter(dim_x=7, dim_z=4).x.shape == (7, 1)
