"""Users, API tokens, workspaces and their members."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from ledgerbridge.domain.ids import ApiTokenId, UserId, WorkspaceId
from ledgerbridge.domain.money import Currency


class Role(enum.StrEnum):
    """What a member may do in a workspace (see `ledgerbridge.domain.access`)."""

    ADMIN = "admin"
    APPROVER = "approver"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in; the email is unique regardless of case."""

    id: UserId
    email: str
    name: str
    password_hash: str
    created_at: datetime
    active: bool = True


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A named token for integrators; only its SHA-256 is kept, the token itself is shown once."""

    id: ApiTokenId
    user_id: UserId
    name: str
    token_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class Workspace:
    """An expense workspace: its people, coding, reports and one Intacct connection."""

    id: WorkspaceId
    name: str
    base_currency: Currency
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Member:
    """A user's role in one workspace."""

    workspace_id: WorkspaceId
    user_id: UserId
    role: Role
    added_at: datetime


def normal_email(email: str) -> str:
    """The form an email is compared in for sign-in: trimmed and case-folded."""
    return email.strip().casefold()


def new_api_token() -> str:
    """A new secret API token (URL-safe text); store only `hash_api_token` of it."""
    return "lb_" + secrets.token_urlsafe(32)


def hash_api_token(token: str) -> str:
    """The SHA-256 hex digest an API token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()
