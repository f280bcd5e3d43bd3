"""Small helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

Insert = postgresql.Insert | sqlite.Insert


def affected(result: Result[Any]) -> int:
    """Rows changed by an UPDATE, DELETE or INSERT ... ON CONFLICT."""
    return cast(CursorResult[Any], result).rowcount


def insert_for(session: Session) -> Callable[[Any], Insert]:
    """The INSERT construct of the session's dialect, which knows ON CONFLICT (both dialects spell it alike)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"unsupported database dialect {name!r}: use SQLite or PostgreSQL")
