"""Typed settings read once from config.yaml and passed down as frozen dataclasses.

Nothing below `attendance_app` reads the file or the environment. A typo in a key or a
value of the wrong type stops start-up with one line naming the file, the line, the key
path and what is allowed: a silent default would leave a door camera misbehaving for days.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from attendance_app.errors import AttendanceError
from exports.reports import parse_start_time


class ConfigError(AttendanceError):
    """config.yaml cannot be used; the message is one line saying where and what to do."""


def _setting(default: Any, *, low: float | None = None, high: float | None = None,
             choices: tuple[str, ...] | None = None,
             check: Callable[[Any], object] | None = None) -> Any:
    """A dataclass field carrying its allowed range, so validation lives beside the default.

    check: for values with a format of their own; it raises ValueError with a message
    saying what is wrong and how to write it.
    """
    return field(default=default,
                 metadata={"low": low, "high": high, "choices": choices, "check": check})


@dataclass(frozen=True)
class CameraConfig:
    """Where frames come from and what the camera is called in the workbook."""

    source: str = "0"
    name: str = "Front door"


@dataclass(frozen=True)
class DetectionConfig:
    """How faces are found. Detection is the most expensive step, so it runs on a
    downscaled copy and only every few frames; the tracker carries boxes in between."""

    model: str = _setting("hog", choices=("hog", "cnn"))
    width: int = _setting(640, low=160, high=3840)
    upsample: int = _setting(1, low=0, high=3)
    every_n_frames: int = _setting(5, low=1, high=100)
    full_scan_every_n_frames: int = _setting(250, low=1, high=100000)
    min_face_px: int = _setting(40, low=20, high=2000)


@dataclass(frozen=True)
class TrackingConfig:
    """SORT parameters; ages are counted in detection passes, not frames."""

    max_age: int = _setting(3, low=1, high=100)
    min_hits: int = _setting(1, low=1, high=100)
    iou_threshold: float = _setting(0.2, low=0.01, high=1.0)


@dataclass(frozen=True)
class RecognitionConfig:
    """Which face engine names people, and when a track counts as a known person. Each
    engine measures distance its own way (lower is more alike), so each has its own
    tolerance; the margin and the voting rule are shared."""

    engine: str = _setting("sface", choices=("dlib", "sface"))
    landmarks: str = _setting("large", choices=("large", "small"))
    tolerance: float = _setting(0.55, low=0.2, high=0.8)
    sface_tolerance: float = _setting(0.575, low=0.2, high=0.9)
    margin: float = _setting(0.05, low=0.0, high=0.5)
    votes_needed: int = _setting(2, low=1, high=50)
    max_attempts: int = _setting(6, low=1, high=1000)
    recheck_every_n_frames: int = _setting(125, low=1, high=100000)

    @property
    def engine_tolerance(self) -> float:
        """The tolerance of the engine in use."""
        return self.sface_tolerance if self.engine == "sface" else self.tolerance


@dataclass(frozen=True)
class AttendanceConfig:
    """When a recognised person becomes a row, and where rows go."""

    cooldown_minutes: float = _setting(0.0, low=0.0, high=24 * 60)
    workbook: str = ""
    start_time: str = _setting("", check=parse_start_time)


@dataclass(frozen=True)
class EnrolmentConfig:
    """What a photo or camera shot must show to be accepted for enrolment."""

    shots_needed: int = _setting(5, low=1, high=50)
    min_face_px: int = _setting(60, low=20, high=2000)


@dataclass(frozen=True)
class UnknownsConfig:
    """Whether faces of people who are not enrolled are kept, grouped by person, so that
    a regular visitor can be enrolled later (attendance_app.unknowns). Off by default:
    these are biometric data of people who never agreed to be enrolled."""

    keep_days: int = _setting(0, low=0, high=3650)
    # The most faces kept; the oldest go first beyond it (unknowns.store.UnknownStore.trim).
    # 10,000 lists in about 2 s with under 100 MB (README, "Unknown visitors: what many
    # kept faces cost"); 30,000 took 15 s and 1.1 GB, so no more is allowed.
    max_faces: int = _setting(10000, low=100, high=30000)


@dataclass(frozen=True)
class LivenessConfig:
    """Whether a recognised face must show it is alive before its row is written, so that
    a photo or a phone held up to the camera logs nobody (attendance_app.recognition.liveness). Off
    by default: it makes people wait, and some real people fail it."""

    mode: str = _setting("off", choices=("off", "blink", "motion"))


@dataclass(frozen=True)
class AnalyticsConfig:
    """What is read from a face at arrival besides who it is. Off by default: the
    expression is a guess of a 7-class classifier about one frame, not a measure of
    anybody's feelings, and not every site wants it kept (attendance_app.faces.expression)."""

    emotion: bool = _setting(False)


def check_database_url(url: str) -> None:
    """A database URL must be PostgreSQL's and readable (or empty: no central database);
    the ValueError's one line never shows its password (attendance_app.central.url)."""
    from attendance_app.central.url import check

    check(url)


@dataclass(frozen=True)
class DatabaseConfig:
    """The site's central PostgreSQL, shared by several doors (attendance_app.central).
    Empty url: this door keeps everything in its own files, as a single door does."""

    url: str = _setting("", check=check_database_url)
    keeps_workbook: bool = _setting(False)


@dataclass(frozen=True)
class AppConfig:
    """Every setting of the app; the defaults equal the documented config.yaml."""

    camera: CameraConfig = field(default_factory=CameraConfig)
    detection: DetectionConfig = field(default_factory=DetectionConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)
    recognition: RecognitionConfig = field(default_factory=RecognitionConfig)
    attendance: AttendanceConfig = field(default_factory=AttendanceConfig)
    enrolment: EnrolmentConfig = field(default_factory=EnrolmentConfig)
    analytics: AnalyticsConfig = field(default_factory=AnalyticsConfig)
    liveness: LivenessConfig = field(default_factory=LivenessConfig)
    unknowns: UnknownsConfig = field(default_factory=UnknownsConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)


def _line_of(mapping: Any, key: str) -> int | None:
    """1-based line of `key` in a ruamel mapping, when the parser kept it."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _where(source: str, line: int | None) -> str:
    return f"{source} line {line}" if line else source


_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}


def _convert(value: Any, kind: type, meta: dict[str, Any], where: str, key_path: str) -> Any:
    """Check one value against its declared type and range, returning it converted."""
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and not math.isfinite(float(value)):
            ok = False
    else:
        ok = isinstance(value, (str, int)) and not isinstance(value, bool)
        value = str(value) if ok else value
        # "\ud800"-style escapes make text that cannot be written to a file or workbook.
        ok = ok and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if not ok:
        raise ConfigError(f"{where}: {key_path} must be {_TYPE_WORDS[kind]}, got {value!r}")
    low, high, choices = meta.get("low"), meta.get("high"), meta.get("choices")
    if choices and value not in choices:
        raise ConfigError(
            f"{where}: {key_path} must be one of {', '.join(choices)}, got {value!r}"
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise ConfigError(
            f"{where}: {key_path} must be between {low} and {high}, got {value!r}"
        )
    check = meta.get("check")
    if check is not None:
        try:
            check(value)
        except ValueError as error:
            raise ConfigError(f"{where}: {key_path}: {error}") from None
    return float(value) if kind is float else value


def _build(cls: type, data: Any, source: str, prefix: str, line: int | None) -> Any:
    """Build dataclass `cls` from a YAML mapping, refusing unknown keys and bad values."""
    if data is None:
        return cls()
    if not isinstance(data, dict):
        raise ConfigError(
            f"{_where(source, line)}: {prefix or 'the file'} must be a mapping of settings"
        )
    known = {f.name: f for f in fields(cls)}
    kinds = get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in data.items():
        key_path = f"{prefix}.{key}" if prefix else str(key)
        key_line = _line_of(data, key)
        if key not in known:
            allowed = ", ".join(known)
            raise ConfigError(
                f"{_where(source, key_line)}: unknown setting {key_path!r}; allowed here: {allowed}"
            )
        spec = known[key]
        kind = kinds[key]
        if dataclasses.is_dataclass(kind):
            values[key] = _build(kind, value, source, key_path, key_line)
        else:
            values[key] = _convert(value, kind, dict(spec.metadata), _where(source, key_line), key_path)
    return cls(**values)


def parse_config(text: str, source: str = "config.yaml") -> AppConfig:
    """Parse YAML text into an AppConfig; raises ConfigError with a one-line message."""
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as error:
        context = getattr(error, "context", None) or ""
        if "quoted scalar" in context and getattr(error, "context_mark", None) is not None:
            # The parser notices an unclosed quote only where the file ends: name the
            # line where the quote opened, where the mistake is.
            line = error.context_mark.line + 1
            raise ConfigError(f"{_where(source, line)}: a quote opened here is never closed; "
                              "add the closing quote") from None
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{_where(source, line)}: not valid YAML ({problem}); fix the syntax") from None
    return _build(AppConfig, data, source, "", None)


def load_config(path: Path | None) -> AppConfig:
    """Read `path`, or return the defaults when no file is given."""
    if path is None:
        return AppConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist; give an existing file with --config") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"config file {path} cannot be read ({error}); check the file") from None
    return parse_config(text, str(path))
