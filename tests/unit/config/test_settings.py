"""config.yaml loading: the documented file equals the defaults, and each kind of
mistake stops start-up with one line naming the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance_app.config.settings import AppConfig, ConfigError, load_config, parse_config

REPO_CONFIG = Path(__file__).resolve().parents[3] / "config.yaml"


def test_documented_config_equals_the_built_in_defaults() -> None:
    assert load_config(REPO_CONFIG) == AppConfig()


def test_every_setting_in_config_yaml_has_a_comment_above_it() -> None:
    lines = REPO_CONFIG.read_text().splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if line.startswith("  ") and stripped and not stripped.startswith("#"):
            assert lines[number - 1].strip().startswith("#"), f"undocumented: {stripped}"


def test_partial_file_keeps_defaults_for_the_rest() -> None:
    config = parse_config("recognition:\n  tolerance: 0.45\n")
    assert config.recognition.tolerance == 0.45
    assert config.recognition.votes_needed == AppConfig().recognition.votes_needed
    assert config.camera == AppConfig().camera


def test_empty_file_gives_defaults() -> None:
    assert parse_config("") == AppConfig()


def test_whole_number_accepted_where_a_number_is_expected() -> None:
    assert parse_config("attendance:\n  cooldown_minutes: 30\n").attendance.cooldown_minutes == 30.0


def test_camera_source_given_as_a_number_becomes_text() -> None:
    assert parse_config("camera:\n  source: 1\n").camera.source == "1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("camera:\n  nmae: x\n", "line 2: unknown setting 'camera.nmae'"),
        ("cameras:\n  name: x\n", "line 1: unknown setting 'cameras'"),
        ("recognition:\n  tolerance: abc\n", "line 2: recognition.tolerance must be a number"),
        ("recognition:\n  votes_needed: 0\n", "line 2: recognition.votes_needed must be between 1"),
        ("recognition:\n  tolerance: -0.1\n", "line 2: recognition.tolerance must be between"),
        ("detection:\n  model: yolo\n", "detection.model must be one of hog, cnn"),
        ("detection:\n  width: 1.5\n", "detection.width must be a whole number"),
        ("detection:\n  every_n_frames: true\n", "detection.every_n_frames must be a whole number"),
        ("detection: [1, 2]\n", "detection must be a mapping"),
        ("tracking:\n  max_age: 3\n   min_hits: 2\n", "not valid YAML"),
        ("recognition:\n  tolerance: .nan\n", "recognition.tolerance must be a number"),
    ],
)
def test_bad_config_is_refused_with_line_and_key(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "config.yaml")
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


def test_missing_config_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yaml")


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    text = 'camera:\n  name: "Front door\n  source: 0\ndetection:\n  width: 640\n'
    with pytest.raises(ConfigError, match=r"config.yaml line 2: a quote opened here is never closed"):
        parse_config(text)
