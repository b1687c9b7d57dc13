"""`attendance-app unknowns`: list the unknown visitors' groups, enrol one, delete one.

Each handler prints for people and returns the exit code (0 done, 1 nothing done). Listing
loads no face model (grouping needs only the stored encodings), unless faces saved under
another engine need this engine's encodings first.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from attendance_app.cli.options import Subcommands, command
from attendance_app.cli.output import as_typed, display_width, fail, padded
from attendance_app.i18n import N_, _, dates, ngettext

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace
    from attendance_app.cli.invocation import Invocation
    from attendance_app.unknowns.groups import UnknownGroup
    from attendance_app.unknowns.store import UnknownStore

def add_parser(sub: Subcommands) -> None:
    p = command(sub, "unknowns", _("List the faces kept of people who are not enrolled "
                                 "(unknowns.keep_days), one group per person, most visits "
                                 "first; or enrol or delete a group."), list_groups)
    actions = p.add_subparsers(dest="unknowns_command", metavar="ACTION")
    for action, help_text, handler in (
            ("enrol", N_("Enrol a group under a name, from its best faces."), enrol),
            ("delete", N_("Delete a group's faces and encodings."), delete)):
        q = command(actions, action, _(help_text), handler)
        q.add_argument("group", type=int, help=_("the group's number, as `unknowns` lists it"))
        if action == "enrol":
            q.add_argument("name", help=_("the person's name, e.g. \"Ada Lovelace\""))
            q.add_argument("--force", action="store_true",
                           help=_("enrol even a face already enrolled under another name (twins)"))


def _not_kept(workspace: Workspace) -> str:
    """Why nothing can be listed: the setting is off, or nothing was kept yet."""
    if workspace.config.unknowns.keep_days == 0:
        return _("unknown visitors are not kept (unknowns.keep_days is 0: faces kept while it "
                 "was on are deleted when the camera next starts); set it in your settings "
                 "file ({command} shows which) to keep them").format(
            command=as_typed("config path"))
    return _("no unknown visitor has been seen yet")


def _groups(workspace: Workspace) -> tuple[UnknownStore | None, list[UnknownGroup]]:
    from attendance_app.unknowns.listing import current_groups, kept_store

    unknowns = kept_store(workspace)
    if unknowns is None:
        return None, []
    return unknowns, current_groups(workspace, unknowns, workspace.engine)


def list_groups(args: argparse.Namespace, invocation: Invocation) -> int:
    """One line per group, starting with its number, most visits first."""
    workspace = invocation.workspace
    groups = _groups(workspace)[1]
    if not groups:
        reason = _not_kept(workspace)
        print(reason[:1].upper() + reason[1:])
        return 0
    print("\n".join(_table(groups)))
    days = workspace.config.unknowns.keep_days
    # Not starting with a digit: every line that does is a group's.
    print(ngettext("Unknown visitors: {count} (faces are kept {days} day). Enrol one with: "
                   "{enrol}; delete one with: {delete}",
                   "Unknown visitors: {count} (faces are kept {days} days). Enrol one with: "
                   "{enrol}; delete one with: {delete}", days).format(
        count=len(groups), days=days, enrol=as_typed('unknowns enrol GROUP "Name"'),
        delete=as_typed("unknowns delete GROUP")))
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
        fail(_("there is no unknown group {number} (any more); list them with: {command}")
             .format(number=number, command=as_typed("unknowns")))
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
    print(ngettext("Enrolled {name} (id {id}) from {shots} of the {tried} face of unknown "
                   "group {number}", "Enrolled {name} (id {id}) from {shots} of the {tried} "
                   "faces of unknown group {number}", done.tried).format(
        name=person.name, id=person.person_id, shots=done.shots, tried=done.tried,
        number=number))
    print("  " + ngettext("{count} face in total", "{count} faces in total",
                          person.encoding_count).format(count=person.encoding_count))
    print("  " + ngettext("The group's {count} saved face was deleted",
                          "The group's {count} saved faces were deleted", kept).format(count=kept))
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
    print(ngettext("Deleted unknown group {number}: {count} face with its encodings",
                   "Deleted unknown group {number}: {count} faces with their encodings",
                   deleted).format(number=number, count=deleted))
    return 0


def _table(groups: list[UnknownGroup]) -> list[str]:
    """The groups' table, its header first: number, visits, faces, first and last seen,
    each column as wide as its longest text in the user's language."""
    header = [_("Group"), _("Visits"), _("Faces"), _("First seen"), _("Last seen")]
    rows = [[str(g.number), ngettext("{count} visit", "{count} visits", g.visits).format(
                count=g.visits), str(len(g.sightings)), dates.moment_text(g.first_seen),
             dates.moment_text(g.last_seen)] for g in groups]
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(4)]
    return ["  ".join([*(padded(cell, width) for cell, width in zip(row, widths)), row[4]])
            for row in [header, *rows]]
