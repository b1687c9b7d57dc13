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
from enrolment import FaceStore, Gallery, NewEncoding, StoreError
from enrolment.store import check_name, name_key

RECOMMENDED_PHOTOS = 3
"""Photos per person the enrol command asks for. On the shared test faces
(benchmarks/identification.py) three photos each named every probe photo and no stranger;
two named 98.5%, one 91.9%."""


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


PROGRESS_EVERY = 100
"""Without a terminal (a log file, a pipe), `enrol --folder` prints its progress as a line
every this many people; on a terminal one line counts up in place."""


def _look_alikes(gallery: Gallery, own_id: int | None,
                 shots: list[NewEncoding]) -> tuple[dict[int, float], list[tuple[str, float]]]:
    """Other people within tolerance of any new face (id -> nearest distance), and the new
    faces farther than tolerance from `own_id`, the person they are added to (source,
    distance). One vectorised search per face: only the few people within tolerance
    reach Python, so the check stays quick with thousands enrolled."""
    others: dict[int, float] = {}
    strays: list[tuple[str, float]] = []
    for shot in shots:
        ids, distances = gallery.distances_by_person(shot.vector)
        if own_id is not None:
            own = distances[ids == own_id]
            if own.size and own[0] > gallery.tolerance:
                strays.append((shot.source, float(own[0])))
        near = distances <= gallery.tolerance
        for person_id, distance in zip(ids[near].tolist(), distances[near].tolist()):
            if person_id != own_id:
                others[person_id] = min(distance, others.get(person_id, distance))
    return others, strays


def _same_face(name: str, others: dict[int, float], gallery: Gallery,
               same_face: float) -> str | None:
    """Why `name` must not be enrolled with these faces: one of them is already enrolled
    under another name (nearer than `same_face`, the engine's EngineProfile.same_face);
    None when none is."""
    same = [(distance, person_id) for person_id, distance in others.items()
            if distance < same_face]
    if not same:
        return None
    distance, person_id = min(same)
    other = gallery.table.names[person_id]
    return (f"this face is already enrolled as {other} (distance {distance:.2f}), so {name} "
            f"would be the same person under two names: add the photos to {other}, or give "
            "--force if they really are two people (identical twins)")


def _look_alike_warnings(name: str, own_id: int | None, shots: list[NewEncoding],
                         gallery: Gallery) -> None:
    """Say when the new faces are within tolerance of someone enrolled under another name,
    and when added photos do not look like the person they are added to."""
    others, strays = _look_alikes(gallery, own_id, shots)
    for source, distance in strays:
        warn(f"{source} does not look like the {name} already enrolled "
             f"(distance {distance:.2f}); check it is the same person")
    for person_id, distance in others.items():
        warn(f"{name} looks like {gallery.table.names[person_id]}, already enrolled (distance "
             f"{distance:.2f}): the same person under another name, or a look-alike "
             "who may be confused")


def enrol(workspace: Workspace, name: str, photos: list[Path], force: bool = False) -> bool:
    """Enrol `name` from the usable photos among `photos`; True if anything was stored.
    A face already enrolled under another name is refused unless `force`."""
    from attendance_app.camera.images import ImageError
    from attendance_app.faces import PROFILES
    from attendance_app.recognition.photos import ShotRefused, enrolment_shot, for_every_engine

    try:
        name = check_name(name)
    except StoreError as error:
        fail(str(error))
        return False
    engine, store = workspace.engine(), workspace.store()
    shots: list[NewEncoding] = []
    for path in photos:
        try:
            shots.append(enrolment_shot(engine, path, workspace.config.enrolment.min_face_px))
        except (ShotRefused, ImageError) as error:
            warn(f"skipped {error}")
    if not shots:
        fail(f"nothing enrolled for {name}: no usable photo")
        return False
    new = store.new_faces(name, shots)
    kept = {id(shot) for shot in new}
    for shot in shots:
        if id(shot) not in kept:
            print(f"  {shot.source}: already enrolled for {name} (the same photo); skipped")
    if not new:
        print(f"Nothing new for {name}: every photo is already enrolled")
        return True
    shots = new
    existing = store.find(name)
    gallery = workspace.gallery(store, engine)
    own_id = existing.person_id if existing else None
    refusal = _same_face(name, _look_alikes(gallery, own_id, shots)[0], gallery,
                         PROFILES[engine.name].same_face)
    if refusal is not None and not force:
        fail(refusal)
        return False
    _look_alike_warnings(name, own_id, shots, gallery)
    person = store.enrol(name, for_every_engine(workspace.engines(engine), shots))
    print(f"Enrolled {person.name} (id {person.person_id}): {counted(len(shots), 'new face')}, "
          f"{person.encoding_count} in total")
    if person.encoding_count < RECOMMENDED_PHOTOS:
        more = as_typed(f'enrol "{person.name}" PHOTO ...')
        print(f"  Tip: enrol {person.name} from {RECOMMENDED_PHOTOS} or more photos (add "
              f"more with: {more}): with fewer, people are recognised less often at the door.")
    return True


def _refusal_reason(path: Path, error: Exception) -> str:
    """What was wrong with a refused photo, without its file name and particulars
    ("face too small; use a closer or larger photo"), so refusals can be counted by kind."""
    reason = str(error).removeprefix(f"{path}: ")
    head, bracket, rest = reason.partition(" (")
    return head + rest.rpartition(")")[2] if bracket else reason


def _some(items: list[str], shown: int = 3) -> str:
    """The first few of `items`, and how many more there are."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def _people(count: int) -> str:
    return counted(count, "person", "people")


class _Progress:
    """'Enrolling people: 120 of 1000' on stderr, counting up in place on a terminal and
    as a line every PROGRESS_EVERY people elsewhere, so a log stays short."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.in_place = sys.stderr.isatty()
        self.line_open = False

    def update(self, done: int) -> None:
        text = f"Enrolling people: {done} of {self.total}"
        if self.in_place:
            print(f"\r{text}", end="", file=sys.stderr, flush=True)
            self.line_open = True
        elif done % PROGRESS_EVERY == 0:
            print(text, file=sys.stderr, flush=True)

    def warn(self, message: str) -> None:
        """A warning on a line of its own; the count resumes below it."""
        self.end_line()
        warn(message)

    def end_line(self) -> None:
        if self.line_open:
            print(file=sys.stderr, flush=True)
            self.line_open = False


class _FolderEnrolment:
    """`enrol --folder` under way: the gallery is read once and kept up to date in memory
    as people are added, so each person costs the same whether they are the first or the
    thousandth; what happened is tallied for one summary at the end."""

    def __init__(self, workspace: Workspace, folder: Path, total: int, force: bool,
                 underscores_are_spaces: bool) -> None:
        self.force = force
        self.underscores_are_spaces = underscores_are_spaces
        from attendance_app.faces import PROFILES

        self.engine = workspace.engine()
        self.engines = workspace.engines(self.engine)
        self.same_face_distance = PROFILES[self.engine.name].same_face
        self.min_face_px = workspace.config.enrolment.min_face_px
        self.store = workspace.store()
        self.gallery = workspace.gallery(self.store, self.engine)
        self.ids = {name_key(name): pid for pid, name in self.gallery.table.names.items()}
        self.folder = folder
        self.progress = _Progress(total)
        self.enrolled = self.faces = self.look_alikes = self.already = 0
        self.refused: dict[str, list[str]] = {}
        self.nobody: list[str] = []
        self.few_photos: list[str] = []
        self.same_face: list[str] = []

    def add(self, person_folder: Path) -> None:
        """Enrol one person from the photos in their folder; refusals are only counted."""
        from attendance_app.camera.images import ImageError, list_images
        from attendance_app.recognition.photos import ShotRefused, enrolment_shot

        try:
            name = check_name(person_folder.name.replace("_", " ")
                              if self.underscores_are_spaces else person_folder.name)
        except StoreError as error:
            self.progress.warn(f"{person_folder}: {error}")
            self.nobody.append(person_folder.name)
            return
        shots: list[NewEncoding] = []
        for path in list_images(person_folder):
            try:
                shots.append(enrolment_shot(self.engine, path, self.min_face_px))
            except (ShotRefused, ImageError) as error:
                self.refused.setdefault(_refusal_reason(path, error), []).append(
                    str(path.relative_to(self.folder)))
        if shots:
            self.add_shots(name, shots)
        else:
            self.nobody.append(name)

    def add_shots(self, name: str, shots: list[NewEncoding]) -> None:
        """Warn in one line if the faces look like someone else, store them, and add them
        to the in-memory gallery the next people are checked against. Photos already
        enrolled for that person are only counted."""
        new = self.store.new_faces(name, shots)
        self.already += len(shots) - len(new)
        if not new:
            return
        shots = new
        own_id = self.ids.get(name_key(name))
        others, strays = _look_alikes(self.gallery, own_id, shots)
        refusal = _same_face(name, others, self.gallery, self.same_face_distance)
        if refusal is not None and not self.force:
            self.progress.warn(f"{name}: not enrolled: {refusal}")
            self.same_face.append(name)
            return
        problems = []
        if others:
            names = self.gallery.table.names
            problems.append("looks like " + ", ".join(
                f"{names[pid]} ({distance:.2f})" for pid, distance in others.items())
                + ", already enrolled: the same person under another name, or a look-alike "
                "who may be confused")
        if strays:
            problems.append(f"{counted(len(strays), 'photo')} {plural(len(strays), 'does', 'do')} "
                            f"not look like the {name} already "
                            "enrolled: " + ", ".join(f"{source} ({distance:.2f})"
                                                     for source, distance in strays))
        if problems:
            self.look_alikes += 1
            self.progress.warn(f"{name} " + "; ".join(problems))
        from attendance_app.recognition.photos import for_every_engine

        person = self.store.enrol(name, for_every_engine(self.engines, shots))
        self.gallery = self.gallery.adding(person.person_id, person.name,
                                           [shot.vector for shot in shots])
        self.ids[name_key(person.name)] = person.person_id
        self.enrolled += 1
        self.faces += len(shots)
        if person.encoding_count < RECOMMENDED_PHOTOS:
            self.few_photos.append(person.name)

    def summary(self, total: int) -> list[str]:
        """The closing report: who was enrolled, what was refused and why, what to add."""
        lines = [f"Enrolled {self.enrolled} of {_people(total)} from {self.folder}: "
                 f"{counted(self.faces, 'face')} stored"]
        if self.refused:
            count = sum(len(paths) for paths in self.refused.values())
            lines.append(f"Refused {counted(count, 'photo')}:")
            for reason, paths in sorted(self.refused.items(), key=lambda item: -len(item[1])):
                lines.append(f"  {len(paths)} x {reason} ({_some(paths)})")
        if self.already:
            lines.append(f"Skipped {counted(self.already, 'photo')} already enrolled for their "
                         "person")
        if self.nobody:
            lines.append(f"Nobody enrolled for {_people(len(self.nobody))} without a usable "
                         f"photo: {_some(self.nobody)}")
        if self.same_face:
            lines.append(f"Not enrolled, their face is already enrolled under another name "
                         f"(see above; --force enrols them anyway): {_some(self.same_face)}")
        if self.few_photos:
            lines.append(f"{_people(len(self.few_photos))} "
                         f"{plural(len(self.few_photos), 'has', 'have')} fewer than {RECOMMENDED_PHOTOS} "
                         f"photos ({_some(self.few_photos)}); with fewer, people are recognised "
                         "less often at the door. Add more with: "
                         + as_typed('enrol "NAME" PHOTO ...'))
        if self.look_alikes:
            lines.append(f"Look-alike warnings for {_people(self.look_alikes)}: see above")
        return lines


def enrol_folder(workspace: Workspace, folder: Path, force: bool = False,
                 underscores_are_spaces: bool = False) -> int:
    """Enrol every `folder/<person name>/` from the photos inside it, showing progress and
    ending with one summary rather than a report per person."""
    if not folder.is_dir():
        fail(f"{folder} is not a folder; give a folder holding one sub-folder per person")
        return 1
    people = sorted(p for p in folder.iterdir() if p.is_dir())
    if not people:
        fail(f"{folder} has no sub-folders; make one per person, named after them, with "
             "their photos")
        return 1
    run = _FolderEnrolment(workspace, folder, len(people), force, underscores_are_spaces)
    if not underscores_are_spaces and any("_" in person.name for person in people):
        example = next(person.name for person in people if "_" in person.name)
        print(f"Folder names are taken as they are, e.g. {example!r}; add "
              f"--names-from-folders to enrol {example.replace('_', ' ')!r} instead", flush=True)
    try:
        for done, person_folder in enumerate(people, start=1):
            run.add(person_folder)
            run.progress.update(done)
    finally:  # also when stopped (Ctrl-C): say what was enrolled before the stop
        run.progress.end_line()
        print("\n".join(run.summary(len(people))), flush=True)
    return 0 if run.enrolled or run.already else 1


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
    """Watch `source` without a window (the door session the window runs too);
    `tracks_csv` records every box drawn."""
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
    try:
        link = workspace.central_link(store, workspace.journal())
        print(f"Watching {spec.describe()}; {_destination(workspace)}", flush=True)
        if link is not None:
            link.start()
        try:
            summary = run_headless(workspace, spec, warn, tracks_csv, store, link)
        finally:
            if link is not None:
                link.close()  # sends what waits, if the server answers soon
    finally:
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
