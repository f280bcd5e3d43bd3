"""Sender and user credentials, and API sessions. Only hashes are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ledgerbridge.sandbox.store import Store, User

_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Argon2 is deliberately slow; a gateway checks the sender password on every request, so a
# successful verification is remembered in memory as a keyed digest, never as the password.
_verified: set[bytes] = set()
_verified_lock = threading.Lock()
_checking: dict[bytes, threading.Lock] = {}
_cache_key = secrets.token_bytes(32)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    digest = hmac.new(_cache_key, f"{stored_hash}\x00{password}".encode(), hashlib.sha256).digest()
    with _verified_lock:
        if digest in _verified:
            return True
        checking = _checking.setdefault(digest, threading.Lock())
    # Requests that arrive together with the same credentials (the first wave of a client that does not wait
    # for its session) verify them once between them: the others wait, then find them remembered.
    with checking:
        with _verified_lock:
            if digest in _verified:
                return True
        try:
            _hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        finally:
            with _verified_lock:
                _checking.pop(digest, None)
        with _verified_lock:
            _verified.add(digest)
    return True


def session_hash(sessionid: str) -> str:
    return hashlib.sha256(sessionid.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    companyid: str
    userid: str
    locationid: str
    senderid: str
    expires_at: datetime


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


class Sessions:
    """API sessions with a sliding timeout: each use pushes expiry to now + the company's duration."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def open(self, user: User, locationid: str, senderid: str, minutes: int) -> tuple[str, Session]:
        sessionid = secrets.token_urlsafe(30) + ".."
        now = datetime.now(UTC)
        session = Session(user.companyid, user.userid, locationid, senderid, now + timedelta(minutes=minutes))
        self.store.execute(
            "INSERT INTO session (session_hash, companyid, userid, locationid, senderid, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session_hash(sessionid), user.companyid, user.userid, locationid, senderid, iso(now),
             iso(session.expires_at)),
        )
        return sessionid, session

    def company_of(self, sessionid: str) -> str:
        row = self.store.execute(
            "SELECT companyid FROM session WHERE session_hash = ?", (session_hash(sessionid),)
        ).fetchone()
        return "" if row is None else str(row[0])

    def touch(self, sessionid: str, minutes_for: dict[str, int]) -> Session | None:
        """The live session for this id, its expiry slid forward; None when unknown or expired."""
        key = session_hash(sessionid)
        row = self.store.execute("SELECT * FROM session WHERE session_hash = ?", (key,)).fetchone()
        if row is None:
            return None
        now = datetime.now(UTC)
        if datetime.fromisoformat(row["expires_at"]) <= now:
            self.store.execute("DELETE FROM session WHERE session_hash = ?", (key,))
            return None
        expires = now + timedelta(minutes=minutes_for.get(row["companyid"], 120))
        self.store.execute("UPDATE session SET expires_at = ? WHERE session_hash = ?", (iso(expires), key))
        return Session(row["companyid"], row["userid"], row["locationid"], row["senderid"], expires)
