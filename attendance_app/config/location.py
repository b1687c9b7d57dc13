"""Which settings file the app reads, and where the Settings dialog saves.

The first of these that applies is the one file in use (files are never merged; a setting
missing from it keeps its built-in default):

1. ``--config FILE``: what the user asked for, read and saved; it must exist.
2. ``config.yaml`` in the current folder, except the project's own top-level file when the
   app is started from a copy of its source (see below).
3. ``config.yaml`` in the user config folder (platformdirs: ``~/.config/attendance-app`` on
   Linux), created by the first save.
4. The built-in defaults of `attendance_app.config.settings`, while (3) does not exist yet.

Why the exception in (2): README.md, "Start here", runs the app inside the git clone, whose tracked
``config.yaml`` is the annotated reference of every setting. Reading and saving that file
made the Settings dialog rewrite a tracked file: settings then showed up as local changes,
got in the way of ``git pull``, and were lost with the clone. Older versions did read it, so
edits made there are never ignored silently: with no user settings yet they are copied
into the user config folder once, and otherwise a note names the settings that differ.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from pathlib import Path

import tomllib
from platformdirs import user_config_dir

from attendance_app.config.save import NEW_FILE_HEADER
from attendance_app.config.settings import AppConfig, ConfigError, load_config
from attendance_app.i18n import N_, _
from exports.atomic import replace_atomically
from exports.owner_only import make_folder

APP_NAME = "attendance-app"
"""The platformdirs name, the same as the data folder's (attendance_app.app.workspace), and the
project's name in its pyproject.toml."""
CONFIG_FILE = "config.yaml"


class Origin(enum.Enum):
    """Why a settings file is the one in use, in words for `config path`."""

    OPTION = N_("given with --config")
    CURRENT_FOLDER = N_("config.yaml in the folder the app was started from")
    USER = N_("your user settings")


@dataclass(frozen=True)
class SettingsLocation:
    """The settings file in use: `path` (absolute) is read when it exists and is where
    saving goes."""

    path: Path
    origin: Origin

    @property
    def read_path(self) -> Path | None:
        """The file to load, or None for the built-in defaults (no user settings yet).
        A --config file is always read, so that a missing one is reported."""
        if self.origin is Origin.USER and not self.path.is_file():
            return None
        return self.path


def user_config_path() -> Path:
    """config.yaml in the platform's per-user config folder (XDG_CONFIG_HOME on Linux)."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


def is_project_reference(path: Path) -> bool:
    """Whether `path` is the top-level config.yaml of this project's source (a git clone):
    its folder holds the pyproject.toml of attendance-app. A copy of the file elsewhere is
    the user's own file and counts as theirs."""
    try:
        with (path.parent / "pyproject.toml").open("rb") as stream:
            project = tomllib.load(stream).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == APP_NAME


def _current_folder() -> Path | None:
    try:
        return Path.cwd()
    except OSError:  # the folder was deleted under the running shell
        return None


def locate(explicit: Path | None, cwd: Path | None = None) -> SettingsLocation:
    """The settings file in use, by the precedence in the module docstring; pure: nothing
    is created or copied. `cwd` defaults to the current folder."""
    if explicit is not None:
        return SettingsLocation(explicit.expanduser().absolute(), Origin.OPTION)
    here = cwd or _current_folder()
    if here is not None:
        local = here / CONFIG_FILE
        if local.is_file() and not is_project_reference(local):
            return SettingsLocation(local.absolute(), Origin.CURRENT_FOLDER)
    return SettingsLocation(user_config_path(), Origin.USER)


def _differences(one: AppConfig, other: AppConfig) -> list[str]:
    """The key paths (section.key) whose values differ between two configs."""
    first, second = asdict(one), asdict(other)
    return [f"{section}.{key}" for section, values in first.items()
            for key, value in values.items() if second[section][key] != value]


def _without_reference_header(text: str) -> str:
    """The reference's text with its opening comment (which says the file is not read)
    replaced by the header of a user's own settings file."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    return NEW_FILE_HEADER + "".join(lines[start:])


def _adopt(reference: Path, location: SettingsLocation) -> str:
    """Copy the edited reference into the user's (missing) settings file; the note to show."""
    try:
        make_folder(location.path.parent)
        text = reference.read_text(encoding="utf-8")
        replace_atomically(location.path, _without_reference_header(text).encode("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return _("{reference} has settings of its own, which are not read from there, and "
                 "copying them to {path} failed ({error}); start with --config {reference} "
                 "to use them").format(reference=reference, path=location.path, error=error)
    return _("your settings in {reference} were copied to {path}, which is read and saved "
             "from now on; {reference} is only the reference of every setting"
             ).format(reference=reference, path=location.path)


def _reference_notes(reference: Path, location: SettingsLocation) -> list[str]:
    """Notes (and the one-time copy) for the project's own config.yaml, which is not read:
    edits in it must not be lost without a word."""
    try:
        edited = load_config(reference)
    except ConfigError as error:
        return [_("{reference} is only the reference of every setting and is not read; it "
                  "has a mistake ({error}): `git checkout {file}` restores it"
                  ).format(reference=reference, error=error, file=CONFIG_FILE)]
    if location.read_path is None:
        return [_adopt(reference, location)] if edited != AppConfig() else []
    try:
        in_use = load_config(location.path)
    except ConfigError:
        return []  # the loader reports it, as the app's own error
    differing = _differences(edited, in_use)
    if not differing:
        return []
    return [_("{reference} sets {keys} differently, but it is only the reference of every "
              "setting and is not read; the settings in use are in {path} (start with "
              "--config {reference} to use that file instead)"
              ).format(reference=reference, keys=", ".join(differing), path=location.path)]


def resolve(explicit: Path | None, cwd: Path | None = None) -> tuple[SettingsLocation, list[str]]:
    """The settings file in use, and the notes to show at start (one line each): which
    file is read when it is not the usual one, and what became of edits in the project's
    reference file (copied once into the user settings when there are none yet)."""
    location = locate(explicit, cwd)
    if location.origin is Origin.CURRENT_FOLDER:
        return location, [_("using the settings in {path} (config.yaml in the current "
                            "folder)").format(path=location.path)]
    here = cwd or _current_folder()
    reference = here / CONFIG_FILE if here is not None else None
    if (location.origin is Origin.USER and reference is not None and reference.is_file()
            and is_project_reference(reference)):
        return location, _reference_notes(reference, location)
    return location, []


def describe(location: SettingsLocation) -> str:
    """One line saying where the settings file in `location` comes from and whether it
    exists yet, for `attendance-app config path`."""
    origin = _(location.origin.value)
    if location.read_path is None:
        return _("{origin}; it does not exist yet, so the built-in defaults apply until the "
                 "Settings dialog first saves").format(origin=origin)
    if not location.path.is_file():
        return _("{origin} (it does not exist); the Settings dialog saves here"
                 ).format(origin=origin)
    return _("{origin}; the Settings dialog saves here").format(origin=origin)

