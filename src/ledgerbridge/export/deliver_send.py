"""The remote half of delivery: send planned documents in batches, and look documents up by reference.

Nothing here touches the database; the caller records every outcome in its own short transaction.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ledgerbridge.domain import IntacctCredentials
from ledgerbridge.domain.exports import AttemptState
from ledgerbridge.export.failure import ExportFailure
from ledgerbridge.export.payloads import PlannedDocument
from ledgerbridge.export.translate import translate, translate_exception
from ledgerbridge.intacct import (
    ClientOptions,
    Condition,
    Disposition,
    ErrorDetail,
    IntacctClient,
    IntacctError,
    Login,
    Result,
    Secret,
    Sender,
)

LOOKUP_CHUNK = 500
"""References asked about in one ``in`` condition; well inside the gateway's 1,000 values."""

TRANSIENT = frozenset({Disposition.RETRY, Disposition.REAUTHENTICATE})
"""Nothing was executed: the same document can simply go again."""


def open_client(credentials: IntacctCredentials, options: ClientOptions | None) -> IntacctClient:
    """A client for the connection's company, at the top level (documents carry their own entity)."""
    tuned = dataclasses.replace(options or ClientOptions(), endpoint=credentials.endpoint_url,
                                uniqueid_for_writes=True)
    sender = Sender(credentials.sender_id, Secret(credentials.sender_password))
    login = Login(credentials.company_id, credentials.user_id, Secret(credentials.user_password))
    return IntacctClient(sender, login, options=tuned)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of one sent document: exported with its key, failed, or uncertain."""

    controlid: str
    state: AttemptState
    intacct_key: str | None = None
    failure: ExportFailure | None = None

    @property
    def transient(self) -> bool:
        """Failed without anything executed, so sending again is all it takes."""
        return self.failure is not None and self.state is AttemptState.FAILED and \
            self.failure.disposition in TRANSIENT


def errors_json(errors: Sequence[ErrorDetail]) -> list[dict[str, Any]]:
    """Intacct's own errors as kept for support, Support ID included."""
    return [
        {"errorno": e.errorno, "description": e.description, "description2": e.description2,
         "correction": e.correction, "support_id": e.support_id}
        for e in errors
    ]


def _from_failure(controlid: str, failure: ExportFailure) -> Delivery:
    # A replay refused as already executed, a timeout after sending: Intacct may hold the document.
    state = AttemptState.UNCERTAIN if failure.disposition is Disposition.UNCERTAIN else AttemptState.FAILED
    return Delivery(controlid, state, failure=failure)


def _delivery(document: PlannedDocument, outcome: Result | IntacctError) -> Delivery:
    if isinstance(outcome, IntacctError):
        return _from_failure(document.controlid, translate_exception(outcome, document.context))
    if outcome.ok:
        key = ",".join(outcome.recordnos) or outcome.key or None
        return Delivery(document.controlid, AttemptState.EXPORTED, intacct_key=key)
    return _from_failure(document.controlid, translate(outcome, document.context))


async def send(client: IntacctClient, documents: Sequence[PlannedDocument]) -> list[Delivery]:
    """Send every document, batched many to a request within the company's concurrency limit."""
    if not documents:
        return []
    outcomes = await client.execute_many([document.function for document in documents])
    return [_delivery(document, outcome) for document, outcome in zip(documents, outcomes, strict=True)]


@dataclass(frozen=True, slots=True)
class Wanted:
    """A document to look for: the Intacct object, the field holding our reference, and the reference."""

    reference_object: str
    reference_field: str
    reference: str


async def look_up(client: IntacctClient, wanted: Sequence[Wanted]) -> dict[Wanted, tuple[str, ...]]:
    """The RECORDNOs Intacct holds for each reference (empty when it holds none); raises IntacctError."""
    by_object: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in wanted:
        by_object[(item.reference_object, item.reference_field)].append(item.reference)
    found: dict[Wanted, list[str]] = {item: [] for item in wanted}
    for (object_name, field_name), references in by_object.items():
        unique = list(dict.fromkeys(references))
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start:start + LOOKUP_CHUNK]
            records = await client.query_all(
                object_name, ["RECORDNO", field_name], filter=Condition("in", field_name, *chunk), showprivate=True)
            for record in records:
                key = Wanted(object_name, field_name, record.get(field_name) or "")
                if key in found and record.get("RECORDNO"):
                    found[key].append(record["RECORDNO"])
    return {item: tuple(sorted(set(keys))) for item, keys in found.items()}
