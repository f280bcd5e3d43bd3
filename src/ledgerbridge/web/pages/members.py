"""Settings > Members: who belongs to the workspace and with which role (admins change it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from ledgerbridge.domain import Action, Member, Role, User
from ledgerbridge.store import Users, Workspaces
from ledgerbridge.web.api.context import utcnow
from ledgerbridge.web.pages.context import (
    FieldErrors,
    Flash,
    PageContext,
    check_email,
    form_data,
    redirect,
    render,
    text_of,
    workspace_page,
)

router = APIRouter()
BASE = "/workspaces/{workspace_id}/settings/members"
ROLE_OPTIONS = [(Role.ADMIN.value, "Admin"), (Role.APPROVER.value, "Approver"), (Role.MEMBER.value, "Member")]


def _members(page: PageContext) -> list[tuple[Member, User]]:
    with page.session() as session:
        users = Users(session)
        return [(m, users.get(m.user_id)) for m in Workspaces(session).members(page.workspace_id)]


def _show(request: Request, page: PageContext, status: int = 200, errors: FieldErrors | None = None,
          values: dict[str, str] | None = None) -> Response:
    return render(request, "settings/members.html", status=status, members=_members(page), errors=errors or {},
                  values=values or {"role": Role.MEMBER.value}, role_options=ROLE_OPTIONS, tab="members",
                  tab_label="Members")


@router.get(BASE, name="members")
def members(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_MEMBERS))) -> Response:
    return _show(request, page)


def _role(form: FormData, errors: FieldErrors) -> Role | None:
    try:
        return Role(text_of(form, "role"))
    except ValueError:
        errors["role"] = "Choose admin, approver or member."
        return None


@router.post(BASE)
def add_member(request: Request, form: FormData = Depends(form_data),
               page: PageContext = Depends(workspace_page(Action.MANAGE_MEMBERS))) -> Response:
    errors: FieldErrors = {}
    email = check_email(errors, "email", text_of(form, "email"))
    role = _role(form, errors)
    user = None
    if email is not None and role is not None:
        with page.session() as session:
            user = Users(session).by_email(email)
            if user is None:
                errors["email"] = "Nobody signs in with this email yet; they need an account first."
            elif Workspaces(session).member(page.workspace_id, user.id) is not None:
                errors["email"] = f"{user.name} is already a member of this workspace."
            else:
                Workspaces(session).add_member(Member(page.workspace_id, user.id, role, utcnow()))
    if errors or user is None or role is None:
        return _show(request, page, status=422, errors=errors,
                     values={"email": text_of(form, "email"), "role": text_of(form, "role")})
    return redirect(request, page.url("settings", "members"), Flash(f"{user.name} added as {role.value}."))


def _last_admin(page: PageContext, user_id: str) -> bool:
    with page.session() as session:
        admins = [m.user_id for m in Workspaces(session).members(page.workspace_id) if m.role is Role.ADMIN]
    return admins == [user_id]


@router.post(BASE + "/{user_id}/role")
def change_role(user_id: str, request: Request, form: FormData = Depends(form_data),
                page: PageContext = Depends(workspace_page(Action.MANAGE_MEMBERS))) -> Response:
    errors: FieldErrors = {}
    role = _role(form, errors)
    back = page.url("settings", "members")
    if role is None:
        return redirect(request, back, Flash(errors["role"], "error"))
    if role is not Role.ADMIN and _last_admin(page, user_id):
        return redirect(request, back, Flash("The workspace needs an admin: make someone else admin first.", "error"))
    with page.session() as session:
        Workspaces(session).set_role(page.workspace_id, user_id, role)
        name = Users(session).get(user_id).name
    return redirect(request, back, Flash(f"{name} is now {role.value}."))


@router.post(BASE + "/{user_id}/remove")
def remove_member(user_id: str, request: Request,
                  page: PageContext = Depends(workspace_page(Action.MANAGE_MEMBERS))) -> Response:
    back = page.url("settings", "members")
    if _last_admin(page, user_id):
        return redirect(request, back, Flash("The last admin cannot be removed: make someone else admin first.",
                                             "error"))
    with page.session() as session:
        Workspaces(session).remove_member(page.workspace_id, user_id)
        name = Users(session).get(user_id).name
    if user_id == page.user.id:
        return redirect(request, "/settings", Flash("You left the workspace."))
    return redirect(request, back, Flash(f"{name} was removed from the workspace."))
