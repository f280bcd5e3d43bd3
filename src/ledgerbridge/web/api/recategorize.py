"""Recategorize the expenses of an approved report to a category whose GL account takes them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field, StringConstraints

from ledgerbridge.domain import Action
from ledgerbridge.export.recategorize import (
    NotAllowed,
    NothingToMove,
    NotRecategorizable,
    Recategorizer,
    UnknownExpenses,
    UnusableCategory,
)
from ledgerbridge.web.api.context import Caller, current_caller, needs, visible_report
from ledgerbridge.web.api.errors import Forbidden, Invalid, StateConflict
from ledgerbridge.web.api.schemas import Body

router = APIRouter(tags=["export"])
RECATEGORIZE = "/workspaces/{workspace_id}/reports/{report_id}/recategorize"

Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class RecategorizeRequest(Body):
    """The category to move to and the expenses to move; without `expense_ids`, those the suggestion covers."""

    category_id: Id
    expense_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)] | None = None
    int_code: Annotated[str, StringConstraints(pattern=r"^INT\d{3}$")] | None = None


@router.post(RECATEGORIZE, openapi_extra=needs(Action.RECATEGORIZE),
             summary="Move expenses of an approved or failed report to another category, then preflight it again")
def recategorize_report(workspace_id: str, report_id: str, body: RecategorizeRequest,
                        caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        visible_report(session, workspace_id, report_id, caller, Action.RECATEGORIZE)
    try:
        done = Recategorizer(caller.services.database, caller.services.box).recategorize(
            workspace_id, report_id, body.category_id, caller.id, expense_ids=body.expense_ids,
            int_code=body.int_code)
    except NotAllowed as exc:
        raise Forbidden(str(exc), {"action": Action.RECATEGORIZE.value}) from None
    except NotRecategorizable as exc:
        raise StateConflict(str(exc), {"state": exc.state.value, "export_status": exc.export_status}) from None
    except (UnknownExpenses, UnusableCategory, NothingToMove) as exc:
        raise Invalid(str(exc), {"category_id": body.category_id}) from None
    return {"data": done.as_dict()}
