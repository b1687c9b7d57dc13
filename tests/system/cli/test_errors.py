"""One root error (issue 21, point 4): every error a person can fix derives from
AttendanceError, the command line reports it in one line with exit code 1, and anything
else (a bug) still shows its traceback instead of being hidden behind a tidy line."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.cli.main import main
from attendance_app.errors import AttendanceError, library_errors_reported

EXPECTED = [
    ("attendance_app.config.settings", "ConfigError"),
    ("attendance_app.app.workspace", "WorkspaceError"),
    ("attendance_app.app.instance_lock", "AlreadyRunning"),
    ("attendance_app.camera.sources", "SourceError"),
    ("attendance_app.camera.images", "ImageError"),
    ("attendance_app.faces.models", "ModelError"),
    ("attendance_app.records.journal", "JournalError"),
    ("attendance_app.unknowns.store", "UnknownsError"),
    ("attendance_app.central.database", "DatabaseError"),
]
"""The errors the command line used to list one by one as expected (cli.py's EXPECTED_ERRORS
before issue 21), plus the app's own kinds of the face store's StoreError."""


@pytest.mark.parametrize(("module", "name"), EXPECTED, ids=[name for _, name in EXPECTED])
def test_every_expected_error_derives_from_the_root(module: str, name: str) -> None:
    assert issubclass(getattr(importlib.import_module(module), name), AttendanceError)


def test_the_root_error_module_imports_nothing() -> None:
    """Nothing but the standard library, so any layer may derive its errors from it."""
    probe = ("import sys; before = set(sys.modules); import attendance_app.errors; "
             "new = set(sys.modules) - before - {'attendance_app', 'attendance_app.errors'}; "
             "print(sorted(m for m in new if m.split('.')[0] not in sys.stdlib_module_names))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_a_library_error_becomes_the_root_error_with_its_message() -> None:
    from enrolment import StoreError
    from exports.errors import WorkbookLocked

    for library_error in (StoreError("name taken; choose another"),
                          WorkbookLocked("close it in Excel")):
        with pytest.raises(AttendanceError) as caught, library_errors_reported():
            raise library_error
        assert str(caught.value) == str(library_error)
        assert caught.value.__cause__ is library_error


def test_other_errors_pass_unchanged() -> None:
    with pytest.raises(KeyError), library_errors_reported():
        raise KeyError("a bug")


def test_a_store_error_on_the_command_line_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The face store (an independent library) refuses a name taken by someone else."""
    import numpy as np

    from enrolment import FaceStore, NewEncoding

    data = tmp_path / "data"
    data.mkdir()
    store = FaceStore(data / "faces.sqlite3")
    for name, value in (("Ada", 0.1), ("Grace", 0.9)):
        store.enrol(name, [NewEncoding(np.full(128, value), f"{name}.jpg")])
    assert main(["rename", "Ada", "Grace", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "Grace" in err, err



def test_a_bug_is_not_hidden_behind_a_tidy_line(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Only AttendanceError is reported in one line: any other exception keeps its
    traceback, so a bug is seen (and reported) instead of passing for bad input."""
    from attendance_app.cli import people

    def broken(*_: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(people, "list_people", broken)
    with pytest.raises(KeyError, match="a bug"):
        main(["people", "--data-dir", str(tmp_path)])
