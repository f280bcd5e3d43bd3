"""Export health: what exports did each day (exported, failed by INT code, uncertain) and where reports stand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ledgerbridge.catalog import CATALOG, UnknownCodeError
from ledgerbridge.domain import Action, ReportState
from ledgerbridge.store.repos.report_list import HealthDay, ReportList
from ledgerbridge.web.pages.charts import Chart, Series, series_of, stacked_bars
from ledgerbridge.web.pages.context import PageContext, render, workspace_page

router = APIRouter()

WINDOWS: Final = (7, 30, 90)
"""Days the page can look back over."""
DEFAULT_WINDOW: Final = 30


def _title_of(code: str) -> str:
    try:
        return CATALOG.get(code).title
    except UnknownCodeError:
        return "not in the catalog"


def health_chart(days: list[HealthDay], window: int, today: datetime) -> Chart:
    """Every day of the window (quiet days too), exported first, then each INT code, then uncertain."""
    by_day = {d.day: d for d in days}
    dates = tuple((today - timedelta(days=window - 1 - i)).date() for i in range(window))
    codes = sorted({code for d in days for code in d.failed}, key=lambda c: (-sum(d.failed.get(c, 0) for d in days), c))
    exported = tuple(by_day[d].exported if d in by_day else 0 for d in dates)
    failed = [tuple(by_day[d].failed.get(code, 0) if d in by_day else 0 for d in dates) for code in codes]
    uncertain = tuple(by_day[d].uncertain if d in by_day else 0 for d in dates)
    coloured = series_of(["Exported", *(f"Failed {c}" for c in codes)], [exported, *failed])
    # Exported keeps the palette's green; failures take the others; uncertain is grey.
    series = (*coloured, Series("Uncertain", uncertain, "#555f6d")) if any(uncertain) else coloured
    total_failed = sum(sum(row) for row in failed)
    description = (f"Reports exported and failed per day over the last {window} days: {sum(exported)} exported, "
                   f"{total_failed} failed" + (f" ({', '.join(codes)})" if codes else "") + ".")
    return Chart("Export outcomes per day", description, dates, tuple(series))


@router.get("/workspaces/{workspace_id}/health", name="export_health")
def export_health(request: Request, page: PageContext = Depends(workspace_page(Action.VIEW_OWN_REPORTS))) -> Response:
    raw = request.query_params.get("days", "")
    errors = {}
    window = DEFAULT_WINDOW
    if raw:
        if raw.isdigit() and int(raw) in WINDOWS:
            window = int(raw)
        else:
            errors["days"] = f"Choose {', '.join(map(str, WINDOWS[:-1]))} or {WINDOWS[-1]} days."
    owner = None if page.can(Action.VIEW_ALL_REPORTS) else page.user.id
    now = datetime.now(UTC)
    since = (now - timedelta(days=window - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    with page.session() as session:
        listing = ReportList(session)
        days = listing.health(page.workspace_id, since, owner)
        counts = listing.counts(page.workspace_id, owner)
    chart = health_chart(days, window, now)
    return render(
        request, "health.html", status=422 if errors else 200, title="Export health", section="health",
        switch_section="health", chart=chart, svg=stacked_bars(chart, "health-chart"), counts=counts,
        window=window, windows=WINDOWS, errors=errors, states=list(ReportState), code_title=_title_of,
        mine_only=owner is not None,
    )
