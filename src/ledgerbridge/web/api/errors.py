"""API errors: each type carries its HTTP status; lower layers' errors are translated here, once."""

from __future__ import annotations

from typing import Any, ClassVar

from ledgerbridge.domain import InvalidCoding, InvalidSettings, InvalidTransition, StaleEdit
from ledgerbridge.domain.money import MoneyError
from ledgerbridge.export.deliver_state import NotConnected
from ledgerbridge.jobs import JobQueueUnavailable
from ledgerbridge.store import AlreadyExists, InUse, NotFound, ReportChanged, SecretKeyError


class ApiError(Exception):
    """An error the API reports as `{"error": {"code", "message", "details"}}` with `status`."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class Missing(ApiError):
    status = 404
    code = "not_found"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class InUseConflict(Conflict):
    code = "in_use"


class StaleVersion(Conflict):
    code = "stale_edit"


class StateConflict(Conflict):
    code = "invalid_state"


class Invalid(ApiError):
    status = 422
    code = "invalid"


class InvalidAmount(Invalid):
    code = "invalid_amount"


class ConnectionRefusedByIntacct(Invalid):
    code = "connection_refused"


class Unavailable(ApiError):
    status = 503
    code = "unavailable"


def translate(exc: Exception) -> ApiError | None:
    """The API error for a storage or domain refusal; None for anything unexpected."""
    match exc:
        case ApiError():
            return exc
        case NotFound():
            return Missing(str(exc), {"kind": exc.kind, "id": exc.key})
        case AlreadyExists():
            return Conflict(str(exc), {"kind": exc.kind})
        case InUse():
            return InUseConflict(str(exc), {"kind": exc.kind})
        case StaleEdit():
            return StaleVersion(str(exc), {"read_version": exc.read_version, "current_version": exc.current_version})
        case ReportChanged() | InvalidTransition():
            return StateConflict(str(exc))
        case MoneyError():
            return InvalidAmount(str(exc))
        case InvalidCoding() | InvalidSettings():
            return Invalid(str(exc))
        case SecretKeyError() | NotConnected():
            return Conflict(str(exc))
        case JobQueueUnavailable():
            return Unavailable(str(exc))
    return None


TRANSLATED: tuple[type[Exception], ...] = (
    ApiError,
    NotFound,
    AlreadyExists,
    InUse,
    StaleEdit,
    ReportChanged,
    InvalidTransition,
    MoneyError,
    InvalidCoding,
    InvalidSettings,
    SecretKeyError,
    NotConnected,
    JobQueueUnavailable,
)
"""The exception types `translate` knows; the app registers one handler for each."""
