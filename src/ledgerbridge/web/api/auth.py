"""Signing in (email + password, argon2) and API tokens; both are presented as Bearer tokens."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from ledgerbridge.domain import ApiToken, User, new_id
from ledgerbridge.domain.workspace import hash_api_token, new_api_token
from ledgerbridge.store import Users
from ledgerbridge.web.api.context import Caller, Services, current_caller, services, utcnow
from ledgerbridge.web.api.errors import Invalid, Unauthorized
from ledgerbridge.web.api.schemas import Body, Email, Name, Secret, when

log = logging.getLogger(__name__)

SESSION_TOKEN_NAME: Final = "sign-in session"  # noqa: S105 - a label, not a secret
"""Sign-in sessions are stored as tokens with this name; API tokens may not take it."""

SESSION_LIFETIME: Final = timedelta(hours=12)

_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email costs as much time as a wrong password.
_DECOY_HASH: Final = _hasher.hash(secrets.token_urlsafe(16))

router = APIRouter(tags=["authentication"])


def hash_password(password: str) -> str:
    """The argon2 hash a password is stored as."""
    return _hasher.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DECOY_HASH, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, token: str, at: datetime) -> tuple[User, ApiToken]:
    """The active user behind a session or API token; expired, revoked and unknown tokens are refused."""
    found = Users(session).token_by_hash(hash_api_token(token))
    if found is None or found.revoked:
        raise Unauthorized("the token is unknown or revoked; sign in again")
    if found.name == SESSION_TOKEN_NAME and at - found.created_at > SESSION_LIFETIME:
        raise Unauthorized("the session has expired; sign in again")
    user = Users(session).get(found.user_id)
    if not user.active:
        raise Unauthorized("this user is deactivated")
    Users(session).touch_token(found.id, at)
    return user, found


def _issue(session: Session, user: User, name: str) -> tuple[str, ApiToken]:
    secret = new_api_token()
    token = ApiToken(new_id(), user.id, name, hash_api_token(secret), utcnow())
    return secret, Users(session).add_token(token)


def token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": when(token.created_at),
        "last_used_at": when(token.last_used_at),
        "revoked_at": when(token.revoked_at),
    }


def user_out(user: User) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "name": user.name}


class SignIn(Body):
    email: Email
    password: Secret


class NewToken(Body):
    name: Name


@router.post("/session", status_code=201, summary="Sign in with email and password")
def sign_in(body: SignIn, found: Services = Depends(services)) -> dict[str, Any]:
    with found.database.session() as session:
        user = Users(session).by_email(body.email)
        if not password_matches(user, body.password) or user is None or not user.active:
            raise Unauthorized("the email or password is wrong")
        secret, token = _issue(session, user, SESSION_TOKEN_NAME)
    log.debug("user %s signed in (session %s)", user.id, token.id)
    expires = token.created_at + SESSION_LIFETIME
    return {"data": {"token": secret, "expires_at": when(expires), "user": user_out(user)}}


@router.get("/session", summary="Who is signed in")
def whoami(caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    return {"data": {"user": user_out(caller.user), "token": token_out(caller.token)}}


@router.delete("/session", summary="Sign out: the session token stops working")
def sign_out(caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    if caller.token.name != SESSION_TOKEN_NAME:
        raise Invalid("this is an API token, not a session; revoke it with DELETE /api/v1/tokens/{token_id}")
    with caller.session() as session:
        Users(session).revoke_token(caller.id, caller.token.id, utcnow())
    return {"data": {"signed_out": True}}


@router.get("/tokens", summary="List my API tokens")
def list_tokens(caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        tokens = [t for t in Users(session).tokens_of(caller.id) if t.name != SESSION_TOKEN_NAME]
    return {"data": [token_out(t) for t in tokens]}


@router.post("/tokens", status_code=201, summary="Create an API token (shown only in this response)")
def create_token(body: NewToken, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    if body.name == SESSION_TOKEN_NAME:
        raise Invalid(f"{SESSION_TOKEN_NAME!r} is reserved for sign-in sessions; choose another name")
    with caller.session() as session:
        secret, token = _issue(session, caller.user, body.name)
    log.debug("user %s created API token %s", caller.id, token.id)
    return {"data": {**token_out(token), "token": secret}}


@router.delete("/tokens/{token_id}", summary="Revoke an API token")
def revoke_token(token_id: str, caller: Caller = Depends(current_caller)) -> dict[str, Any]:
    with caller.session() as session:
        token = Users(session).revoke_token(caller.id, token_id, utcnow())
    return {"data": token_out(token)}
