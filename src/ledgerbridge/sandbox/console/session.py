"""Console sign-in state: a signed cookie carrying the session id, its CSRF token and who signed in."""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "ledgerbridge_console"
MAX_AGE_SECONDS = 8 * 60 * 60
SECRET_FILE = "console-secret"  # noqa: S105 - a file name, not a secret


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    sid: str
    csrf: str
    companyid: str = ""
    userid: str = ""

    @property
    def signed_in(self) -> bool:
        return bool(self.companyid and self.userid)

    def csrf_matches(self, offered: str) -> bool:
        return bool(offered) and hmac.compare_digest(self.csrf.encode(), offered.encode())


def fresh_session(companyid: str = "", userid: str = "") -> ConsoleSession:
    """A new session id and CSRF token; used on first visit, on sign-in and on sign-out."""
    return ConsoleSession(secrets.token_urlsafe(18), secrets.token_urlsafe(32), companyid, userid)


def load_secret(data_dir: Path) -> bytes:
    """The cookie signing key kept in the data dir (owner-only), created on first use."""
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip().encode()


class SessionSigner:
    """Signs sessions into cookie values and remembers the ids signed out since the process started."""

    def __init__(self, secret: bytes) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="ledgerbridge.sandbox.console")
        self._signed_out: set[str] = set()
        self._lock = threading.Lock()

    def dumps(self, session: ConsoleSession) -> str:
        return self._serializer.dumps([session.sid, session.csrf, session.companyid, session.userid])

    def loads(self, value: str | None) -> ConsoleSession | None:
        if not value:
            return None
        try:
            payload = self._serializer.loads(value, max_age=MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not (isinstance(payload, list) and len(payload) == 4 and all(isinstance(p, str) for p in payload)):
            return None
        session = ConsoleSession(*payload)
        with self._lock:
            if session.sid in self._signed_out:
                return replace(session, companyid="", userid="")
        return session

    def sign_out(self, session: ConsoleSession) -> None:
        with self._lock:
            self._signed_out.add(session.sid)
