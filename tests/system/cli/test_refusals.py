"""The liveness check's refusals on the command line: `run --headless` prints each as it is
noted, on a rendered photo attack; `attendance-app journal refusals` reads them back from a
real journal (written by the Journal API, as a door writes them)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.config.settings import AppConfig
from attendance_app.recognition.photos import enrolment_shot
from attendance_app.recognition.refusal import Refusal
from attendance_app.records.journal import Journal
from tests.support.faults_support import cli
from tests.support.photo_attack import HeldPhoto, render_attack

REASON = "no head movement seen"


def _journal_with_refusals(data_dir: Path) -> list[Refusal]:
    """Four refusals over three days, written out of time order (a door's clock is not the
    journal's id order after a restart)."""
    data_dir.mkdir()
    journal = Journal(data_dir / "journal.sqlite3")
    return [journal.refuse(Refusal(when, person_id, name, "door", 0.31, REASON))
             for when, person_id, name in (
                 (datetime(2026, 12, 3, 9, 5, 0), 2, "Grace Hopper"),
                 (datetime(2026, 12, 1, 8, 0, 0), 1, "Ada Lovelace"),
                 (datetime(2026, 12, 3, 8, 59, 30), 1, "Ada Lovelace"),
                 (datetime(2026, 12, 5, 7, 45, 0), 3, "Alan Turing"))]


def test_a_day_lists_its_refusals_oldest_first_with_a_summary(tmp_path: Path) -> None:
    noted = _journal_with_refusals(tmp_path / "data")
    done = cli("journal", "refusals", "--date", "2026-12-03", "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [noted[2].describe(), noted[0].describe(),
                                        "2 refusals on Dec 3, 2026"]
    assert "08:59:30  REFUSED  Ada Lovelace (id 1)  no head movement seen" in done.stdout


def test_a_span_of_days_and_a_day_without_any(tmp_path: Path) -> None:
    noted = _journal_with_refusals(tmp_path / "data")
    span = cli("journal", "refusals", "--from", "2026-12-01", "--to", "2026-12-05",
               "--data-dir", str(tmp_path / "data"))
    assert span.returncode == 0, span.stderr
    assert span.stdout.splitlines() == [noted[1].describe(), noted[2].describe(),
                                        noted[0].describe(), noted[3].describe(),
                                        "4 refusals from Dec 1, 2026 to Dec 5, 2026"]
    quiet = cli("journal", "refusals", "--date", "2026-12-02", "--data-dir", str(tmp_path / "data"))
    assert quiet.stdout.splitlines() == ["No refusals on Dec 2, 2026"]


def test_today_by_default_and_mistaken_dates_are_one_line(tmp_path: Path) -> None:
    _journal_with_refusals(tmp_path / "data")
    today = cli("journal", "refusals", "--data-dir", str(tmp_path / "data"))
    assert today.returncode == 0, today.stderr
    now = date.today()
    assert today.stdout.splitlines()[-1].endswith(f"on {now:%b} {now.day}, {now.year}")
    backwards = cli("journal", "refusals", "--from", "2026-12-05", "--to", "2026-12-01",
                    "--data-dir", str(tmp_path / "data"))
    assert backwards.returncode == 1
    assert backwards.stderr.strip() == "error: --to 2026-12-01 is before --from 2026-12-05"
    alone = cli("journal", "refusals", "--to", "2026-12-01", "--data-dir", str(tmp_path / "data"))
    assert alone.returncode == 1 and "--to needs --from" in alone.stderr


def test_with_a_central_database_it_says_the_refusals_are_the_doors_own(tmp_path: Path) -> None:
    """Refusals stay in the door's journal (nothing in attendance_app.central sends them), so
    the command reads that and says so, without needing the server to answer."""
    noted = _journal_with_refusals(tmp_path / "data")
    done = cli("journal", "refusals", "--date", "2026-12-05", "--data-dir", str(tmp_path / "data"),
               "--database", "postgresql://attendance@127.0.0.1:9/attendance")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == ("Refusals are not sent to the central database: these are this "
                        f"door's own, from its journal {tmp_path / 'data' / 'journal.sqlite3'}")
    assert lines[1:] == [noted[3].describe(), "1 refusal on Dec 5, 2026"]


def test_a_headless_run_prints_the_refusal_when_it_is_noted(faces_dir: Path,
                                                           tmp_path: Path) -> None:
    """His own enrolment photo held up and moved for 4 s, liveness.mode motion: no row, and
    the run prints the refusal line, the same line `journal refusals` prints."""
    data = tmp_path / "data"
    workspace = Workspace.resolve(AppConfig(), data, None)
    photo = faces_dir / "enrol" / "obama" / "obama.jpg"
    workspace.store().enrol("obama", [enrolment_shot(workspace.engine(), photo, 40)])
    video = render_attack([HeldPhoto(photo, 5, 104, seed=3)], tmp_path / "attack.mp4")
    settings = tmp_path / "settings.yaml"
    settings.write_text("liveness:\n  mode: motion\n", encoding="utf-8")

    run = cli("run", "--headless", "--source", str(video), "--config", str(settings),
              "--data-dir", str(data))

    assert run.returncode == 0, run.stderr
    (refusal,) = Journal(data / "journal.sqlite3").refusals()
    assert (refusal.name, refusal.reason) == ("obama", REASON)
    assert refusal.describe() in run.stdout.splitlines() and " IN " not in run.stdout
    day = f"{refusal.timestamp:%Y-%m-%d}"
    listed = cli("journal", "refusals", "--date", day, "--config", str(settings),
                 "--data-dir", str(data))
    when = refusal.timestamp
    assert listed.stdout.splitlines() == [refusal.describe(),
                                          f"1 refusal on {when:%b} {when.day}, {when.year}"]
