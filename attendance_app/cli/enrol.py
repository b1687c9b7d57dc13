"""`attendance-app enrol`: enrol a person from photos, or everyone in a folder of folders.

Both go through the one enrolment service (attendance_app.people.enrolment), which judges
the photos and applies the rules every front end shares; this module only words what it
reports: warnings on stderr, what was enrolled on stdout, and `--force` as the answer to
"this face is already enrolled under another name".
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from attendance_app.app.workspace import Workspace
from attendance_app.cli.output import as_typed, fail, warn
from attendance_app.i18n import _, ngettext
from attendance_app.people.enrolment import Enrolment, EnrolmentService, JudgedPhoto
from enrolment import NewEncoding, StoreError
from enrolment.names import check_name

RECOMMENDED_PHOTOS = 3
"""Photos per person the enrol command asks for. On the shared test faces
(benchmarks/identification.py) three photos each named every probe photo and no stranger;
two named 98.5%, one 91.9%."""

POOL_FROM_PHOTOS = 10
"""`enrol --folder` encodes in worker processes from this many photos on: starting a
worker (imports, both engines' models) costs a few seconds, what about 10 photos take to
encode in one process."""

PROGRESS_EVERY = 100
"""Without a terminal (a log file, a pipe), `enrol --folder` prints its progress as a line
every this many people; on a terminal one line counts up in place."""


def same_face_refusal(enrolment: Enrolment) -> str:
    """Why the enrolment was refused, and the way round it, in one line."""
    same = enrolment.same_face
    assert same is not None
    return _("this face is already enrolled as {other} (distance {distance:.2f}), so {name} "
             "would be the same person under two names: add the photos to {other}, or give "
             "--force if they really are two people (identical twins)").format(
        other=same.name, distance=same.distance, name=enrolment.name)


def _look_alike_warnings(enrolment: Enrolment) -> None:
    """Say when the new faces are within tolerance of someone enrolled under another name,
    and when added photos do not look like the person they are added to."""
    name = enrolment.name
    for stray in enrolment.strays:
        warn(_("{photo} does not look like the {name} already enrolled (distance "
               "{distance:.2f}); check it is the same person").format(
            photo=stray.source, name=name, distance=stray.distance))
    for other in enrolment.look_alikes:
        warn(_("{name} looks like {other}, already enrolled (distance {distance:.2f}): the "
               "same person under another name, or a look-alike who may be confused").format(
            name=name, other=other.name, distance=other.distance))


def enrol(workspace: Workspace, name: str, photos: list[Path], force: bool = False) -> bool:
    """Enrol `name` from the usable photos among `photos`; True if anything was stored.
    A face already enrolled under another name is refused unless `force`."""
    try:
        name = check_name(name)
    except StoreError as error:
        fail(str(error))
        return False
    service = EnrolmentService.at(workspace, workspace.store(), workspace.engine())
    shots: list[NewEncoding] = []
    for path in photos:
        verdict = service.judge_photo(path)
        if verdict.shot is None:
            warn(_("skipped {reason}").format(reason=verdict.detail))
        else:
            if verdict.ignored:
                print(f"  {path.name}: {verdict.note}")
            shots.append(verdict.shot)
    if not shots:
        fail(_("nothing enrolled for {name}: no usable photo").format(name=name))
        return False
    enrolment = service.check(name, shots)
    for source in enrolment.duplicates:
        print("  " + _("{photo}: already enrolled for {name} (the same photo); skipped").format(
            photo=source, name=name))
    if enrolment.nothing_new:
        print(_("Nothing new for {name}: every photo is already enrolled").format(name=name))
        return True
    if enrolment.refused and not force:
        fail(same_face_refusal(enrolment))
        return False
    _look_alike_warnings(enrolment)
    person = service.commit(enrolment, force).person
    assert person is not None
    print(ngettext("Enrolled {name} (id {id}): {count} new face, {total} in total",
                   "Enrolled {name} (id {id}): {count} new faces, {total} in total",
                   len(enrolment.new)).format(name=person.name, id=person.person_id,
                                              count=len(enrolment.new),
                                              total=person.encoding_count))
    if person.encoding_count < RECOMMENDED_PHOTOS:
        more = as_typed(f'enrol "{person.name}" PHOTO ...')
        print("  " + _("Tip: enrol {name} from {count} or more photos (add more with: "
                       "{command}): with fewer, people are recognised less often at the "
                       "door.").format(name=person.name, count=RECOMMENDED_PHOTOS, command=more))
    return True


def _refusal_reason(path: Path, detail: str) -> str:
    """What was wrong with a refused photo, without its file name and particulars
    ("face too small; use a closer or larger photo"), so refusals can be counted by kind."""
    reason = detail.removeprefix(f"{path}: ")
    head, bracket, rest = reason.partition(" (")
    return head + rest.rpartition(")")[2] if bracket else reason


def _some(items: list[str], shown: int = 3) -> str:
    """The first few of `items`, and how many more there are."""
    if len(items) <= shown:
        return ", ".join(items)
    return _("{names} and {count} more").format(names=", ".join(items[:shown]),
                                                count=len(items) - shown)


def _people(count: int) -> str:
    return ngettext("{count} person", "{count} people", count).format(count=count)


class _Progress:
    """'Enrolling people: 120 of 1000' on stderr, counting up in place on a terminal and
    as a line every PROGRESS_EVERY people elsewhere, so a log stays short."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.in_place = sys.stderr.isatty()
        self.line_open = False

    def update(self, done: int) -> None:
        text = _("Enrolling people: {done} of {total}").format(done=done, total=self.total)
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


def _problems(enrolment: Enrolment) -> list[str]:
    """The look-alike and stray warnings of one person of a folder, for one line."""
    name, problems = enrolment.name, []
    if enrolment.look_alikes:
        problems.append(_("looks like {others}, already enrolled: the same person under "
                          "another name, or a look-alike who may be confused").format(
            others=", ".join(f"{other.name} ({other.distance:.2f})"
                             for other in enrolment.look_alikes)))
    strays = enrolment.strays
    if strays:
        problems.append(ngettext("{count} photo does not look like the {name} already "
                                 "enrolled: {photos}", "{count} photos do not look like the "
                                 "{name} already enrolled: {photos}", len(strays)).format(
            count=len(strays), name=name,
            photos=", ".join(f"{s.source} ({s.distance:.2f})" for s in strays)))
    return problems


class _FolderEnrolment:
    """`enrol --folder` under way: one enrolment service for the whole folder, whose
    gallery is read once and grown in memory as people are added, so each person costs the
    same whether they are the first or the thousandth; what happened is tallied for one
    summary at the end."""

    def __init__(self, workspace: Workspace, folder: Path, total: int, force: bool,
                 underscores_are_spaces: bool) -> None:
        self.force = force
        self.underscores_are_spaces = underscores_are_spaces
        self.engine = workspace.engine()
        self.store = workspace.store()
        self.service = EnrolmentService.at(workspace, self.store, self.engine)
        self.folder = folder
        self.progress = _Progress(total)
        self.enrolled = self.faces = self.look_alikes = self.already = 0
        self.refused: dict[str, list[str]] = {}
        self.nobody: list[str] = []
        self.few_photos: list[str] = []
        self.same_face: list[str] = []
        self.dominant: list[str] = []  # photos whose other faces were ignored

    def add(self, person_folder: Path, photos: Iterable[tuple[Path, JudgedPhoto]],
            pooled: bool = False) -> None:
        """Enrol one person from their folder's photos, judged (lazily when not `pooled`:
        a folder whose name cannot be used is not judged); refusals are only counted.
        Pooled photos carry their faces as the other engines encode them."""
        try:
            name = check_name(person_folder.name.replace("_", " ")
                              if self.underscores_are_spaces else person_folder.name)
        except StoreError as error:
            self.progress.warn(f"{person_folder}: {error}")
            self.nobody.append(person_folder.name)
            return
        shots: list[NewEncoding] = []
        others: dict[int, tuple[NewEncoding, ...]] = {}  # id of a shot -> its other engines'
        for path, photo in photos:
            verdict = photo.verdict
            if verdict.shot is None:
                self.refused.setdefault(_refusal_reason(path, verdict.detail), []).append(
                    str(path.relative_to(self.folder)))
            else:
                if verdict.ignored:
                    self.dominant.append(str(path.relative_to(self.folder)))
                shots.append(verdict.shot)
                others[id(verdict.shot)] = photo.others
        if shots:
            self.add_shots(name, shots, (lambda shot: others[id(shot)]) if pooled else None)
        else:
            self.nobody.append(name)

    def judged(self, photos: list[Path]) -> Iterator[tuple[Path, JudgedPhoto]]:
        """Each of `photos` judged here, in this process, when asked for."""
        for path in photos:
            yield path, JudgedPhoto(self.service.judge_photo(path))

    def add_all(self, people: dict[Path, list[Path]]) -> None:
        """Enrol each person in turn, judging their photos here."""
        for done, (person_folder, photos) in enumerate(people.items(), start=1):
            self.add(person_folder, self.judged(photos))
            self.progress.update(done)

    def add_all_pooled(self, people: dict[Path, list[Path]], workers: int) -> None:
        """Enrol each person in turn as add_all does, their photos judged and encoded by
        every engine a few photos ahead in `workers` processes (recognition.photo_pool):
        the same people, refusals and messages in the same order, on every core."""
        from attendance_app.recognition.photo_pool import PhotoPool

        with PhotoPool(self.service.engines, workers) as pool:
            judged = pool.map(self.service.photo_job(),
                              (path for photos in people.values() for path in photos))
            for done, (person_folder, photos) in enumerate(people.items(), start=1):
                self.add(person_folder, [(path, next(judged)) for path in photos], pooled=True)
                self.progress.update(done)

    def add_shots(self, name: str, shots: list[NewEncoding],
                  by_others: Callable[[NewEncoding], Sequence[NewEncoding]] | None = None
                  ) -> None:
        """Warn in one line if the faces look like someone else, and store them. Photos
        already enrolled for that person are only counted. by_others: the shots' faces as
        the other engines encode them, when already known (EnrolmentService.commit)."""
        enrolment = self.service.check(name, shots)
        self.already += len(enrolment.duplicates)
        if enrolment.nothing_new:
            return
        if enrolment.refused and not self.force:
            self.progress.warn(_("{name}: not enrolled: {reason}").format(
                name=name, reason=same_face_refusal(enrolment)))
            self.same_face.append(name)
            return
        problems = _problems(enrolment)
        if problems:
            self.look_alikes += 1
            self.progress.warn(f"{name} " + "; ".join(problems))
        person = self.service.commit(enrolment, self.force, by_others).person
        assert person is not None
        self.enrolled += 1
        self.faces += len(enrolment.new)
        if person.encoding_count < RECOMMENDED_PHOTOS:
            self.few_photos.append(person.name)

    def summary(self, total: int) -> list[str]:
        """The closing report: who was enrolled, what was refused and why, what to add."""
        lines = [ngettext("Enrolled {done} of {people} from {folder}: {count} face stored",
                          "Enrolled {done} of {people} from {folder}: {count} faces stored",
                          self.faces).format(done=self.enrolled, people=_people(total),
                                             folder=self.folder, count=self.faces)]
        if self.refused:
            count = sum(len(paths) for paths in self.refused.values())
            lines.append(ngettext("Refused {count} photo:", "Refused {count} photos:", count)
                         .format(count=count))
            for reason, paths in sorted(self.refused.items(), key=lambda item: -len(item[1])):
                lines.append(f"  {len(paths)} x {reason} ({_some(paths)})")
        if self.dominant:
            lines.append(ngettext(
                "Took the face that clearly dominates in {count} photo showing other faces "
                "too, and ignored the others: {photos}", "Took the face that clearly "
                "dominates in {count} photos showing other faces too, and ignored the "
                "others: {photos}", len(self.dominant)).format(
                count=len(self.dominant), photos=_some(self.dominant)))
        if self.already:
            lines.append(ngettext("Skipped {count} photo already enrolled for its person",
                                  "Skipped {count} photos already enrolled for their person",
                                  self.already).format(count=self.already))
        if self.nobody:
            lines.append(_("Nobody enrolled for {people} without a usable photo: {names}")
                         .format(people=_people(len(self.nobody)), names=_some(self.nobody)))
        if self.same_face:
            lines.append(_("Not enrolled, their face is already enrolled under another name "
                           "(see above; --force enrols them anyway): {names}").format(
                names=_some(self.same_face)))
        if self.few_photos:
            lines.append(ngettext(
                "{count} person has fewer than {least} photos ({names}); with fewer, people "
                "are recognised less often at the door. Add more with: {command}",
                "{count} people have fewer than {least} photos ({names}); with fewer, people "
                "are recognised less often at the door. Add more with: {command}",
                len(self.few_photos)).format(
                count=len(self.few_photos), least=RECOMMENDED_PHOTOS,
                names=_some(self.few_photos), command=as_typed('enrol "NAME" PHOTO ...')))
        if self.look_alikes:
            lines.append(_("Look-alike warnings for {people}: see above").format(
                people=_people(self.look_alikes)))
        return lines


def enrol_folder(workspace: Workspace, folder: Path, force: bool = False,
                 underscores_are_spaces: bool = False, workers: int | None = None) -> int:
    """Enrol every `folder/<person name>/` from the photos inside it, showing progress and
    ending with one summary rather than a report per person. The photos are encoded in
    `workers` processes (default: one per core; 1: in this process only)."""
    from attendance_app.camera.images import list_images
    from attendance_app.recognition.photo_pool import worker_count

    if not folder.is_dir():
        fail(_("{folder} is not a folder; give a folder holding one sub-folder per person")
             .format(folder=folder))
        return 1
    people = {p: list_images(p) for p in sorted(p for p in folder.iterdir() if p.is_dir())}
    if not people:
        fail(_("{folder} has no sub-folders; make one per person, named after them, with "
               "their photos").format(folder=folder))
        return 1
    run = _FolderEnrolment(workspace, folder, len(people), force, underscores_are_spaces)
    if not underscores_are_spaces and any("_" in person.name for person in people):
        example = next(person.name for person in people if "_" in person.name)
        print(_("Folder names are taken as they are, e.g. {example!r}; add "
                "--names-from-folders to enrol {spaced!r} instead").format(
            example=example, spaced=example.replace("_", " ")), flush=True)
    workers = worker_count(workers)
    try:
        if workers > 1 and sum(map(len, people.values())) >= POOL_FROM_PHOTOS:
            run.add_all_pooled(people, workers)
        else:
            run.add_all(people)
    finally:  # also when stopped (Ctrl-C): say what was enrolled before the stop
        run.progress.end_line()
        print("\n".join(run.summary(len(people))), flush=True)
    return 0 if run.enrolled or run.already else 1
