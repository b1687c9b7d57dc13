"""What each command-line subcommand does, separated from argument parsing.

Each function takes the resolved Workspace and plain values, prints for people, and
returns the process exit code (0 done, 1 nothing done or a problem reported).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from attendance_app.headless import run_headless
from attendance_app.images import ImageError, list_images, load_rgb
from attendance_app.photos import ShotRefused, enrolment_shot, identify_photo
from attendance_app.sources import SourceSpec
from attendance_app.workspace import Workspace
from enrolment import Gallery, NewEncoding, StoreError, person_distances
from enrolment.store import check_name

RECOMMENDED_PHOTOS = 3
"""Photos per person the enrol command asks for. On the shared test faces
(benchmarks/identification.py) three photos each named every probe photo and no stranger;
two named 98.5%, one 91.9%."""


def warn(message: str) -> None:
    """One line on stderr, so it is not mixed into output people may pipe elsewhere."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def _look_alike_warnings(name: str, shots: list[NewEncoding], gallery: Gallery) -> None:
    """Say when the new faces are within tolerance of someone enrolled under another name,
    and when added photos do not look like the person they are added to."""
    reported: set[int] = set()
    table = gallery.table
    own_id = next((pid for pid, n in table.names.items() if n.casefold() == name.casefold()), None)
    for shot in shots:
        for person_id, distance in person_distances(table, shot.vector).items():
            if person_id == own_id:
                if distance > gallery.tolerance:
                    warn(f"{shot.source} does not look like the {name} already enrolled "
                         f"(distance {distance:.2f}); check it is the same person")
            elif distance <= gallery.tolerance and person_id not in reported:
                reported.add(person_id)
                warn(f"{name} looks like {table.names[person_id]}, already enrolled (distance "
                     f"{distance:.2f}): the same person under another name, or a look-alike "
                     "who may be confused")


def enrol(workspace: Workspace, name: str, photos: list[Path]) -> bool:
    """Enrol `name` from the usable photos among `photos`; True if anything was stored."""
    try:
        name = check_name(name)
    except StoreError as error:
        warn(str(error))
        return False
    engine, store = workspace.engine(), workspace.store()
    shots: list[NewEncoding] = []
    for path in photos:
        try:
            shots.append(enrolment_shot(engine, path, workspace.config.enrolment.min_face_px))
        except (ShotRefused, ImageError) as error:
            warn(f"skipped {error}")
    if not shots:
        warn(f"nothing enrolled for {name}: no usable photo")
        return False
    _look_alike_warnings(name, shots, workspace.gallery(store))
    person = store.enrol(name, shots)
    print(f"Enrolled {person.name} (id {person.person_id}): {len(shots)} new face(s), "
          f"{person.encoding_count} in total")
    if person.encoding_count < RECOMMENDED_PHOTOS:
        print(f"  Tip: enrol {person.name} from {RECOMMENDED_PHOTOS} or more photos (add "
              f"more with: attendance-app enrol \"{person.name}\" PHOTO ...): with fewer, "
              "people are recognised less often at the door.")
    return True


def enrol_folder(workspace: Workspace, folder: Path) -> int:
    """Enrol every `folder/<person name>/` from the photos inside it."""
    if not folder.is_dir():
        warn(f"{folder} is not a folder; give a folder holding one sub-folder per person")
        return 1
    people = sorted(p for p in folder.iterdir() if p.is_dir())
    if not people:
        warn(f"{folder} has no sub-folders; make one per person, named after them, with their photos")
        return 1
    enrolled = [enrol(workspace, person.name, list_images(person)) for person in people]
    print(f"Enrolled {sum(enrolled)} of {len(people)} people from {folder}")
    return 0 if any(enrolled) else 1


def list_people(workspace: Workspace) -> int:
    people = workspace.store().people()
    if not people:
        print("Nobody is enrolled yet; add someone with: attendance-app enrol NAME photo.jpg")
        return 0
    width = max(len("Name"), *(len(p.name) for p in people))
    print(f"{'Name':<{width}}  {'ID':>4}  {'Encodings':>9}  Enrolled")
    for p in people:
        print(f"{p.name:<{width}}  {p.person_id:>4}  {p.encoding_count:>9}  {p.created_at:%Y-%m-%d %H:%M}")
    return 0


def forget(workspace: Workspace, name: str) -> int:
    person = workspace.store().forget(name)
    print(f"Forgot {person.name} (id {person.person_id}): deleted {person.encoding_count} "
          "encoding(s) and face image(s)")
    return 0


def rename(workspace: Workspace, old: str, new: str) -> int:
    person = workspace.store().rename(old, new)
    print(f"Renamed {old} to {person.name} (id {person.person_id})")
    return 0


def identify(workspace: Workspace, photos: list[Path]) -> int:
    """Print every face in each photo with its best match; logs nothing."""
    engine, gallery = workspace.engine(), workspace.gallery()
    failed = False
    for path in photos:
        try:
            faces = identify_photo(engine, gallery, load_rgb(path))
        except ImageError as error:
            warn(str(error))
            failed = True
            continue
        print(f"{path}: {len(faces) or 'no'} face{'s' if len(faces) != 1 else ''}")
        for face in faces:
            match = face.match
            assert match is not None
            if match.person_id is None:
                verdict = "Unknown (nobody enrolled)"
            elif match.accepted:
                verdict = f"{match.name}  distance {match.distance:.3f}"
            else:
                verdict = f"Unknown  distance {match.distance:.3f} (nearest: {match.name})"
            print(f"  {face.box.describe()}  {verdict}")
    return 1 if failed else 0


def run(workspace: Workspace, source: str) -> int:
    spec = SourceSpec.parse(source)
    recorder = workspace.recorder(on_event=lambda e: print(e.describe(), flush=True))
    print(f"Watching {spec.describe()}; writing to {workspace.workbook_path}", flush=True)
    summary = run_headless(workspace, spec, recorder, warn)
    print(summary.describe(), flush=True)
    return 0


def export(workspace: Workspace, since: date | None) -> int:
    journal = workspace.journal()
    count = workspace.workbook_sync(journal).rebuild(since)
    scope = f" since {since:%Y-%m-%d}" if since else ""
    print(f"Wrote {count} attendance row(s){scope} to {workspace.workbook_path}")
    return 0
