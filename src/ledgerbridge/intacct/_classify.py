"""The one place that decides what an exchange with the gateway means for the caller."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import httpx

from ledgerbridge.intacct._exceptions import (
    ConfigurationError,
    FatalError,
    IntacctError,
    ProtocolError,
    ReauthenticationError,
    RetriableError,
    UncertainOutcomeError,
)
from ledgerbridge.intacct._results import ErrorDetail, Response, Status


class Disposition(StrEnum):
    """What the caller must do next."""

    OK = "ok"
    RETRY = "retry"
    REAUTHENTICATE = "reauthenticate"
    UNCERTAIN = "uncertain"
    CONFIGURATION = "configuration"
    FATAL = "fatal"


@dataclass(frozen=True, slots=True)
class Exchange:
    """Everything known about one request/response: what was sent, and what came back (or went wrong)."""

    writes: bool
    by_session: bool
    transport_error: httpx.HTTPError | httpx.InvalidURL | None = None
    http_status: int | None = None
    response: Response | None = None
    unreadable: ProtocolError | None = None
    missing_results: tuple[str, ...] = ()


# Nothing reached the server (or it refused before reading): always safe to send again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# The request left; whether the server acted on it is unknown.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.CloseError,
)
_MISCONFIGURED = (httpx.UnsupportedProtocol, httpx.InvalidURL)

_RATE_LIMITED = {"GW-0010"}
_UNAVAILABLE = {"GW-0001", "PL04000050"}
_MISCONFIGURED_ERRORNOS = {"XL03000006", "XMLGW_JPP0002", "GW-0011", "GW-0012", "PL04000055"}
# Statuses after which a write may or may not have committed (524: the CDN gave up, Intacct did not).
_AMBIGUOUS_STATUSES = {500, 502, 504, 520, 522, 524}


def classify(exchange: Exchange) -> Disposition:
    """Decide what an exchange means for the caller; the only place that makes this decision."""
    error = exchange.transport_error
    if error is not None:
        if isinstance(error, _NOT_SENT):
            return Disposition.RETRY
        if isinstance(error, _MISCONFIGURED):
            return Disposition.CONFIGURATION
        if isinstance(error, _MAYBE_SENT):
            return _after_sending(exchange)
        if isinstance(error, httpx.TransportError):
            # An unlisted transport failure: assume the worst about whether the request left.
            return _after_sending(exchange)
        return Disposition.FATAL
    status = exchange.http_status or 0
    if status == 429 or status == 503:
        return Disposition.RETRY
    if exchange.response is not None:
        return _from_response(exchange, exchange.response)
    # No readable XML body from here on.
    if status in _AMBIGUOUS_STATUSES or status >= 500:
        return _after_sending(exchange)
    if status in (401, 403):
        return Disposition.CONFIGURATION
    if status >= 400:
        return Disposition.FATAL
    # A 2xx we cannot read: a write may have run; a read can be asked again only if we trust the gateway.
    return Disposition.UNCERTAIN if exchange.writes else Disposition.FATAL


def _after_sending(exchange: Exchange) -> Disposition:
    return Disposition.UNCERTAIN if exchange.writes else Disposition.RETRY


def _from_response(exchange: Exchange, response: Response) -> Disposition:
    errornos = {error.errorno for error in response.errors}
    if response.control.status is not Status.SUCCESS:
        return _from_errornos(errornos, response.errors)
    authentication = response.authentication
    if authentication is None:
        return Disposition.FATAL
    if authentication.status is not Status.SUCCESS:
        if errornos & _RATE_LIMITED:
            return Disposition.RETRY
        # A session that stopped working is renewable; a rejected login needs a person.
        return Disposition.REAUTHENTICATE if exchange.by_session else Disposition.CONFIGURATION
    if exchange.missing_results:
        return _after_sending(exchange) if exchange.writes else Disposition.FATAL
    return Disposition.OK


def _from_errornos(errornos: set[str], errors: tuple[ErrorDetail, ...]) -> Disposition:
    if errornos & _RATE_LIMITED or any("rate limit" in error.message.lower() for error in errors):
        return Disposition.RETRY
    if errornos & _UNAVAILABLE or any("temporarily off-line" in error.message.lower() for error in errors):
        return Disposition.RETRY
    if errornos & _MISCONFIGURED_ERRORNOS:
        return Disposition.CONFIGURATION
    return Disposition.FATAL


_EXCEPTIONS: dict[Disposition, type[IntacctError]] = {
    Disposition.RETRY: RetriableError,
    Disposition.REAUTHENTICATE: ReauthenticationError,
    Disposition.UNCERTAIN: UncertainOutcomeError,
    Disposition.CONFIGURATION: ConfigurationError,
    Disposition.FATAL: FatalError,
}


def exception_for(disposition: Disposition, exchange: Exchange) -> IntacctError:
    """The exception a non-OK disposition raises, with Intacct's errors and a message a person can act on."""
    if disposition is Disposition.FATAL and exchange.unreadable is not None and exchange.response is None:
        return ProtocolError(str(exchange.unreadable), http_status=exchange.http_status)
    errors = exchange.response.errors if exchange.response is not None else ()
    if exchange.transport_error is not None:
        what = f"{type(exchange.transport_error).__name__} talking to the gateway"
    elif errors:
        what = "; ".join(f"{error.errorno}: {error.message}" for error in errors)
    elif exchange.missing_results:
        what = f"no result for function(s) {', '.join(exchange.missing_results[:5])}"
    else:
        what = f"HTTP {exchange.http_status}"
    return _EXCEPTIONS[disposition](what, errors=errors, http_status=exchange.http_status)
