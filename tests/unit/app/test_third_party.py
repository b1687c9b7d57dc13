"""The third-party notices, written from the real installed environment, and the copy a
frozen bundle reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from attendance_app.app import third_party
from attendance_app.app.dependencies import normalise
from attendance_app.app.third_party import (
    MODELS,
    NOTICES_FILE,
    generate,
    libraries,
    notices_text,
)
from attendance_app.faces import age_gender, dlib_models, expression, models


@pytest.fixture(scope="module")
def notices() -> str:
    return generate()


def test_every_model_file_the_app_loads_is_named_with_its_licence(notices: str) -> None:
    shipped = {models.YUNET, models.SFACE, dlib_models.FIVE_POINT, dlib_models.CNN_DETECTOR,
               dlib_models.ENCODER, dlib_models.SIXTY_EIGHT_POINT, expression.MODEL,
               age_gender.AGE_MODEL, age_gender.GENDER_MODEL}
    listed = {model.file: model for model in MODELS}
    for model_file in shipped:
        model = listed[model_file.name]
        assert model.carrier == model_file.package
        assert model.licence and model.source
        assert f"file: {model_file.name}\n  carried by: {model_file.package}\n" \
               f"  licence: {model.licence}" in notices
    assert listed[models.SFACE.name].licence == "Apache-2.0"
    assert listed[dlib_models.ENCODER.name].licence == "public domain"
    assert listed[age_gender.AGE_MODEL.name].licence == "CC0-1.0"


@pytest.mark.parametrize(("name", "licence", "text"), [
    ("pyside6-essentials", "LGPL-3.0", "GNU LESSER GENERAL PUBLIC LICENSE"),
    ("shiboken6", "LGPL-3.0", "GNU GENERAL PUBLIC LICENSE"),
    ("opencv-python-headless", "Apache", "Apache License"),
    ("dlib-bin", "Boost", "Boost Software License - Version 1.0"),
    ("numpy", "BSD-3-Clause", "Copyright (c) 2005-"),
    ("flatbuffers", "Apache", "Apache License"),
])
def test_main_libraries_appear_with_their_licence_and_its_text(notices: str, name: str,
                                                               licence: str, text: str) -> None:
    version, stated = libraries(notices)[name]
    assert version
    assert licence in stated
    section = next(part for part in notices.split(third_party.RULE)
                   if normalise(part.lstrip().split(" ", 1)[0]) == name)
    assert text in section


def test_qt_is_attributed_with_where_its_source_is(notices: str) -> None:
    assert "https://code.qt.io/" in notices
    assert "licenses-used-in-qt" in notices


def test_the_dev_group_is_not_in_the_notices(notices: str) -> None:
    assert not {"pytest", "hypothesis", "pgserver"} & set(libraries(notices))


def test_the_build_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / NOTICES_FILE
    subprocess.run([sys.executable, "-m", "attendance_app.app.third_party", str(out)],
                   check=True, timeout=120)
    assert "opencv-python-headless" in libraries(out.read_text(encoding="utf-8"))


def test_a_frozen_bundle_reads_its_shipped_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / NOTICES_FILE).write_text("shipped notices\n", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert notices_text() == "shipped notices\n"


def test_a_frozen_bundle_without_the_file_says_so(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert "missing" in notices_text()


def test_from_a_checkout_the_text_is_generated() -> None:
    assert "pyside6-essentials" in libraries(notices_text())
