"""Secrets that never print, and a logging filter that scrubs them from anything that does."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

REDACTED = "***"

_known: set[str] = set()
_known_lock = threading.Lock()

# Very short values would turn ordinary words into asterisks; no real password or session id is this short.
_MIN_SCRUB_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Secret:
    """A password or session id: usable by the client, invisible in repr, str and logs."""

    _value: str = field(repr=False)

    def __post_init__(self) -> None:
        if len(self._value) >= _MIN_SCRUB_LENGTH:
            with _known_lock:
                _known.add(self._value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED


def redact(text: str) -> str:
    """Replace every known secret in ``text``; longest first so a secret containing another is caught."""
    with _known_lock:
        secrets = sorted(_known, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Scrubs known secrets from a record's message, arguments and traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


logger = logging.getLogger("ledgerbridge.intacct")
# Filters on a logger only see records created on that very logger, so the package logs through this one.
logger.addFilter(RedactingFilter())
