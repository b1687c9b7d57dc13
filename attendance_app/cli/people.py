"""The people the door knows: `enrol`, `people`, `forget`, `rename`, and `identify`, which
shows whom the door would name in photos.

The face work of enrol and identify is imported inside their handlers, so `people`,
`forget` and `rename` start at once (tests/system/cli/test_startup.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, display_width, fail, padded
from attendance_app.i18n import _, dates, ngettext

if TYPE_CHECKING:
    from attendance_app.cli.invocation import Invocation
    from enrolment import FaceStore


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "enrol", _("Enrol a person from photos, or everyone in a folder of "
                                "per-person folders."), enrol)
    p.add_argument("name", nargs="?", help=_("the person's name, e.g. \"Ada Lovelace\""))
    p.add_argument("photos", nargs="*", type=Path, help=_("photos showing only this person's face"))
    p.add_argument("--folder", type=Path, metavar="DIR",
                   help=_("enrol everyone in DIR/<person name>/*.jpg|png instead"))
    p.add_argument("--names-from-folders", action="store_true",
                   help=_("with --folder: turn '_' in folder names into spaces (Roh_Moo-hyun "
                          "-> Roh Moo-hyun)"))
    p.add_argument("--force", action="store_true",
                   help=_("enrol even a face already enrolled under another name (twins)"))

    command(sub, "people", _("List enrolled people: name, id, number of encodings, date enrolled."),
            list_people)

    p = command(sub, "forget", _("Delete a person with every encoding and face image of theirs."),
                forget)
    p.add_argument("name", help=_("the enrolled person's name"))

    p = command(sub, "rename", _("Give an enrolled person a new name."), rename)
    p.add_argument("old", help=_("the current name"))
    p.add_argument("new", help=_("the new name"))

    p = command(sub, "identify", _("Show who is in photos (box, best match or Unknown, "
                                   "distance); logs nothing."), identify)
    p.add_argument("photos", nargs="+", type=Path, help=_("photos to look at"))


def enrol(args: argparse.Namespace, invocation: Invocation) -> int:
    """NAME PHOTO... or --folder DIR (attendance_app.cli.enrol words what the enrolment
    service does)."""
    workspace = invocation.workspace
    from attendance_app.cli import enrol as enrolling

    if args.folder is not None:
        if args.name or args.photos:
            invocation.usage_error(_("enrol takes either NAME PHOTO... or --folder DIR, not both"))
        return enrolling.enrol_folder(workspace, args.folder, args.force, args.names_from_folders)
    if not args.name or not args.photos:
        invocation.usage_error(_("enrol needs a name and at least one photo (or --folder DIR)"))
    return 0 if enrolling.enrol(workspace, args.name, args.photos, args.force) else 1


def list_people(args: argparse.Namespace, invocation: Invocation) -> int:
    """`people`: one line per person, names lined up even in wide (CJK) characters."""
    people = invocation.workspace.store().people()
    if not people:
        print(_("Nobody is enrolled yet; add someone with: {command}").format(
            command=as_typed("enrol NAME photo.jpg")))
        return 0
    name, number, encodings = _("Name"), _("ID"), _("Encodings")
    width = max(display_width(name), *(display_width(p.name) for p in people))
    number_width, count_width = max(4, display_width(number)), max(9, display_width(encodings))
    print(f"{padded(name, width)}  {number:>{number_width}}  {encodings:>{count_width}}  "
          + _("Enrolled"))
    for p in people:
        print(f"{padded(p.name, width)}  {p.person_id:>{number_width}}  "
              f"{p.encoding_count:>{count_width}}  {dates.moment_text(p.created_at)}")
    return 0


def _unknown(store: FaceStore, name: str) -> bool:
    """Say so (with the command that lists people) when nobody is called `name`."""
    if store.find(name) is not None:
        return False
    fail(_("nobody called {name!r} is enrolled; see who is with: {command}").format(
        name=name, command=as_typed("people")))
    return True


def forget(args: argparse.Namespace, invocation: Invocation) -> int:
    store = invocation.workspace.store()
    if _unknown(store, args.name):
        return 1
    person = store.forget(args.name)
    count = person.encoding_count
    print(ngettext("Forgot {name} (id {id}): deleted {count} encoding and its face image",
                   "Forgot {name} (id {id}): deleted {count} encodings and their face images",
                   count).format(name=person.name, id=person.person_id, count=count))
    return 0


def rename(args: argparse.Namespace, invocation: Invocation) -> int:
    store = invocation.workspace.store()
    if _unknown(store, args.old):
        return 1
    person = store.rename(args.old, args.new)
    print(_("Renamed {old} to {new} (id {id})").format(old=args.old, new=person.name,
                                                       id=person.person_id))
    return 0


def identify(args: argparse.Namespace, invocation: Invocation) -> int:
    """Print every face in each photo (a folder: every photo in it and its sub-folders, as
    `run --source DIR` takes it) with its best match; logs nothing."""
    workspace = invocation.workspace
    from attendance_app.camera.images import ImageError, find_images, load_rgb
    from attendance_app.recognition.photos import identify_photo, match_words

    engine = workspace.engine()
    gallery = workspace.gallery(engine=engine)
    failed = False
    files = [found for path in args.photos
             for found in (find_images(path) if path.is_dir() else [path])]
    if not files:
        fail(_("no photos in {paths} or its sub-folders").format(
            paths=", ".join(map(str, args.photos))))
        return 1
    for path in files:
        try:
            faces = identify_photo(engine, gallery, load_rgb(path))
        except ImageError as error:
            fail(str(error))  # the command exits with 1 because of it
            failed = True
            continue
        print(ngettext("{path}: {count} face", "{path}: {count} faces", len(faces)).format(
            path=path, count=len(faces)) if faces else _("{path}: no faces").format(path=path))
        for face in faces:
            assert face.match is not None
            print(f"  {face.box.describe()}  {match_words(face.match)}")
    return 1 if failed else 0
