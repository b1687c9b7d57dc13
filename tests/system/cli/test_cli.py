"""The command line itself: help, option placement, and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from attendance_app.cli.main import build_parser, main


def test_help_explains_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for command in ("enrol", "people", "forget", "rename", "run", "identify", "export", "report"):
        assert command in text
    for option in ("--config", "--data-dir", "--workbook"):
        assert option in text


@pytest.mark.parametrize("command", ["enrol", "people", "forget", "run", "identify", "export",
                                     "report"])
def test_each_subcommand_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert f"attendance-app {command}" in text and "--data-dir" in text


def test_global_options_work_before_and_after_the_subcommand(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    assert main(["--data-dir", str(before), "people"]) == 0
    assert main(["people", "--data-dir", str(after)]) == 0
    assert (before / "faces.sqlite3").is_file() and (after / "faces.sqlite3").is_file()


def test_broken_config_is_one_line_naming_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("recognition:\n  tolerence: 0.5\n")
    assert main(["--config", str(config), "people", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"error: {config} line 2: unknown setting 'recognition.tolerence'; allowed here: " \
                  "engine, landmarks, tolerance, sface_tolerance, margin, votes_needed, max_attempts, " \
                  "recheck_every_n_frames"


def test_workbook_in_a_missing_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "no" / "such" / "folder" / "a.xlsx"
    assert main(["people", "--data-dir", str(tmp_path), "--workbook", str(workbook)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_forgetting_someone_unknown_says_how_to_list_people(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forget", "Nobody", "--data-dir", str(tmp_path)]) == 1
    assert "attendance-app people" in capsys.readouterr().err


def test_export_with_a_bad_date_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["export", "--since", "yesterday", "--data-dir", str(tmp_path)])
    assert done.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_report_month_means_its_first_day() -> None:
    args = build_parser().parse_args(["report", "--month", "2024-05", "--csv", "out"])
    assert (args.month, args.day, args.csv) == (date(2024, 5, 1), None, Path("out"))


def test_report_with_a_bad_month_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["report", "--month", "2024-13", "--data-dir", str(tmp_path)])
    assert done.value.code == 2
    assert "'2024-13' is not a month; write it as YYYY-MM" in capsys.readouterr().err


def test_report_takes_a_month_or_a_day_not_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["report", "--month", "2024-05", "--day", "2024-05-02", "--data-dir", str(tmp_path)])
    assert done.value.code == 2
    assert "not allowed with argument --month" in capsys.readouterr().err


def test_installed_command_runs_without_a_subcommand() -> None:
    script = Path(sys.executable).parent / "attendance-app"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "usage: attendance-app" in result.stdout


def test_main_in_a_program_that_goes_on_leaves_its_sigterm_handler(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main() turns SIGTERM into a clean stop while a command runs, and afterwards puts back
    the handler the calling program had (a test run, a script), which a later SIGTERM to
    that program must reach."""
    import signal

    def own(*_: object) -> None:
        """The calling program's handler."""

    previous = signal.signal(signal.SIGTERM, own)
    try:
        assert main(["people", "--data-dir", str(tmp_path)]) == 0
        assert signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert "Nobody is enrolled yet" in capsys.readouterr().out
