"""For admins: Accounts. Add one, change a password, remove one, and the web audit trail
(every account change and every unknown group deleted, with who did it). An admin cannot
remove their own account here, so a site is never left without the admin using it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from attendance_app.web.accounts import Account, AccountBook, AccountError
from attendance_app.web.rendering import back_to, page
from attendance_app.web.security import admin, checked_form

router = APIRouter(dependencies=[Depends(admin)])


def _book(request: Request) -> AccountBook:
    return request.app.state.accounts


@router.get("/accounts")
def accounts(request: Request) -> Response:
    book = _book(request)
    return page(request, "accounts.html", accounts=book.accounts(), audit=book.audit())


@router.post("/accounts/add")
def add(request: Request, form: FormData = Depends(checked_form),
        account: Account = Depends(admin)) -> Response:
    name = str(form.get("name", ""))
    try:
        added = _book(request).add(name, str(form.get("role", "")), _new_password(form),
                                   account.name)
    except AccountError as error:
        return back_to(request, "/accounts", str(error), ok=False)
    return back_to(request, "/accounts", f'Added the account "{added.name}" ({added.role}).')


def _new_password(form: FormData) -> str:
    """The password typed twice in `form`; AccountError when the two differ."""
    password = str(form.get("password", ""))
    if password != str(form.get("again", "")):
        raise AccountError("the two passwords differ: type the same twice")
    return password


@router.post("/accounts/password")
def password(request: Request, form: FormData = Depends(checked_form),
             account: Account = Depends(admin)) -> Response:
    name = str(form.get("name", ""))
    try:
        _book(request).set_password(name, _new_password(form), account.name)
    except AccountError as error:
        return back_to(request, "/accounts", str(error), ok=False)
    return back_to(request, "/accounts", f'Changed the password of "{name}".')


@router.post("/accounts/remove")
def remove(request: Request, form: FormData = Depends(checked_form),
           account: Account = Depends(admin)) -> Response:
    name = str(form.get("name", ""))
    try:
        if name.casefold() == account.name.casefold():
            raise AccountError("you cannot remove the account you are logged in with")
        _book(request).remove(name, account.name)
    except AccountError as error:
        return back_to(request, "/accounts", str(error), ok=False)
    return back_to(request, "/accounts", f'Removed the account "{name}".')
