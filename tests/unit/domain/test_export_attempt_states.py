"""The export state machine: what a document's delivery may move to, and what it never may."""

from __future__ import annotations

import pytest

from ledgerbridge.domain.exports import (
    ATTEMPT_TRANSITIONS,
    NEEDS_RECONCILING,
    AttemptState,
    InvalidAttemptMove,
    check_move,
)


def test_a_new_document_goes_queued_sending_then_one_outcome() -> None:
    check_move("c", AttemptState.QUEUED, AttemptState.SENDING)
    for outcome in (AttemptState.EXPORTED, AttemptState.FAILED, AttemptState.UNCERTAIN):
        check_move("c", AttemptState.SENDING, outcome)


def test_nothing_leaves_exported() -> None:
    assert ATTEMPT_TRANSITIONS[AttemptState.EXPORTED] == frozenset()
    for target in AttemptState:
        with pytest.raises(InvalidAttemptMove, match="cannot go from exported"):
            check_move("c", AttemptState.EXPORTED, target)


def test_an_uncertain_document_is_never_queued_again_without_a_lookup() -> None:
    # From uncertain it is either found (exported), sent again after the lookup, or dropped from the plan.
    assert AttemptState.QUEUED not in ATTEMPT_TRANSITIONS[AttemptState.UNCERTAIN]
    assert {AttemptState.SENDING, AttemptState.UNCERTAIN} == NEEDS_RECONCILING


def test_a_queued_document_cannot_claim_an_outcome_without_being_sent() -> None:
    for outcome in (AttemptState.EXPORTED, AttemptState.UNCERTAIN):
        with pytest.raises(InvalidAttemptMove):
            check_move("c", AttemptState.QUEUED, outcome)
