"""Typed settings read once from config.yaml and passed down as frozen dataclasses.

Nothing below `attendance_app` reads the file or the environment. A typo in a key or a
value of the wrong type stops start-up with one line naming the file, the line, the key
path and what is allowed: a silent default would leave a door camera misbehaving for days.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from attendance_app.config.declarations import Declaration, declared, number_text
from attendance_app.config.declarations import (
    check_database_url as check_database_url,  # workspace uses it
)
from attendance_app.errors import AttendanceError
from attendance_app.i18n import N_, _


class ConfigError(AttendanceError):
    """config.yaml cannot be used; the message is one line saying where and what to do."""


def _declared(section: str, key: str) -> Any:
    """A dataclass field whose default, bounds and choices come from its declaration
    (attendance_app.config.declarations), the one home of each setting's facts."""
    declaration = declared(section, key)
    return field(default=declaration.default, metadata={"declaration": declaration})


@dataclass(frozen=True)
class CameraConfig:
    """Where frames come from and what the camera is called in the workbook."""

    source: str = _declared("camera", "source")
    name: str = _declared("camera", "name")


@dataclass(frozen=True)
class DetectionConfig:
    """How faces are found (SECTIONS["detection"] says why it is set up this way)."""

    model: str = _declared("detection", "model")
    width: int = _declared("detection", "width")
    upsample: int = _declared("detection", "upsample")
    every_n_frames: int = _declared("detection", "every_n_frames")
    full_scan_every_n_frames: int = _declared("detection", "full_scan_every_n_frames")
    min_face_px: int = _declared("detection", "min_face_px")


@dataclass(frozen=True)
class TrackingConfig:
    """SORT parameters; ages are counted in detection passes, not frames."""

    max_age: int = _declared("tracking", "max_age")
    min_hits: int = _declared("tracking", "min_hits")
    iou_threshold: float = _declared("tracking", "iou_threshold")


@dataclass(frozen=True)
class RecognitionConfig:
    """Which face engine names people, and when a track counts as a known person. Each
    engine measures distance its own way (lower is more alike), so each has its own
    tolerance; the margin and the voting rule are shared."""

    engine: str = _declared("recognition", "engine")
    landmarks: str = _declared("recognition", "landmarks")
    tolerance: float = _declared("recognition", "tolerance")
    sface_tolerance: float = _declared("recognition", "sface_tolerance")
    margin: float = _declared("recognition", "margin")
    votes_needed: int = _declared("recognition", "votes_needed")
    max_attempts: int = _declared("recognition", "max_attempts")
    recheck_every_n_frames: int = _declared("recognition", "recheck_every_n_frames")

    @property
    def engine_tolerance(self) -> float:
        """The tolerance of the engine in use."""
        return self.sface_tolerance if self.engine == "sface" else self.tolerance


@dataclass(frozen=True)
class AttendanceConfig:
    """When a recognised person becomes a row, and where rows go."""

    cooldown_minutes: float = _declared("attendance", "cooldown_minutes")
    workbook: str = _declared("attendance", "workbook")
    start_time: str = _declared("attendance", "start_time")
    default_days: str = _declared("attendance", "default_days")
    grace_minutes: int = _declared("attendance", "grace_minutes")
    site_name: str = _declared("attendance", "site_name")


@dataclass(frozen=True)
class EnrolmentConfig:
    """What a photo or camera shot must show to be accepted for enrolment."""

    shots_needed: int = _declared("enrolment", "shots_needed")
    min_face_px: int = _declared("enrolment", "min_face_px")


@dataclass(frozen=True)
class UnknownsConfig:
    """Whether faces of people who are not enrolled are kept (attendance_app.unknowns).
    Off by default: biometric data of people who never agreed to be enrolled."""

    keep_days: int = _declared("unknowns", "keep_days")
    max_faces: int = _declared("unknowns", "max_faces")


@dataclass(frozen=True)
class LivenessConfig:
    """Whether a recognised face must show it is alive before its row is written
    (attendance_app.recognition.liveness). Off by default: it makes people wait."""

    mode: str = _declared("liveness", "mode")


@dataclass(frozen=True)
class AnalyticsConfig:
    """What is read from a face at arrival besides who it is (attendance_app.faces.expression,
    attendance_app.faces.age_gender). Off by default: classifiers' guesses about one frame,
    not anybody's feelings, age or gender."""

    emotion: bool = _declared("analytics", "emotion")
    age_gender: bool = _declared("analytics", "age_gender")


@dataclass(frozen=True)
class DatabaseConfig:
    """The site's central PostgreSQL, shared by several doors (attendance_app.central).
    Empty url: this door keeps everything in its own files, as a single door does."""

    url: str = _declared("database", "url")
    keeps_workbook: bool = _declared("database", "keeps_workbook")


@dataclass(frozen=True)
class MessagesConfig:
    """Messages that leave this computer (attendance_app.messages); off while webhook_url
    and summary_to are empty. The SMTP password is never a setting."""

    webhook_url: str = _declared("messages", "webhook_url")
    summary_time: str = _declared("messages", "summary_time")
    summary_to: str = _declared("messages", "summary_to")
    smtp_host: str = _declared("messages", "smtp_host")
    smtp_port: int = _declared("messages", "smtp_port")
    smtp_security: str = _declared("messages", "smtp_security")
    smtp_user: str = _declared("messages", "smtp_user")
    smtp_from: str = _declared("messages", "smtp_from")

    @property
    def on(self) -> bool:
        """Whether any message is sent at all."""
        return bool(self.webhook_url or self.summary_to)

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in self.summary_to.split(",") if a.strip()]


@dataclass(frozen=True)
class LocaleConfig:
    """The language of words and the format of dates (attendance_app.i18n applies it)."""

    language: str = _declared("locale", "language")
    iso_dates: bool = _declared("locale", "iso_dates")


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
    messages: MessagesConfig = field(default_factory=MessagesConfig)
    locale: LocaleConfig = field(default_factory=LocaleConfig)


def _line_of(mapping: Any, key: str) -> int | None:
    """1-based line of `key` in a ruamel mapping, when the parser kept it."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _where(source: str, line: int | None) -> str:
    """Where a mistake is: the file, and its line when the parser kept it."""
    return _("{source} line {line}").format(source=source, line=line) if line else source


_WRONG_TYPE = {
    bool: N_("{where}: {key_path} must be true or false, got {value!r}"),
    int: N_("{where}: {key_path} must be a whole number, got {value!r}"),
    float: N_("{where}: {key_path} must be a number, got {value!r}"),
    str: N_("{where}: {key_path} must be text, got {value!r}"),
}
"""The one line for a value of the wrong type, one whole sentence per type (translated
when raised)."""


def _convert(value: Any, declaration: Declaration, where: str) -> Any:
    """Check one value against its declaration (type, range, choices, format), returning
    it converted; ConfigError names the key path and what is allowed."""
    kind, key_path = declaration.kind, declaration.path
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
        raise ConfigError(_(_WRONG_TYPE[kind]).format(where=where, key_path=key_path,
                                                      value=value))
    low, high, choices = declaration.low, declaration.high, declaration.choices
    if choices and value not in choices:
        raise ConfigError(_("{where}: {key_path} must be one of {choices}, got {value!r}")
                          .format(where=where, key_path=key_path, choices=", ".join(choices),
                                  value=value))
    if low is not None and high is not None and not low <= value <= high:
        bounds = dict(where=where, key_path=key_path, low=number_text(low),
                      high=number_text(high), value=value)
        if declaration.unit:
            raise ConfigError(_("{where}: {key_path} must be between {low} and {high} {unit}, "
                                "got {value!r}").format(unit=_(declaration.unit), **bounds))
        raise ConfigError(_("{where}: {key_path} must be between {low} and {high}, got "
                            "{value!r}").format(**bounds))
    if declaration.check is not None:
        try:
            declaration.check(value)
        except ValueError as error:
            raise ConfigError(f"{where}: {key_path}: {error}") from None
    return float(value) if kind is float else value


def _build(cls: type, data: Any, source: str, prefix: str, line: int | None) -> Any:
    """Build dataclass `cls` from a YAML mapping, refusing unknown keys and bad values."""
    if data is None:
        return cls()
    if not isinstance(data, dict):
        if prefix:
            raise ConfigError(_("{where}: {key_path} must be a mapping of settings")
                              .format(where=_where(source, line), key_path=prefix))
        raise ConfigError(_("{where}: the file must be a mapping of settings")
                          .format(where=_where(source, line)))
    known = {f.name: f for f in fields(cls)}
    kinds = get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in data.items():
        key_path = f"{prefix}.{key}" if prefix else str(key)
        key_line = _line_of(data, key)
        if key not in known:
            allowed = ", ".join(known)
            raise ConfigError(_("{where}: unknown setting {key_path!r}; allowed here: {allowed}")
                              .format(where=_where(source, key_line), key_path=key_path,
                                      allowed=allowed))
        spec = known[key]
        kind = kinds[key]
        if dataclasses.is_dataclass(kind):
            values[key] = _build(kind, value, source, key_path, key_line)
        else:
            values[key] = _convert(value, spec.metadata["declaration"], _where(source, key_line))
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
            raise ConfigError(_("{where}: a quote opened here is never closed; add the "
                                "closing quote").format(where=_where(source, line))) from None
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(_("{where}: not valid YAML ({problem}); fix the syntax")
                          .format(where=_where(source, line), problem=problem)) from None
    return _build(AppConfig, data, source, "", None)


def load_config(path: Path | None) -> AppConfig:
    """Read `path`, or return the defaults when no file is given."""
    if path is None:
        return AppConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(_("config file {path} does not exist; give an existing file with "
                            "--config").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(_("config file {path} cannot be read ({error}); check the file")
                          .format(path=path, error=error)) from None
    return parse_config(text, str(path))
