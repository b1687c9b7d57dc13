"""What each command-line subcommand does, separated from argument parsing.

Each function takes the resolved Workspace and plain values, prints for people, and
returns the process exit code (0 done, 1 nothing done or a problem reported).
"""

from __future__ import annotations

import os
import sys
import unicodedata
from datetime import date
from pathlib import Path

from attendance_app.app.workspace import Workspace

# Face work (attendance_app.recognition.photos, .headless, .sources: cv2, dlib, the tracker) is imported
# inside the commands that do it, so that `people`, `export` and the like start at once.
from attendance_app.config.location import SettingsLocation, describe
from attendance_app.wording import counted, plural
from enrolment import FaceStore


def warn(message: str) -> None:
    """One line on stderr about something that went wrong while the command still did its
    job (a photo skipped among others); on stderr, so it is not mixed into output people
    may pipe elsewhere."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def as_typed(arguments: str) -> str:
    """`attendance-app ARGUMENTS` as it must be typed here: through `uv run` when the app was
    started that way (uv sets UV for the programs it runs), so a printed hint can be copied
    and run as it is."""
    return f"{'uv run ' if os.environ.get('UV') else ''}attendance-app {arguments}"


def fail(message: str) -> None:
    """One line on stderr saying why the command did not do its job (it exits with 1)."""
    print(f"error: {message}", file=sys.stderr, flush=True)


def show_config_path(location: SettingsLocation) -> int:
    """`config path`: the full path of the settings file in use on stdout, alone, so that it
    can be pasted or used in a script (`xdg-open "$(attendance-app config path)"`); what
    the file is, and whether it exists yet, in words on stderr."""
    print(location.path, flush=True)
    print(describe(location), file=sys.stderr, flush=True)
    return 0


def list_people(workspace: Workspace) -> int:
    people = workspace.store().people()
    if not people:
        print(f"Nobody is enrolled yet; add someone with: {as_typed('enrol NAME photo.jpg')}")
        return 0
    width = max(display_width("Name"), *(display_width(p.name) for p in people))
    print(f"{padded('Name', width)}  {'ID':>4}  {'Encodings':>9}  Enrolled")
    for p in people:
        print(f"{padded(p.name, width)}  {p.person_id:>4}  {p.encoding_count:>9}  "
              f"{p.created_at:%Y-%m-%d %H:%M}")
    return 0


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters take two, combining marks
    none, so names in Chinese, Japanese or Korean keep the table in line."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def padded(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def _unknown(store: FaceStore, name: str) -> bool:
    """Say so (with the command that lists people) when nobody is called `name`."""
    if store.find(name) is not None:
        return False
    fail(f"nobody called {name!r} is enrolled; see who is with: {as_typed('people')}")
    return True


def forget(workspace: Workspace, name: str) -> int:
    store = workspace.store()
    if _unknown(store, name):
        return 1
    person = store.forget(name)
    count = person.encoding_count
    print(f"Forgot {person.name} (id {person.person_id}): deleted {counted(count, 'encoding')} "
          f"and {plural(count, 'its face image', 'their face images')}")
    return 0


def rename(workspace: Workspace, old: str, new: str) -> int:
    store = workspace.store()
    if _unknown(store, old):
        return 1
    person = store.rename(old, new)
    print(f"Renamed {old} to {person.name} (id {person.person_id})")
    return 0


def identify(workspace: Workspace, photos: list[Path]) -> int:
    """Print every face in each photo (a folder: every photo in it and its sub-folders, as
    `run --source DIR` takes it) with its best match; logs nothing."""
    from attendance_app.camera.images import ImageError, find_images, load_rgb
    from attendance_app.recognition.photos import identify_photo

    engine = workspace.engine()
    gallery = workspace.gallery(engine=engine)
    failed = False
    files = [found for path in photos
             for found in (find_images(path) if path.is_dir() else [path])]
    if not files:
        fail(f"no photos in {', '.join(map(str, photos))} or its sub-folders")
        return 1
    for path in files:
        try:
            faces = identify_photo(engine, gallery, load_rgb(path))
        except ImageError as error:
            fail(str(error))  # the command exits with 1 because of it
            failed = True
            continue
        print(f"{path}: {len(faces) or 'no'} face{'s' if len(faces) != 1 else ''}")
        for face in faces:
            match = face.match
            assert match is not None
            if match.person_id is None:
                verdict = "Unknown (nobody enrolled)"
            elif match.ambiguous:
                verdict = (f"ambiguous: {match.name} or {match.runner_up_name} (distances "
                           f"{match.distance:.3f} and {match.runner_up:.3f}); named neither")
            elif match.accepted:
                verdict = f"{match.name}  distance {match.distance:.3f}"
            elif match.voided_look_alike:
                verdict = (f"Unknown  distance {match.distance:.3f} to {match.name}, but nearer "
                           f"to a face voided as not {match.name}")
            else:
                verdict = f"Unknown  distance {match.distance:.3f} (nearest: {match.name})"
            print(f"  {face.box.describe()}  {verdict}")
    return 1 if failed else 0


def run(workspace: Workspace, source: str, tracks_csv: Path | None = None) -> int:
    """Watch `source` without a window; `tracks_csv` records every box drawn."""
    from attendance_app.app.headless import run_headless
    from attendance_app.app.instance_lock import DataFolderLock
    from attendance_app.camera.sources import SourceSpec

    spec = SourceSpec.parse(source)
    store = workspace.store()
    if not store.people():
        warn("nobody is enrolled yet, so nobody will be recognised or logged; enrol people "
             f"first with: {as_typed('enrol NAME photo.jpg')}")
    lock = DataFolderLock(workspace.journal_path)
    lock.acquire()  # one app per data folder
    link = workspace.central_link(store, workspace.journal())
    recorder = workspace.recorder(on_event=lambda e: print(e.describe(), flush=True),
                                  store=store, link=link)
    print(f"Watching {spec.describe()}; {_destination(workspace)}", flush=True)
    try:
        if link is not None:
            link.start()
        summary = run_headless(workspace, spec, recorder, warn, tracks_csv, link)
    finally:
        recorder.close()  # the rows still waiting go to the workbook before the summary
        if link is not None:
            link.close()  # sends what waits, if the server answers soon
        lock.release()
    print(summary.describe(), flush=True)
    return summary.exit_code


def _destination(workspace: Workspace) -> str:
    """Where a run's rows go, in words."""
    central = workspace.central
    if central is None:
        return f"writing to {workspace.workbook_path}"
    workbook = (f" and to {workspace.workbook_path}" if workspace.config.database.keeps_workbook
                else "")
    return f"logging to this door's journal, sent to {central.where}{workbook}"


def export(workspace: Workspace, since: date | None) -> int:
    """Rewrite the month workbooks from the journal, one line per file as it is written."""
    if since is not None and since > date.today():
        print(f"error: --since {since:%Y-%m-%d} is in the future, so nothing would be written; "
              "give a date on or before today", file=sys.stderr)
        return 1
    written: list[Path] = []

    def progress(month: str, path: Path, rows: int) -> None:
        written.append(path)
        print(f"  {path.name}: {counted(rows, 'row')} of {month}", file=sys.stderr, flush=True)

    count = workspace.workbook_sync(workspace.records()).export(since, progress)
    folder = workspace.workbook_path.parent
    if since is not None and not written:
        print(f"error: no attendance events on or after {since:%Y-%m-%d} in the journal; "
              f"the workbooks in {folder} were left as they are", file=sys.stderr)
        return 1
    scope = f" from {since:%B %Y} on" if since else ""
    print(f"Wrote {counted(count, 'attendance row')}{scope} to "
          f"{counted(len(written) or 1, 'workbook')} in "
          f"{folder} (the latest month in {workspace.workbook_path.name})")
    return 0
