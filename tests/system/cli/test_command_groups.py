"""One module per command group (issue 21, point 4): each module of attendance_app/cli adds
its subcommands with their handlers, and main.py only dispatches. The walk below finds a
subcommand with no handler, or a handler living in another group's module."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from attendance_app.cli.main import COMMAND_GROUPS, build_parser, main
from tests.support.imports import imported_packages


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
            ) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every subcommand a person can type (`database init`, `people`), with its parser;
    a group with required actions (`database`) is not one itself."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _leaves(child, (*path, name))
            if action.required:
                return found
    return [*found, (path, parser)] if path else found


def test_every_subcommand_has_a_handler_of_its_own_group() -> None:
    seen = []
    for group in COMMAND_GROUPS:
        parser = argparse.ArgumentParser()
        group.add_parser(parser.add_subparsers())
        for path, leaf in _leaves(parser):
            handler = leaf.get_default("handler")
            assert callable(handler), f"{' '.join(path)} has no handler"
            assert handler.__module__ == group.__name__, (path, handler.__module__)
            seen.append(" ".join(path))
    assert sorted(seen) == sorted(" ".join(path) for path, _ in _leaves(build_parser()))
    assert {"people", "run", "database add-door-user", "unknowns", "unknowns enrol",
            "config path", "journal rebuild"} <= set(seen)


def test_parsing_loads_no_handler_work(tmp_path: Path) -> None:
    """Every group module is imported to parse (`--help` lists them all), so each keeps its
    handlers' imports inside them: no database driver, workbook or array library, not
    even the face store, before a command runs. The settings are read before parsing, for
    the language of `--help` (cli/language.py), so their YAML reader and the exports
    library's words (gettext catalogs, not its workbook writer) load."""
    loaded = imported_packages(["-m", "attendance_app", "--help"], tmp_path)
    assert "attendance_app" in loaded
    work = {"numpy", "psycopg", "cryptography", "openpyxl", "PIL", "enrolment", "trackers",
            "cv2", "PySide6"}
    assert not loaded & work, sorted(loaded & work)


@pytest.mark.parametrize("command", [["database"], ["journal"], ["config"]])
def test_a_group_without_its_action_is_a_usage_error(command: list[str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*command, "--data-dir", str(tmp_path)])
    assert stop.value.code == 2
    assert "required: ACTION" in capsys.readouterr().err


def test_enrol_name_and_folder_together_is_a_usage_error(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["enrol", "Ada", "ada.jpg", "--folder", str(tmp_path), "--data-dir", str(tmp_path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: attendance-app ")
    assert "attendance-app: error: enrol takes either NAME PHOTO... or --folder DIR" in err


def test_source_before_run_is_used_without_the_window_too(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`attendance-app --source X run` opened the window on X, while `--headless` watched
    camera.source instead: both now watch X (the window's reading won)."""
    fake = tmp_path / "door.mp4"
    fake.write_bytes(b"\0" * 1000)
    assert main(["--source", str(fake), "run", "--headless", "--data-dir", str(tmp_path)]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("error: video file") and "door.mp4" in last, last
