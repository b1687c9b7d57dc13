"""The command line in the user's language (issue 27, point 3): the real command in a child
process, on the small school of tests/support/range_school.py.

Under the pseudo-language (ATTENDANCE_LANGUAGE=qps) every translated text comes out as
⟦text⟧, so a line with words outside the brackets, other than data (names, paths,
numbers, option names), is a text that never went through the catalogs. German and
Spanish runs check real translated words and the region's date format, and locale.language
in the settings file chooses the language as the override does.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from attendance_app.i18n import dates
from exports.by_group import NO_GROUP
from exports.printing import period_words
from tests.support.enrolled_folder import enrolled_from_photos
from tests.support.faults_support import cli
from tests.support.range_school import range_school
from tests.support.translations import untranslated

GROUPS = ("enrol", "people", "forget", "rename", "identify", "group", "holiday", "leave",
          "run", "export", "report", "void", "arrival", "journal", "database", "config",
          "unknowns", "messages", "web", "menu")
"""Every command group of `attendance-app --help`."""

DATA = ("Ada", "Bob", "Cyd", "3A", "Example School", "attendance-app", "uv run",
        "attendance.xlsx", "journal.sqlite3")
"""What the school's commands print that is data, not words."""

WORKBOOK_WORDS = ("mon-fri", "min", NO_GROUP)
"""Words the command line prints from the exports library (a group's hours, minutes late,
the people in no group): the workbook's catalog translates them, not the command line's."""


def _dates() -> tuple[str, ...]:
    """The school's dates as the pseudo-language's region (en_US) writes them: data, as a
    name is (the words of a date are the region's, from CLDR, not the catalogs')."""
    days = [date(2026, 10, 29), date(2026, 10, 30), date(2026, 11, 2)]
    return (*(dates.weekday_and_day_text(day) for day in days),
            *(dates.day_text(day) for day in days), dates.month_text(2026, 10),
            dates.moment_text(datetime(2026, 10, 1, 7, 0)),
            period_words([date(2026, 10, 29), date(2026, 11, 2)]))

_COMMAND_LIST = re.compile(r"^\s+[a-z][\w-]*(?=\s{2,}|$)")
_OPTION = re.compile(r"(?<![\w⟦])--?[a-z][\w-]*")
_METAVAR = re.compile(r"\b[A-Z][A-Z0-9_|-]*(?:\.[a-z]+)?\b|\{[\w,-]+\}|\[[^\]⟦]*\]")
USAGE = "⟦usage: ⟧"


def _without_usage(lines: list[str]) -> list[str]:
    """The lines less argparse's usage (the command as it is typed, its arguments' names
    included): from the usage line to the next line with a translated text."""
    kept, in_usage = [], False
    for line in lines:
        in_usage = line.startswith(USAGE) or (in_usage and "⟦" not in line)
        kept.append(USAGE if line.startswith(USAGE) else "" if in_usage else line)
    return kept


def _typed(lines: list[str], data: tuple[str, ...]) -> list[str]:
    """The lines less `data`, then less what is typed as it is (options, metavars)."""
    cleaned = []
    for line in _without_usage(lines):
        for item in sorted(data, key=len, reverse=True):
            line = line.replace(item, " ")
        cleaned.append(_METAVAR.sub(" ", _OPTION.sub(" ", line)))
    return cleaned


def _run(tmp_path: Path, *args: str, language: str | None = "qps",
         config: Path | None = None, system: str = "C.UTF-8") -> tuple[int, list[str]]:
    """The command on the school's data folder, on a system whose locale is `system`; its
    exit code and every line it printed."""
    data = tmp_path / "data"
    settings = config or (data / "config.yaml" if data.exists() else range_school(data))
    env = {key: value for key, value in os.environ.items()
           if key not in ("ATTENDANCE_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = system
    if language is not None:
        env["ATTENDANCE_LANGUAGE"] = language
    result = cli(*args, "--data-dir", str(data), "--config", str(settings), env=env,
                 cwd=tmp_path)
    return result.returncode, (result.stdout + result.stderr).splitlines()


def _words_of_help(lines: list[str]) -> list[str]:
    """--help's paragraphs (argparse wraps a text over several lines) less what it prints
    as it is typed: the commands' names, the options and their metavars (PATH,
    YYYY-MM-DD, {add,remove})."""
    cleaned = [_METAVAR.sub(" ", _OPTION.sub(" ", _COMMAND_LIST.sub(" ", line)))
               for line in _without_usage(lines)]
    return "\n".join(cleaned).split("\n\n")


def test_help_of_every_group_is_translated(tmp_path: Path) -> None:
    found = []
    for group in ("", *GROUPS):
        code, lines = _run(tmp_path, *([group] if group else []), "--help")
        assert code == 0, lines
        found += untranslated(_words_of_help(lines), data=(*DATA, *GROUPS))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("command", [
    ("people",), ("report", "--day", "2026-10-29"), ("report", "--from", "2026-10-29", "--to",
                                                        "2026-11-02"),
    ("group", "list"), ("journal", "refusals", "--date", "2026-10-29"),
    ("export", "--since", "2026-10-01"), ("holiday", "list"), ("leave", "list"),
    ("rename", "Nobody", "Someone"), ("report", "--day", "tomorrow"),
], ids=" ".join)
def test_commands_print_only_translated_words(tmp_path: Path, command: tuple[str, ...]) -> None:
    _, lines = _run(tmp_path, *command)
    data = (*DATA, *WORKBOOK_WORDS, *_dates(), str(tmp_path), *command)
    assert lines
    # One text: a translated text may end on the next line (argparse's error ends in "\n").
    assert not untranslated(["\n".join(_typed(lines, data))]), "\n".join(lines)


def test_a_bad_settings_file_is_reported_in_english_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("camera:\n  nonsense: 1\n", encoding="utf-8")

    code, lines = _run(tmp_path, "people", language=None, config=config)

    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "nonsense" in lines[0]


def test_german_words_and_german_dates(tmp_path: Path) -> None:
    _, people = _run(tmp_path, "people", language="de")
    _, day = _run(tmp_path, "report", "--day", "2026-10-29", language="de")

    assert people[0].split() == ["Name", "ID", "Kodierungen", "Erfasst"]
    assert people[1].split()[-2:] == ["01.10.2026,", "07:00"] or \
        people[1].split()[-2:] == ["01.10.2026", "07:00"], people
    assert "Die Berichte von Oktober 2026 sind in" in day[0]
    assert day[1].startswith("Donnerstag, 29. Oktober 2026: 3 anwesend, 0 abwesend"), day
    assert any(line.strip().startswith("Anwesend: ") for line in day), day


def test_spanish_chosen_in_the_settings_file(tmp_path: Path) -> None:
    config = range_school(tmp_path / "data")
    config.write_text(config.read_text(encoding="utf-8") + "locale:\n  language: es\n",
                      encoding="utf-8")

    _, day = _run(tmp_path, "report", "--day", "2026-10-29", language=None, config=config)
    _, wrong = _run(tmp_path, "report", "--day", "29.10.2026", language=None, config=config)

    assert day[1].startswith("jueves, 29 de octubre de 2026: 3 presentes, 0 ausentes"), day
    assert wrong[-1].endswith("'29.10.2026' no es una fecha; escríbala como YYYY-MM-DD"), wrong


def _bad_settings(tmp_path: Path) -> Path:
    """A settings file with a key no setting has (its line: 2)."""
    config = tmp_path / "bad.yaml"
    config.write_text("camera:\n  nonsense: 1\n", encoding="utf-8")
    return config


def test_a_bad_settings_file_is_reported_in_the_known_language(tmp_path: Path) -> None:
    """The file that would choose the language cannot be read: the one line is in the
    language known without it (the override, else the system's), every word translated."""
    config = _bad_settings(tmp_path)

    code, pseudo = _run(tmp_path, "people", config=config)
    _, german = _run(tmp_path, "people", language=None, config=config, system="de_DE.UTF-8")

    assert code == 1 and len(pseudo) == 1, pseudo
    assert not untranslated(pseudo, data=(str(config), "camera.nonsense", "source, name")), \
        pseudo
    assert len(german) == 1, german
    assert f"{config} Zeile 2: unbekannte Einstellung 'camera.nonsense'; hier erlaubt: " \
        "source, name" in german[0], german


def test_a_value_out_of_range_names_its_unit_in_german(tmp_path: Path) -> None:
    config = tmp_path / "wide.yaml"
    config.write_text("detection:\n  width: 10\n", encoding="utf-8")

    code, lines = _run(tmp_path, "people", language="de", config=config)

    assert code == 1 and len(lines) == 1, lines
    assert lines[0].endswith("Zeile 2: detection.width muss zwischen 160 und 3840 Pixel "
                             "liegen, ist aber 10"), lines


_BOX = re.compile(r"x=\d+ y=\d+ w=\d+ h=\d+")
"""A face's box as `identify` prints it: coordinates, typed as they are in every language."""


def test_identify_on_real_photos_speaks_the_users_language(faces_dir: Path,
                                                           tmp_path: Path) -> None:
    """`identify` on an enrolled person's other photo and on a stranger: its words (the
    count of faces, the verdict) are translated, in the pseudo-language and in German."""
    data = enrolled_from_photos(faces_dir, tmp_path, {"Ada": "obama"})
    probe = sorted((faces_dir / "probe" / "obama").iterdir())[0]
    stranger = sorted(p for p in (faces_dir / "stranger").rglob("*") if p.is_file())[0]

    def identify(language: str) -> list[str]:
        _, lines = _run(tmp_path, "identify", str(probe), str(stranger), language=language,
                        config=tmp_path / "none.yaml")
        return [_BOX.sub(" ", line) for line in lines]

    (tmp_path / "none.yaml").write_text("", encoding="utf-8")
    pseudo, german = identify("qps"), identify("de")

    data_words = (str(probe), str(stranger), "Ada", str(data))
    assert len(pseudo) >= 4 and not untranslated(pseudo, data=data_words), pseudo
    assert any(line.strip().startswith("Ada  Abstand 0.") for line in german), german
    assert any(line.strip().startswith("Unbekannt  Abstand") for line in german), german
