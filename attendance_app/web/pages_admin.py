"""For admins: People (names, groups, enrolment dates; no face pictures on this page) and
Unknown visitors (the kept strangers grouped as `unknowns` lists them, with their face
pictures, and deleting a group, which goes to the web audit trail)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from attendance_app.unknowns.groups import UnknownGroup, find_group
from attendance_app.unknowns.listing import current_groups, kept_store
from attendance_app.unknowns.store import UnknownStore
from attendance_app.web.accounts import Account, AccountBook
from attendance_app.web.rendering import back_to, page
from attendance_app.web.roster import members
from attendance_app.web.security import admin, checked_form
from attendance_app.wording import counted

router = APIRouter(dependencies=[Depends(admin)])


@router.get("/people")
def people(request: Request) -> Response:
    return page(request, "people.html", people=members(request.app.state.workspace))


def _unknown_groups(request: Request) -> tuple[UnknownStore | None, list[UnknownGroup]]:
    workspace = request.app.state.workspace
    store = kept_store(workspace)
    if store is None:
        return None, []
    return store, current_groups(workspace, store, workspace.engine)


@router.get("/unknowns")
def unknowns(request: Request) -> Response:
    store, groups = _unknown_groups(request)
    keep_days = request.app.state.workspace.config.unknowns.keep_days
    return page(request, "unknowns.html", groups=groups, keep_days=keep_days,
                kept=store is not None)


@router.get("/unknowns/picture/{sighting_id}")
def picture(request: Request, sighting_id: int) -> Response:
    store = kept_store(request.app.state.workspace)
    image = None if store is None else store.face_image(sighting_id)
    if image is None:
        return Response("no such picture", status_code=404, media_type="text/plain")
    return Response(image, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.post("/unknowns/delete")
def delete(request: Request, form: FormData = Depends(checked_form),
           account: Account = Depends(admin)) -> Response:
    number = str(form.get("group", ""))
    store, groups = _unknown_groups(request)
    group = find_group(groups, int(number)) if number.isdigit() else None
    if store is None or group is None:
        return back_to(request, "/unknowns", f"There is no unknown group {number} (any "
                                             "more).", ok=False)
    deleted = store.delete(group.sighting_ids)
    book: AccountBook = request.app.state.accounts
    book.note(account.name, f"deleted unknown group {number}", counted(deleted, "face"))
    return back_to(request, "/unknowns", f"Deleted unknown group {number}: "
                                         f"{counted(deleted, 'face')}.")
