"""For admins: Corrections. A day's rows with a form to void each (or undo its void), and
a form to add a missed arrival; each goes through the code `void`, `void undo` and
`arrival add` use (records.voiding, records.correcting), with the account's name as who
made it, so the audit trail and the workbook's Audit sheet name the person who logged
in. The month's workbook is then rewritten, as the commands do.

With a central database a row is voided at the door that logged it (`attendance-app
void` there: its faces become that door's negatives); undoing a void and adding an
arrival work here too."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from attendance_app.records.correcting import (
    Corrected,
    CorrectionRefused,
    add_arrival,
    parse_time,
    undo_void,
)
from attendance_app.records.voiding import VoidRefused, describe_row, void_event
from attendance_app.web.accounts import Account
from attendance_app.web.rendering import back_to, page
from attendance_app.web.roster import members, roster_store
from attendance_app.web.security import admin, checked_form
from exports import WorkbookError

router = APIRouter(dependencies=[Depends(admin)])


def _shown_day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else date.today()
    except ValueError:
        return date.today()


@router.get("/corrections")
def corrections(request: Request) -> Response:
    site = request.app.state.site
    day = _shown_day(request.query_params.get("day"))
    return page(request, "corrections.html", day=day, rows=site.day(day),
                people=members(request.app.state.workspace), central=site.central)


def _rewritten(request: Request, months: tuple[str, ...]) -> str:
    """The months' workbooks rewritten; what could not be, said (the change is kept)."""
    site = request.app.state.site
    sync = site.workbook_sync(site.records())
    unwritten = []
    for month in months:
        try:
            sync.rewrite_month(month)
        except (WorkbookError, OSError):
            unwritten.append(month)
    if not unwritten:
        return ""
    return (f" The workbook of {', '.join(unwritten)} cannot be written now (open in "
            "Excel?); the change is kept and reaches it at the next save.")


def _id(form: FormData) -> int | None:
    text = str(form.get("event", ""))
    return int(text) if text.isdigit() else None


def _back(form: FormData) -> str:
    """Back to the day the form was sent from (a date, or today: never a given URL)."""
    return f"/corrections?day={_shown_day(str(form.get('day', '')))}"


@router.post("/corrections/void")
def void(request: Request, form: FormData = Depends(checked_form),
         account: Account = Depends(admin)) -> Response:
    site, workspace = request.app.state.site, request.app.state.workspace
    event_id = _id(form)
    if site.central or event_id is None:
        return back_to(request, _back(form), "A row is voided at the door that logged it "
                                             "(attendance-app void there).", ok=False)
    try:
        voided = void_event(workspace.journal(), workspace.store(), event_id,
                            str(form.get("reason", "")), account.name)
    except VoidRefused as refusal:
        return back_to(request, _back(form), str(refusal), ok=False)
    month = f"{voided.event.timestamp:%Y-%m}"
    return back_to(request, _back(form), f"Voided {describe_row(voided.event)}."
                   + _rewritten(request, (month,)))


def _corrected(request: Request, form: FormData, done: Corrected, said: str) -> Response:
    return back_to(request, _back(form), f"{said} {describe_row(done.event)}."
                   + _rewritten(request, done.months))


@router.post("/corrections/undo")
def undo(request: Request, form: FormData = Depends(checked_form),
         account: Account = Depends(admin)) -> Response:
    records = request.app.state.site.records()
    event_id = _id(form)
    try:
        if records is None or event_id is None:
            raise CorrectionRefused("pick a row to undo the void of")
        done = undo_void(records, event_id, str(form.get("reason", "")), account.name)
    except CorrectionRefused as refusal:
        return back_to(request, _back(form), str(refusal), ok=False)
    return _corrected(request, form, done, "Undid the void of")


@router.post("/corrections/add")
def add(request: Request, form: FormData = Depends(checked_form),
        account: Account = Depends(admin)) -> Response:
    workspace, site = request.app.state.workspace, request.app.state.site
    store = roster_store(workspace)
    try:
        records = site.records() or workspace.journal()
        if store is None:
            raise CorrectionRefused("nobody is enrolled yet")
        at = parse_time(str(form.get("at", "")).replace("T", " "))
        done = add_arrival(records, store, str(form.get("person", "")), at,
                           str(form.get("reason", "")), account.name,
                           form.get("again") == "yes")
    except CorrectionRefused as refusal:
        return back_to(request, _back(form), str(refusal).replace(
            "add --force", "tick \"another arrival that day\""), ok=False)
    return _corrected(request, form, done, "Added")
