"""Whether a GL account can take a line: the restriction kinds (INT860) and required dimensions (INT073)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ledgerbridge.domain.ids import DEPARTMENT, LOCATION, CardAccountId, Dimension, DimensionValueId, EntityId
from ledgerbridge.domain.snapshot import IntacctAccount
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.preflight.context import dimension_label
from ledgerbridge.export.preflight.finding import Restriction

RELATED_DIMENSIONS: Final = (LOCATION, DEPARTMENT)
"""The dimensions an account's relationships restrict."""

Verdict = tuple[Restriction, str, CardAccountId | None]
"""A restriction kind, what was compared, and the card it ties the account to (card offsets)."""


def _where(entity: EntityId) -> str:
    return f"entity {entity}" if entity else "the top level"


def restrictions(
    account: IntacctAccount,
    export_type: ExportType,
    entity: EntityId,
    dimensions: Mapping[Dimension, DimensionValueId],
    offset_accounts: Mapping[str, CardAccountId],
) -> list[Verdict]:
    """Every reason `account` refuses a line posted in `entity` with these dimension values; empty if none."""
    found: list[Verdict] = []
    number = account.account_no
    if account.entity and account.entity != entity:
        found.append((Restriction.ENTITY_PRIVATE,
                      f"account {number} belongs to entity {account.entity}; this line posts in {_where(entity)}",
                      None))
    if account.related:
        for dimension in RELATED_DIMENSIONS:
            allowed = account.related.get(dimension)
            if allowed and dimensions.get(dimension) not in allowed:
                given = dimensions.get(dimension)
                label = dimension_label(dimension).lower()
                shown = f"{label} {given}" if given else f"no {label}"
                found.append((Restriction.DIMENSION_RELATIONSHIP,
                              f"account {number} only takes {label}s {', '.join(sorted(allowed))}; the line has "
                              f"{shown}", None))
    if not account.active:
        found.append((Restriction.INACTIVE, f"account {number} is inactive", None))
    card = offset_accounts.get(number)
    if card is not None:
        found.append((Restriction.CARD_OFFSET,
                      f"account {number} is the offset (liability) account of charge card {card}", card))
    if export_type is ExportType.JOURNAL_ENTRY and account.disallow_direct_posting:
        found.append((Restriction.DIRECT_POSTING,
                      f"account {number} disallows direct posting, and a journal entry posts directly", None))
    return found


def missing_dimensions(
    account: IntacctAccount, export_type: ExportType, dimensions: Mapping[Dimension, DimensionValueId]
) -> list[Dimension]:
    """Dimensions the account requires that the line lacks (the report's employee or the bill's vendor count)."""
    missing = []
    for dimension in sorted(account.required_dimensions):
        if dimensions.get(dimension):
            continue
        if dimension == "EMPLOYEE" and export_type is ExportType.EXPENSE_REPORT:
            continue
        if dimension == "VENDOR" and export_type is ExportType.VENDOR_BILL:
            continue
        missing.append(dimension)
    return missing
