"""The JSON API under /api/v1: one small module per resource, all over the store and the domain."""

from fastapi import APIRouter

from ledgerbridge.web.api import (
    auth,
    cards,
    categories,
    connection,
    expenses,
    exports,
    recategorize,
    reports,
    settings,
    sync,
    tags,
    workspaces,
)

PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Every API route, mounted under `PREFIX`."""
    router = APIRouter(prefix=PREFIX)
    for module in (auth, workspaces, categories, tags, cards, reports, expenses, exports, recategorize, connection,
                   settings, sync):
        router.include_router(module.router)
    return router


__all__ = ["PREFIX", "api_router"]
