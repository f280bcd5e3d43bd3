"""Building a gateway client from stored credentials, and testing a connection before it is saved."""

from __future__ import annotations

import dataclasses

from ledgerbridge.domain import IntacctCredentials
from ledgerbridge.domain.sync_runs import SyncFailure
from ledgerbridge.export.failure import SyncFailure as TranslatedFailure
from ledgerbridge.export.translate import translate_sync
from ledgerbridge.intacct import (
    ClientOptions,
    ErrorDetail,
    IntacctClient,
    IntacctError,
    Login,
    Result,
    Secret,
    Sender,
    query,
)


class ConnectionRefused(Exception):
    """Intacct did not accept the credentials (or the entity): `code` is the INT code, `message` its text."""

    def __init__(self, code: str, message: str, intacct_errors: tuple[ErrorDetail, ...] = ()) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.intacct_errors = intacct_errors


def open_client(
    credentials: IntacctCredentials, *, entity: str = "", options: ClientOptions | None = None
) -> IntacctClient:
    """A client signing in as the connection's user, at ``entity`` when one is given."""
    sender = Sender(credentials.sender_id, Secret(credentials.sender_password))
    login = Login(credentials.company_id, credentials.user_id, Secret(credentials.user_password), entity or None)
    tuned = dataclasses.replace(options or ClientOptions(), endpoint=credentials.endpoint_url)
    return IntacctClient(sender, login, options=tuned)


def as_run_failure(failure: TranslatedFailure, kind: str | None) -> SyncFailure:
    """The translated failure in the shape a sync run keeps."""
    intacct = "; ".join(f"{error.errorno}: {error.message}" for error in failure.intacct_errors)
    return SyncFailure(failure.code, failure.message, intacct, kind)


def refused(failure: TranslatedFailure) -> ConnectionRefused:
    return ConnectionRefused(failure.code, failure.message, failure.intacct_errors)


async def test_connection(credentials: IntacctCredentials, entity: str) -> None:
    """Sign in (getAPISession) and read one GL account; raises ConnectionRefused with the INT code."""
    async with open_client(credentials, entity=entity) as client:
        try:
            await client.session()
        except IntacctError as exc:
            raise refused(translate_sync(exc, object_name="getAPISession")) from None
        try:
            (result,) = await client.execute([query("GLACCOUNT", ["RECORDNO", "ACCOUNTNO"], pagesize=1)])
        except IntacctError as exc:
            raise refused(translate_sync(exc, object_name="GLACCOUNT")) from None
        if not isinstance(result, Result) or not result.ok:
            raise refused(translate_sync(result, object_name="GLACCOUNT"))


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name
