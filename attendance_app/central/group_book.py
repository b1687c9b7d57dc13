"""The groups of a door with a central database: read from its roster copy, written on
the server.

SharedGroupBook is a GroupBook over the door's SharedFaceStore, so the commands, the
window and the reports read the copy's groups tables as they read a door's own, offline
too. Its writes go to the server first (central.group_server) and are then pulled back,
as enrolling does: the copy only ever holds what the server holds, and a write says in
one line (DatabaseError) when the server cannot be reached.
"""

from __future__ import annotations

from collections.abc import Iterable

from attendance_app.central.group_server import CentralGroups
from attendance_app.central.replica import SharedFaceStore
from enrolment import FaceStore, Group, GroupBook
from enrolment.names import check_name


class SharedGroupBook(GroupBook):
    """The site's groups as door `copy` holds them; writes through its server."""

    def __init__(self, copy: SharedFaceStore) -> None:
        super().__init__(copy)
        self.copy = copy
        self.server = CentralGroups(copy.roster.database)

    def _written(self) -> None:
        """After a write on the server: take it (and whatever else changed) into the copy."""
        self.copy.pull()

    def _site_checked(self) -> None:
        self.copy.check_site(self.copy.roster.site())  # never write to another site

    def add(self, name: str, days: int, start: str, grace: int, end: str = "") -> Group:
        name = check_name(name)
        self._site_checked()
        self.server.add(name, days, start, grace, end)
        self._written()
        return self.require(name)

    def set_hours(self, name: str, days: int, start: str, grace: int, end: str = "") -> Group:
        group = self.require(name)
        self._site_checked()
        self.server.set_hours(group.group_id, group.name, days, start, grace, end)
        self._written()
        return self.require(group.name)

    def rename(self, old: str, new: str) -> Group:
        group, new = self.require(old), check_name(new)
        self._site_checked()
        self.server.rename(group.group_id, group.name, new)
        self._written()
        return self.require(new)

    def remove(self, name: str) -> Group:
        group = self.require(name)
        self._site_checked()
        self.server.remove(group.group_id)
        self._written()
        return group

    def assign(self, name: str, people: Iterable[str]) -> int:
        group, ids = self.require(name), self._people(people)
        self._site_checked()
        added = self.server.assign(group.group_id, group.name, ids)
        self._written()
        return added

    def unassign(self, name: str, people: Iterable[str]) -> int:
        group, ids = self.require(name), self._people(people)
        self._site_checked()
        taken = self.server.unassign(group.group_id, ids)
        self._written()
        return taken


def group_book(store: FaceStore) -> GroupBook:
    """The groups of `store`: a door's own, or the site's when `store` is a roster copy."""
    return SharedGroupBook(store) if isinstance(store, SharedFaceStore) else GroupBook(store)


def send_groups(local: FaceStore, copy: SharedFaceStore) -> tuple[int, list[str]]:
    """Make the groups of a door's own face store `local` the site's, with their members
    (by name: the people were sent first, `database send-people`), then pull `copy`;
    (groups sent, names of those the site had already, which keep the site's hours and
    gain the members). A member the site does not know is left out."""
    server, here, site = CentralGroups(copy.roster.database), GroupBook(local), GroupBook(copy)
    names = {person.person_id: person.name for person in local.people()}
    members: dict[int, list[str]] = {}
    for person_id, group_ids in here.memberships().items():
        for group_id in group_ids:
            members.setdefault(group_id, []).append(names[person_id])
    groups, known = here.groups(), []
    for group in groups:
        found = site.find(group.name)
        if found is None:
            group_id = server.add(group.name, group.days, group.start, group.grace, group.end)
        else:
            group_id = found.group_id
            known.append(found.name)
        people = [person.person_id for name in members.get(group.group_id, [])
                  if (person := copy.find(name)) is not None]
        if people:
            server.assign(group_id, group.name, people)
    copy.pull()
    return len(groups), known
