"""The server-rendered web app (Jinja2 + htmx): one small module per area, each with its own `router`.

Conventions for a page module:

- **Add a page**: write `web/pages/<area>.py` with `router = APIRouter()` and add the module to `PAGE_MODULES`
  below (one line). Templates live in `web/templates/<area>/...` and extend `base.html`; use the macros in
  `_macros.html` (`field`, `select`, `checkbox`, `button`, `badge`, `csrf`, `breadcrumbs`).
- **Workspace pages** take `page: PageContext = Depends(workspace_page(Action.X))` with `{workspace_id}` in
  the path, e.g. `/workspaces/{workspace_id}/reports`. The dependency signs the visitor in (else a redirect
  to /signin), answers 404 to non-members and 403 when the role does not allow `Action.X`
  (`domain.access.can`). For a second action on the same page (a button only admins may press) call
  `page.require(Action.Y)` in the handler, and `page.can(Action.Y)` in templates (`page.can(Action.RETRY_EXPORT)`).
  Pages outside a workspace take `user: User = Depends(signed_in)`.
- **Render** with `render(request, "area/page.html", **values)`: the template gets `page`, `user`,
  `csrf_token` and `flashes` besides the values. A fragment for htmx is a template that does not extend
  `base.html`; flashes are kept for the next full page when the request comes from htmx.
- **Forms and CSRF**: every POST to a page is checked by `csrf_guard` (installed on the whole router), so a
  handler never checks it itself. Forms include `{{ csrf() }}` (the `csrf_token` field); htmx requests send the
  `X-CSRF-Token` header, which `base.html` sets for every htmx request. Read the form with
  `form: FormData = Depends(form_data)` and its values with `text_of` / `flag_of`; collect problems in a
  `FieldErrors` dict (field name -> message) and re-render the form with status 422 and `errors=...`.
- **After a change**, answer `redirect(request, url, Flash("Saved."))` (303, or `HX-Redirect` for htmx).
- **Errors**: raise the API errors (`Missing`, `Forbidden`, `Conflict`, `Invalid` from `web.api.errors`)
  or let store errors (`NotFound`, `StaleEdit`, ...) propagate; on page paths the app renders them as the HTML
  pages `403.html`, `404.html` or `error.html` (JSON stays for /api/v1).
- **Sync work**: handlers are plain `def` (run in a worker thread) unless they await; never hold a database
  session while calling Intacct.
- URLs: `/workspaces/{workspace_id}/reports` (route name `reports_list`), `/workspaces/{workspace_id}/health`
  (route name `export_health`), `/workspaces/{workspace_id}/settings/<section>`; the navigation links to
  these and the home page opens `reports_list` when it exists.
"""

from __future__ import annotations

from types import ModuleType

from fastapi import APIRouter, Depends

from ledgerbridge.web.pages import accounting, auth, coding, health, members, reports, settings
from ledgerbridge.web.pages.context import csrf_guard

PAGE_MODULES: tuple[ModuleType, ...] = (
    auth,
    settings,
    accounting,
    coding,
    members,
    reports, health,
)
"""Every page module; each exposes `router`."""


def pages_router() -> APIRouter:
    """Every page route, each POST checked for its CSRF token."""
    router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)
    for module in PAGE_MODULES:
        router.include_router(module.router)
    return router


__all__ = ["PAGE_MODULES", "pages_router"]
