"""Users and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ledgerbridge.domain.ids import ApiTokenId, UserId
from ledgerbridge.domain.workspace import ApiToken, User, normal_email
from ledgerbridge.store.errors import AlreadyExists, NotFound
from ledgerbridge.store.models import ApiTokenRow, UserRow


def _user(row: UserRow) -> User:
    return User(row.id, row.email, row.name, row.password_hash, row.created_at, row.active)


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(row.id, row.user_id, row.name, row.token_hash, row.created_at, row.last_used_at, row.revoked_at)


class Users:
    """Users (email unique regardless of case) and API tokens (looked up by their hash)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> User:
        key = normal_email(user.email)
        if self.session.scalar(select(UserRow.id).where(UserRow.email_key == key)) is not None:
            raise AlreadyExists("user", user.email)
        self.session.add(
            UserRow(
                id=user.id,
                email=user.email,
                email_key=key,
                name=user.name,
                password_hash=user.password_hash,
                created_at=user.created_at,
                active=user.active,
            )
        )
        self.session.flush()
        return user

    def get(self, user_id: UserId) -> User:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound("user", user_id)
        return _user(row)

    def by_email(self, email: str) -> User | None:
        """The user signing in with `email`, whatever its case."""
        row = self.session.scalar(select(UserRow).where(UserRow.email_key == normal_email(email)))
        return None if row is None else _user(row)

    def save(self, user: User) -> User:
        """Store changed name, email, password hash or active flag."""
        row = self.session.get(UserRow, user.id)
        if row is None:
            raise NotFound("user", user.id)
        key = normal_email(user.email)
        if key != row.email_key:
            taken = self.session.scalar(select(UserRow.id).where(UserRow.email_key == key))
            if taken is not None:
                raise AlreadyExists("user", user.email)
        row.email, row.email_key, row.name = user.email, key, user.name
        row.password_hash, row.active = user.password_hash, user.active
        self.session.flush()
        return user

    def add_token(self, token: ApiToken) -> ApiToken:
        self.session.add(
            ApiTokenRow(
                id=token.id,
                user_id=token.user_id,
                name=token.name,
                token_hash=token.token_hash,
                created_at=token.created_at,
                last_used_at=token.last_used_at,
                revoked_at=token.revoked_at,
            )
        )
        self.session.flush()
        return token

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, revoked or not (callers check `revoked`)."""
        row = self.session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
        return None if row is None else _token(row)

    def tokens_of(self, user_id: UserId) -> list[ApiToken]:
        rows = self.session.scalars(
            select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.created_at, ApiTokenRow.id)
        )
        return [_token(row) for row in rows]

    def touch_token(self, token_id: ApiTokenId, at: datetime) -> None:
        """Record that a token was just used."""
        self.session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))

    def revoke_token(self, user_id: UserId, token_id: ApiTokenId, at: datetime) -> ApiToken:
        row = self.session.get(ApiTokenRow, token_id)
        if row is None or row.user_id != user_id:
            raise NotFound("API token", token_id)
        if row.revoked_at is None:
            row.revoked_at = at
            self.session.flush()
        return _token(row)
