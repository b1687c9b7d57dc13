"""Each setting is declared once (attendance_app.config.declarations), and every other
place that describes it agrees with the declaration: the typed dataclasses, config.yaml's
defaults and comments, docs/settings.md, and the loader's one-line errors."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import get_type_hints

import pytest

from attendance_app.config.declarations import DECLARATIONS, DECLARED, SECTIONS, number_text
from attendance_app.config.docs import settings_page
from attendance_app.config.settings import AppConfig, ConfigError, parse_config

ROOT = Path(__file__).resolve().parents[3]
REPO_CONFIG = ROOT / "config.yaml"
KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[a-z_]+):")


def _config_keys_with_comments() -> dict[tuple[str, str], str]:
    """(section, key) -> the comment block right above the key in config.yaml, one line."""
    found: dict[tuple[str, str], str] = {}
    section = ""
    comment: list[str] = []
    for line in REPO_CONFIG.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comment.append(stripped.lstrip("#").strip())
            continue
        match = KEY_LINE.match(line)
        if match and not match["indent"]:
            section = match["key"]
        elif match:
            found[(section, match["key"])] = " ".join(comment)
        comment = []
    return found


def _declared_fields() -> list[tuple[str, str, type, object, dict]]:
    """(section, key, annotated type, default, metadata) of every leaf of AppConfig."""
    leaves = []
    for section_field in dataclasses.fields(AppConfig):
        cls = get_type_hints(AppConfig)[section_field.name]
        kinds = get_type_hints(cls)
        for leaf in dataclasses.fields(cls):
            leaves.append((section_field.name, leaf.name, kinds[leaf.name], leaf.default,
                           dict(leaf.metadata)))
    return leaves


def test_every_dataclass_field_is_declared_with_its_type_and_default() -> None:
    leaves = _declared_fields()
    assert sorted((s, k) for s, k, *_ in leaves) == sorted(DECLARED)
    for section, key, kind, default, metadata in leaves:
        declaration = DECLARED[(section, key)]
        assert metadata["declaration"] is declaration
        assert (kind, default) == (declaration.kind, declaration.default), declaration.path
    assert sorted(SECTIONS) == sorted(f.name for f in dataclasses.fields(AppConfig))
    assert list(SECTIONS) == list(dict.fromkeys(d.section for d in DECLARATIONS)), "one order"


def test_declarations_are_complete_and_their_bounds_hold_their_defaults() -> None:
    for declaration in DECLARATIONS:
        assert declaration.description.endswith("."), declaration.path
        assert declaration.label, declaration.path
        if declaration.kind in (int, float):
            assert declaration.low is not None and declaration.high is not None, declaration.path
            assert declaration.unit, f"{declaration.path}: a number needs its unit"
            assert declaration.low <= declaration.default <= declaration.high, declaration.path
        if declaration.choices:
            assert declaration.default in declaration.choices, declaration.path


def test_config_yaml_declares_every_key_with_its_default_unit_and_bounds() -> None:
    commented = _config_keys_with_comments()
    assert list(commented) == [(d.section, d.key) for d in DECLARATIONS]
    assert parse_config(REPO_CONFIG.read_text(encoding="utf-8")) == AppConfig()
    for declaration in DECLARATIONS:
        comment = commented[(declaration.section, declaration.key)]
        assert comment, f"config.yaml: {declaration.path} has no comment"
        if declaration.low is not None and declaration.high is not None:
            bounds = f"{number_text(declaration.low)} to {number_text(declaration.high)}"
            assert bounds in comment, f"config.yaml: {declaration.path}'s comment lacks {bounds}"
            assert declaration.unit in comment, (
                f"config.yaml: {declaration.path}'s comment lacks its unit ({declaration.unit})")
        for choice in declaration.choices or ():
            assert choice in comment, f"config.yaml: {declaration.path}'s comment lacks {choice}"


def test_docs_settings_page_is_what_the_generator_writes() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert page == settings_page(), ("docs/settings.md is out of date: run "
                                     "uv run python -m attendance_app.config.docs > docs/settings.md")
    for declaration in DECLARATIONS:
        assert f"`{declaration.path}`" in page and declaration.description in page


@pytest.mark.parametrize("declaration", [d for d in DECLARATIONS if d.high is not None],
                         ids=lambda d: d.path)
def test_a_value_beyond_its_bound_is_one_line_naming_the_bound_and_unit(declaration) -> None:  # noqa: ANN001
    assert declaration.high is not None and declaration.low is not None
    too_high = declaration.high + 1
    text = f"{declaration.section}:\n  {declaration.key}: {too_high}\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "config.yaml")
    message = str(caught.value)
    assert message.startswith(f"config.yaml line 2: {declaration.path} must be between "
                              f"{number_text(declaration.low)} and {number_text(declaration.high)} "
                              f"{declaration.unit}, got ")
    assert "\n" not in message
