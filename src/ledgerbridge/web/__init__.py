"""The web layer: FastAPI application with the JSON API under /api/v1."""

from ledgerbridge.web.app import create_app

__all__ = ["create_app"]
