"""Encryption of stored Intacct credentials with Fernet; the key never lives in the database."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from ledgerbridge.settings import AppSettings


class SecretKeyError(Exception):
    """The configured key is not a Fernet key, or stored secrets were sealed with another key."""


class SecretBox:
    """Seals and opens secrets with one Fernet key."""

    def __init__(self, key: bytes | str) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(
                "the secret key is not a Fernet key (32 url-safe base64-encoded bytes); generate one with "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
            ) from exc

    def __repr__(self) -> str:
        return "SecretBox(key=***)"

    @classmethod
    def from_settings(cls, settings: AppSettings | None = None) -> SecretBox:
        """The box for `LEDGERBRIDGE_SECRET_KEY`, or for the key file in the data dir (made on first use)."""
        settings = settings or AppSettings()
        if settings.secret_key is not None:
            return cls(settings.secret_key.get_secret_value())
        return cls(load_or_create_key_file(settings.secret_key_file))

    def seal(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def open(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise SecretKeyError(
                "stored credentials cannot be decrypted with the current secret key; "
                "restore the key they were saved with, or reconnect"
            ) from None


def load_or_create_key_file(path: Path) -> bytes:
    """The Fernet key in `path`; a new one is written there first, readable by its owner only (0600)."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(Fernet.generate_key())
    try:
        # A hard link appears complete or not at all, and fails if another process got there first.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_bytes().strip()
