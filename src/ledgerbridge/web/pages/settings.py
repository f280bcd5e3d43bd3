"""The way in: the home page, Settings > Workspaces, and the workspace switcher."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import NoMatchFound

from ledgerbridge.domain import Action, User
from ledgerbridge.web.pages.context import PageContext, redirect, render, signed_in, user_workspaces, workspace_page

router = APIRouter()

SECTIONS: Final = ("reports", "health", "settings/accounting", "settings/categories", "settings/tags",
                    "settings/cards", "settings/members")
"""Where the workspace switcher may land: the same page in the other workspace."""


def workspace_home(request: Request, workspace_id: str) -> str:
    """The reports list of a workspace when the app has one, else its settings."""
    try:
        return str(request.app.url_path_for("reports_list", workspace_id=workspace_id))
    except NoMatchFound:
        return f"/workspaces/{workspace_id}/settings/accounting"


@router.get("/", name="home")
async def home(request: Request, user: User = Depends(signed_in)) -> Response:
    mine = await run_in_threadpool(user_workspaces, request, user)
    if not mine:
        return redirect(request, "/settings")
    return redirect(request, workspace_home(request, mine[0][0].id))


@router.get("/settings", name="settings")
async def settings_index(request: Request, user: User = Depends(signed_in)) -> Response:
    mine = await run_in_threadpool(user_workspaces, request, user)
    return render(request, "settings/workspaces.html", workspaces=mine)


@router.get("/switch", name="switch_workspace")
async def switch(request: Request, workspace: str = "", section: str = "", user: User = Depends(signed_in)) -> Response:
    mine = await run_in_threadpool(user_workspaces, request, user)
    if workspace not in {ws.id for ws, _ in mine}:
        return redirect(request, "/settings")
    if section not in SECTIONS:
        return redirect(request, workspace_home(request, workspace))
    return redirect(request, f"/workspaces/{workspace}/{section}")


@router.get("/workspaces/{workspace_id}", name="workspace")
def workspace(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_WORKSPACE))) -> Response:
    return redirect(request, workspace_home(request, page.workspace_id))


@router.get("/workspaces/{workspace_id}/settings", name="workspace_settings")
def workspace_settings(
    request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_WORKSPACE))
) -> Response:
    """Accounting for those who may see it; otherwise the first settings page their role opens."""
    section = "accounting" if page.can(Action.VIEW_SETTINGS) else "categories"
    return redirect(request, page.url("settings", section))
