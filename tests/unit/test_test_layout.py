"""The tests' own layout (issue 21, point 9): unit tests mirror the packages, system tests
sit in their groups, shared helpers live in tests/support/ only, and the markers are
set by where a test is and what it uses.

A test that imports a benchmark, or another test module, breaks when that module changes
for its own reasons (a benchmark's defaults, a test renamed); tests/support/ is the one
place both may import from.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tomllib

from tests.support.markers import SLOW

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
SYSTEM_GROUPS = {"cli", "gui", "faults", "central", "end_to_end", "bundle", "web"}
LIBRARIES = {"trackers", "enrolment", "exports"}


def _imported(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_tests_import_no_benchmark_and_no_other_test_module() -> None:
    wrong = [f"{path.relative_to(REPO)} imports {name}"
             for path in sorted(TESTS.rglob("*.py"))
             for name in sorted(_imported(path))
             if name.split(".")[0] == "benchmarks"
             or (name.startswith("tests.") and not name.startswith("tests.support"))]
    assert not wrong, "move what is shared into tests/support/:\n" + "\n".join(wrong)


def test_every_test_file_sits_beside_its_package_or_in_a_system_group() -> None:
    packages = LIBRARIES | {path.parent.name for path in (REPO / "attendance_app").glob("*/__init__.py")}
    misplaced = []
    for path in sorted(TESTS.rglob("test_*.py")):
        place = path.relative_to(TESTS).parts[:-1]
        if place == ("unit",):
            continue  # checks across packages (layering, docs links)
        # deeper: a sub-package's own folder (tests/unit/web/api/ for attendance_app/web/api/)
        deeper = len(place) == 2 or (REPO / "attendance_app" / place[1]).joinpath(
            *place[2:], "__init__.py").is_file()
        fits = deeper and ((place[0], place[1] in packages) == ("unit", True)
                           or place[0] == "system" and place[1] in SYSTEM_GROUPS)
        if not fits:
            misplaced.append(str(path.relative_to(REPO)))
    assert not misplaced, ("put unit tests in tests/unit/<package>/ and system tests in "
                           f"tests/system/{{{','.join(sorted(SYSTEM_GROUPS))}}}/: {misplaced}")


_SHOW_MARKS = """
import sys, pytest
class Show:
    def pytest_collection_finish(self, session):
        for item in session.items:
            marks = sorted({mark.name for mark in item.iter_markers()} & {"gui", "postgres", "slow"})
            print("MARKED", item.nodeid.split("::")[0], ",".join(marks))
sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]],
                     plugins=[Show()]))
"""


def _marks(*files: str) -> dict[str, set[str]]:
    """For each file, the sets of markers its tests carry after collection (one collection
    in a child process, as `pytest` itself would collect them)."""
    result = subprocess.run([sys.executable, "-c", _SHOW_MARKS, *files], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    found: dict[str, set[str]] = {}
    for line in result.stdout.splitlines():
        if line.startswith("MARKED "):
            _, file, marks = (line.split(" ", 2) + [""])[:3]
            found.setdefault(file, set()).add(marks)
    return found


def test_the_markers_are_registered_and_strict() -> None:
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_options = options["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in pytest_options["addopts"].split()
    assert {line.split(":")[0] for line in pytest_options["markers"]} >= {"gui", "postgres", "slow"}


def test_every_test_listed_slow_is_still_there() -> None:
    """SLOW names tests by file and function: a rename must not leave it naming nothing."""
    gone = []
    for key in sorted(SLOW):
        file, function = key.split("::")
        path = REPO / file
        defined = path.is_file() and any(
            isinstance(node, ast.FunctionDef) and node.name == function
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
        if not defined:
            gone.append(key)
    assert not gone, f"tests/support/markers.py's SLOW names tests that are gone: {gone}"


def test_markers_follow_where_a_test_is_and_what_it_uses() -> None:
    """gui: under tests/system/gui, or using qtbot elsewhere; postgres: reaching the server
    through its fixtures; slow: listed in SLOW; none of them on a plain unit test."""
    marks = _marks("tests/system/gui/test_gui_cli.py", "tests/unit/config/test_location.py",
                   "tests/system/central/test_postgres_server.py", "tests/unit/trackers/test_sort.py",
                   "tests/system/end_to_end/test_end_to_end.py")
    assert marks["tests/system/gui/test_gui_cli.py"] == {"gui"}
    assert marks["tests/system/end_to_end/test_end_to_end.py"] == {"slow", ""}, "as SLOW lists"
    assert marks["tests/unit/config/test_location.py"] == {"gui", ""}, "only its dialog tests"
    assert marks["tests/system/central/test_postgres_server.py"] == {"postgres"}
    assert marks["tests/unit/trackers/test_sort.py"] == {""}
