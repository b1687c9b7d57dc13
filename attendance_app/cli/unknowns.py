"""`attendance-app unknowns`: list the unknown visitors' groups, enrol one, delete one.

Each handler prints for people and returns the exit code (0 done, 1 nothing done). Listing
loads no face model (grouping needs only the stored encodings), unless faces saved under
another engine need this engine's encodings first.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, fail
from attendance_app.wording import counted, plural

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation
    from attendance_app.unknowns.groups import UnknownGroup
    from attendance_app.unknowns.store import UnknownStore

HEADER = f"{'Group':<5}  {'Visits':<10}  {'Faces':>5}  {'First seen':<16}  Last seen"


def add_parser(sub: Subcommands) -> None:
    p = command(sub, "unknowns", "List the faces kept of people who are not enrolled "
                                 "(unknowns.keep_days), one group per person, most visits "
                                 "first; or enrol or delete a group.", list_groups)
    actions = p.add_subparsers(dest="unknowns_command", metavar="ACTION")
    for action, help_text, handler in (
            ("enrol", "Enrol a group under a name, from its best faces.", enrol),
            ("delete", "Delete a group's faces and encodings.", delete)):
        q = command(actions, action, help_text, handler)
        q.add_argument("group", type=int, help="the group's number, as `unknowns` lists it")
        if action == "enrol":
            q.add_argument("name", help="the person's name, e.g. \"Ada Lovelace\"")
            q.add_argument("--force", action="store_true",
                           help="enrol even a face already enrolled under another name (twins)")


def _not_kept(workspace: Workspace) -> str:
    """Why nothing can be listed: the setting is off, or nothing was kept yet."""
    if workspace.config.unknowns.keep_days == 0:
        return ("unknown visitors are not kept (unknowns.keep_days is 0: faces kept while it "
                "was on are deleted when the camera next starts); set it in your settings "
                f"file ({as_typed('config path')} shows which) to keep them")
    return "no unknown visitor has been seen yet"


def _groups(workspace: Workspace) -> tuple[UnknownStore | None, list[UnknownGroup]]:
    from attendance_app.unknowns.listing import current_groups, kept_store

    unknowns = kept_store(workspace)
    if unknowns is None:
        return None, []
    return unknowns, current_groups(workspace, unknowns, workspace.engine)


def list_groups(args: argparse.Namespace, invocation: Invocation) -> int:
    """One line per group, starting with its number, most visits first."""
    workspace = invocation.workspace
    _, groups = _groups(workspace)
    if not groups:
        reason = _not_kept(workspace)
        print(reason[:1].upper() + reason[1:])
        return 0
    print(HEADER)
    for group in groups:
        print(group.describe())
    days = workspace.config.unknowns.keep_days
    enrol = as_typed('unknowns enrol GROUP "Name"')
    # Not starting with a digit: every line that does is a group's.
    print(f"Unknown visitors: {len(groups)} (faces are kept {counted(days, 'day')}). "
          f"Enrol one with: {enrol}; delete one with: {as_typed('unknowns delete GROUP')}")
    return 0


def _chosen(workspace: Workspace, number: int) -> tuple[UnknownStore, UnknownGroup] | None:
    """The store and group `number`, or None after saying why there is none."""
    from attendance_app.unknowns.groups import find_group

    unknowns, groups = _groups(workspace)
    if unknowns is None or not groups:
        fail(_not_kept(workspace))
        return None
    group = find_group(groups, number)
    if group is None:
        fail(f"there is no unknown group {number} (any more); list them with: "
             f"{as_typed('unknowns')}")
        return None
    return unknowns, group


def enrol_unknown(workspace: Workspace, number: int, name: str, force: bool = False) -> int:
    """Enrol group `number` as `name` from its best faces; its saved faces are then deleted.
    `force`: even when the face is enrolled under another name (as `enrol --force`)."""
    from attendance_app.unknowns.enrol import GroupRefused, enrol_group
    from enrolment import StoreError

    chosen = _chosen(workspace, number)
    if chosen is None:
        return 1
    unknowns, group = chosen
    try:
        done = enrol_group(workspace, workspace.store(), unknowns, group, name, workspace.engine(),
                           force)
    except (GroupRefused, StoreError) as error:
        fail(str(error))
        return 1
    person, kept = done.person, len(group.sightings)
    print(f"Enrolled {person.name} (id {person.person_id}) from {done.shots} of the "
          f"{counted(done.tried, 'face')} of unknown group {number} "
          f"({counted(person.encoding_count, 'face')} in total); the group's "
          f"{counted(kept, 'saved face')} {plural(kept, 'was', 'were')} deleted")
    return 0


def enrol(args: argparse.Namespace, invocation: Invocation) -> int:
    """`unknowns enrol GROUP NAME` (enrol_unknown does the enrolling)."""
    return enrol_unknown(invocation.workspace, args.group, args.name, args.force)


def delete(args: argparse.Namespace, invocation: Invocation) -> int:
    """Delete group GROUP: its face pictures and encodings."""
    number = args.group
    chosen = _chosen(invocation.workspace, number)
    if chosen is None:
        return 1
    unknowns, group = chosen
    deleted = unknowns.delete(group.sighting_ids)
    print(f"Deleted unknown group {number}: {counted(deleted, 'face')} with "
          f"{plural(deleted, 'its encodings', 'their encodings')}")
    return 0
