"""Writing changed settings back into config.yaml, keeping the user's file intact.

The file is people's documentation of their setup: its comments, key order, quoting and
the settings nobody changed must survive a save from the settings dialog. ruamel.yaml's
round-trip mode keeps them; the edited text is checked with the same `parse_config` that
start-up uses before it replaces the file (atomically), so a save can never leave a file
the app would refuse to start with. The first save into the user config folder creates the
folder and a file that says what it is (attendance_app.config.location).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import ScalarString

from attendance_app.config.settings import AppConfig, ConfigError, parse_config
from attendance_app.i18n import _
from exports.atomic import replace_atomically
from exports.owner_only import make_folder

NEW_FILE_HEADER = (
    "# Your settings of the attendance app, saved by its Settings dialog; edit them here\n"
    "# or in the dialog. A setting missing here keeps its default. Every setting, with its\n"
    "# default, bounds and what it does, is in docs/settings.md of the project (and in its\n"
    "# config.yaml).\n"
)
"""The opening comment of a settings file the app creates: someone who finds the file
in their config folder learns what it is and where the other settings are described."""

Changes = dict[tuple[str, str], Any]
"""(section, key) -> new value, e.g. {("recognition", "tolerance"): 0.45}."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap long values or comments
    return yaml


def edited_text(text: str, changes: Changes) -> str:
    """`text` (YAML) with `changes` applied; everything else is kept as it was."""
    yaml = _yaml()
    data = yaml.load(text) if text.strip() else None
    if data is None:
        data = CommentedMap()
    for (section, key), value in changes.items():
        if not isinstance(data.get(section), dict):
            data[section] = CommentedMap()
        old = data[section].get(key)
        if isinstance(old, ScalarString) and isinstance(value, str):
            value = type(old)(value)  # keep the user's quoting style
        data[section][key] = value
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def save_settings(path: Path, changes: Changes) -> AppConfig:
    """Apply `changes` to the config file at `path` and return the new settings; raises
    ConfigError, leaving the file untouched, if a value is refused. A missing file is
    created (with its folder, e.g. the user config folder on the first save), starting
    with NEW_FILE_HEADER."""
    exists = path.exists()
    try:
        text = path.read_text(encoding="utf-8") if exists else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(_("config file {path} cannot be read ({error}); check the file")
                          .format(path=path, error=error)) from None
    new_text = edited_text(text, changes)
    if not exists:
        new_text = NEW_FILE_HEADER + new_text
    config = parse_config(new_text, str(path))
    try:
        make_folder(path.parent)
        replace_atomically(path, new_text.encode("utf-8"))
    except OSError as error:
        raise ConfigError(_("config file {path} cannot be written ({error}); check the "
                            "folder's permissions").format(path=path, error=error.strerror)
                          ) from None
    return config
