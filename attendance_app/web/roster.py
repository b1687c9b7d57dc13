"""The enrolled people and their groups as the pages show them: read from the data
folder's face store, or with a central database from the door's copy of the site's
roster brought level with the server first (as `report` does). Read only: no face
store is created by looking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from enrolment import FaceStore, GroupBook

if TYPE_CHECKING:
    from attendance_app.app.workspace import Workspace


@dataclass(frozen=True)
class Member:
    name: str
    enrolled: datetime
    groups: tuple[str, ...]


def roster_store(workspace: Workspace) -> FaceStore | None:
    """The face store the reports count, or None when nobody was ever enrolled."""
    if workspace.database_url:
        workspace.pull_before_reports()
        return workspace.roster_copy() if workspace.roster_copy_path.exists() else None
    return FaceStore(workspace.faces_path) if workspace.faces_path.exists() else None


def group_names(workspace: Workspace) -> list[str]:
    """The site's groups, by name (none when it has none)."""
    store = roster_store(workspace)
    return [] if store is None else [group.name for group in GroupBook(store).groups()]


def members(workspace: Workspace) -> list[Member]:
    """Everyone enrolled, by name, with their enrolment date and groups."""
    store = roster_store(workspace)
    if store is None:
        return []
    book = GroupBook(store)
    names = {group.group_id: group.name for group in book.groups()}
    joined = book.memberships()
    return sorted((Member(person.name, person.created_at,
                          tuple(sorted(names[g] for g in joined.get(person.person_id, []))))
                   for person in store.people()), key=lambda m: m.name.casefold())
