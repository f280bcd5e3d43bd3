"""The export state machine: one attempt per Intacct document of a report's export version."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final

from ledgerbridge.domain.ids import ReportId, WorkspaceId


class AttemptState(enum.StrEnum):
    """Where one document's delivery stands (BRIEF.md, "Exactly once")."""

    QUEUED = "queued"
    SENDING = "sending"
    EXPORTED = "exported"
    FAILED = "failed"
    UNCERTAIN = "uncertain"


ATTEMPT_TRANSITIONS: Final = MappingProxyType(
    {
        AttemptState.QUEUED: frozenset({AttemptState.SENDING, AttemptState.FAILED}),
        # A stale `sending` (its process died) is reconciled like an uncertain one.
        AttemptState.SENDING: frozenset(
            {AttemptState.EXPORTED, AttemptState.FAILED, AttemptState.UNCERTAIN, AttemptState.SENDING}),
        AttemptState.UNCERTAIN: frozenset({AttemptState.EXPORTED, AttemptState.SENDING, AttemptState.FAILED}),
        AttemptState.FAILED: frozenset({AttemptState.QUEUED, AttemptState.SENDING, AttemptState.FAILED}),
        AttemptState.EXPORTED: frozenset(),
    }
)
"""Every allowed move. Nothing leaves `exported`; `uncertain` leaves only once Intacct was asked about it."""

NEEDS_RECONCILING: Final = frozenset({AttemptState.SENDING, AttemptState.UNCERTAIN})
"""States in which the document may exist in Intacct: look it up by reference before sending again."""


class InvalidAttemptMove(ValueError):
    """A move the export state machine does not allow."""

    def __init__(self, controlid: str, from_state: AttemptState, to_state: AttemptState) -> None:
        super().__init__(f"export attempt {controlid} cannot go from {from_state.value} to {to_state.value}")


def check_move(controlid: str, from_state: AttemptState, to_state: AttemptState) -> None:
    """Raise InvalidAttemptMove unless the state machine allows the move."""
    if to_state not in ATTEMPT_TRANSITIONS[from_state]:
        raise InvalidAttemptMove(controlid, from_state, to_state)


@dataclass(frozen=True, slots=True)
class ExportAttempt:
    """The delivery of one document: its identity in Intacct, where it stands, and what Intacct said."""

    id: str
    workspace_id: WorkspaceId
    report_id: ReportId
    export_version: int
    document_index: int
    document_kind: str
    controlid: str
    reference: str
    reference_object: str
    reference_field: str
    state: AttemptState
    created_at: datetime
    updated_at: datetime
    attempts: int = 0
    intacct_key: str | None = None
    int_code: str | None = None
    message: str | None = None
    intacct_errors: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    claimed_until: datetime | None = None
    """While `sending`: until when the sending process holds it; after that it is presumed dead."""
