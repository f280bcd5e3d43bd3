"""One exception tree, grouped by what the caller has to do next."""

from __future__ import annotations

from ledgerbridge.intacct._results import ErrorDetail, Result
from ledgerbridge.intacct._secrets import redact


class IntacctError(Exception):
    """Root of everything the client raises; carries Intacct's errors and the HTTP status when known."""

    def __init__(self, message: str, *, errors: tuple[ErrorDetail, ...] = (), http_status: int | None = None) -> None:
        # Gateway texts can echo what was sent, so even error messages go through the secret scrubber.
        super().__init__(redact(message))
        self.errors = errors
        self.http_status = http_status

    @property
    def errornos(self) -> tuple[str, ...]:
        return tuple(error.errorno for error in self.errors)


class RetriableError(IntacctError):
    """Nothing was executed (rate limit, gateway unavailable, connection refused): send again later."""


class ReauthenticationError(IntacctError):
    """The session is no longer accepted: log in again before sending anything else."""


class UncertainOutcomeError(IntacctError):
    """The request may have been executed (timeout, lost connection, 5xx after sending): reconcile first."""


class ConfigurationError(IntacctError):
    """Credentials, authorization or endpoint are wrong: a person has to change a setting."""


class FatalError(IntacctError):
    """Sending the same thing again cannot succeed: give up and report."""


class InvalidRequestError(FatalError):
    """The request could not be built (text XML cannot carry, a duplicate controlid, a float amount)."""


class ProtocolError(FatalError):
    """The response is not a gateway response we can trust (unparseable, hostile, missing results)."""


class FunctionFailedError(FatalError):
    """A read the client needed to continue (a page, a session) failed with business errors."""

    def __init__(self, result: Result) -> None:
        text = "; ".join(f"{error.errorno}: {error.message}" for error in result.errors) or result.status
        super().__init__(f"{result.function} {result.controlid!r} failed: {text}", errors=result.errors)
        self.result = result
