"""Lookups derived once per workspace view and shared by every report preflight checks against it."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Final

from ledgerbridge.domain.coding import Category, IntacctState
from ledgerbridge.domain.connection import FALLBACK_VENDOR_NAME, DimensionImport
from ledgerbridge.domain.ids import (
    CUSTOMER,
    DEPARTMENT,
    LOCATION,
    PROJECT,
    CategoryId,
    Dimension,
    DimensionValueId,
    EntityId,
    VendorId,
)
from ledgerbridge.domain.snapshot import IntacctAccount
from ledgerbridge.export.context import ExportType
from ledgerbridge.export.view import WorkspaceView

_STALE_STATES: Final = frozenset({IntacctState.INACTIVE, IntacctState.MISSING})


@dataclass(frozen=True, slots=True)
class Coding:
    """Where a category leads, independent of any expense: its GL account, or why it leads nowhere usable."""

    category_id: CategoryId
    name: str
    category: Category | None
    account: IntacctAccount | None
    problem: str = ""
    """Why the category can't be exported (INT459); empty when it resolves to a synced GL account."""


@dataclass(slots=True)
class Indexes:
    """Per-view lookups and settled settings; codings and tag verdicts are filled on first use."""

    view: WorkspaceView
    location_entity: dict[DimensionValueId, EntityId]
    valued_dimensions: frozenset[Dimension]
    fallback_vendor: VendorId | None
    reimbursable_as: ExportType
    company_card_as: ExportType
    closed_through: dict[EntityId, date]
    """The last closed day of each entity (the top level as "") whose books are closed, as last synced."""
    employee_default_dimensions: tuple[Dimension, ...] = ()
    """Of location and department, those imported as the employee's default."""
    locations_imported: bool = False
    billable_on: bool = False
    """Billable spend is billed to a customer or project, so it needs one of them imported."""
    multi_entity: bool = False
    """The company has entities, as last synced: at its top level every line needs a location."""
    codings: dict[CategoryId, Coding] = field(default_factory=dict)
    stale_tags: dict[tuple[Dimension, DimensionValueId], bool] = field(default_factory=dict)

    def coding(self, category_id: CategoryId) -> Coding:
        found = self.codings.get(category_id)
        if found is None:
            found = self.codings[category_id] = resolve(self.view, category_id)
        return found

    def tag_is_stale(self, dimension: Dimension, code: DimensionValueId) -> bool:
        key = (dimension, code)
        verdict = self.stale_tags.get(key)
        if verdict is None:
            verdict = self.stale_tags[key] = _tag_is_stale(self, dimension, code)
        return verdict


def resolve(view: WorkspaceView, category_id: CategoryId) -> Coding:
    """The GL account a category leads to (directly or through its expense type), or why it can't be used."""
    category = view.categories.get(category_id)
    if category is None:
        return Coding(category_id, category_id, None, None, f"category {category_id} isn't in the workspace")
    name = category.name
    if not category.enabled or category.intacct_state in _STALE_STATES:
        state = "disabled" if not category.enabled else category.intacct_state.value
        return Coding(category_id, name, category, None, f"category {name} is {state}")
    account_no = category.gl_account
    if category.expense_type is not None:
        expense_type = view.expense_types.get(category.expense_type)
        if expense_type is None:
            return Coding(category_id, name, category, None,
                          f"expense type {category.expense_type} isn't in Sage Intacct as last synced")
        if not expense_type.active:
            return Coding(category_id, name, category, None, f"expense type {category.expense_type} is inactive")
        account_no = expense_type.gl_account
        if account_no is None:
            return Coding(category_id, name, category, None,
                          f"expense type {category.expense_type} has no GL account")
    if account_no is None:
        return Coding(category_id, name, category, None,
                      f"category {name} is mapped to neither a GL account nor an expense type")
    account = view.accounts.get(account_no)
    if account is None:
        return Coding(category_id, name, category, None,
                      f"GL account {account_no} isn't in Sage Intacct as last synced")
    return Coding(category_id, name, category, account)


def _tag_is_stale(indexes: Indexes, dimension: Dimension, code: DimensionValueId) -> bool:
    key = (dimension, code)
    tag = indexes.view.tags.get(key)
    if tag is not None and (not tag.enabled or tag.intacct_state in _STALE_STATES):
        return True
    value = indexes.view.dimension_values.get(key)
    if value is None:
        # Only a dimension whose values were synced can show that a value is unknown.
        return dimension in indexes.valued_dimensions
    return not value.active


def _known_entities(view: WorkspaceView) -> set[EntityId]:
    entities = {view.entity, *view.periods}
    entities.update(account.entity for account in view.accounts.values())
    entities.update(card.entity for card in view.card_accounts.values())
    entities.discard("")
    return entities


def _location_entities(view: WorkspaceView) -> dict[DimensionValueId, EntityId]:
    """Each location's entity, where known: an entity is its own; a location has the one recorded at sync."""
    entities = _known_entities(view)
    owners: dict[DimensionValueId, EntityId] = {}
    for (dimension, value_id), value in view.dimension_values.items():
        if dimension != LOCATION:
            continue
        owner = value_id if value_id in entities else str(value.extra.get("entity") or value.entity)
        if owner:  # a location of unknown entity posts where the document does
            owners[value_id] = owner
    for entity in entities:
        owners.setdefault(entity, entity)
    return owners


def build(view: WorkspaceView) -> Indexes:
    settings = view.settings
    fallback = next((vendor.vendor_id for vendor in view.vendors.values() if vendor.name == FALLBACK_VENDOR_NAME),
                    None)
    return Indexes(
        view=view,
        location_entity=_location_entities(view),
        valued_dimensions=frozenset(dimension for dimension, _ in view.dimension_values),
        fallback_vendor=fallback,
        reimbursable_as=ExportType(settings.reimbursable_as.value),
        company_card_as=ExportType(settings.company_card_as.value),
        closed_through={entity: period.closed_through for entity, period in view.periods.items()
                        if period.closed_through is not None},
        employee_default_dimensions=tuple(
            d for d in (LOCATION, DEPARTMENT) if settings.import_of(d) is DimensionImport.EMPLOYEE_DEFAULT),
        locations_imported=settings.import_of(LOCATION) is not DimensionImport.NONE,
        billable_on=any(settings.import_of(d) is not DimensionImport.NONE for d in (PROJECT, CUSTOMER)),
        multi_entity=bool(_known_entities(view)),
    )


_CACHE_SIZE: Final = 16
_cache: OrderedDict[int, Indexes] = OrderedDict()
_lock = Lock()


def indexes_for(view: WorkspaceView) -> Indexes:
    """The indexes of a view, built once while it stays among the recently used ones.

    The cache holds the view itself, so its id cannot be reused by another object while cached.
    """
    key = id(view)
    with _lock:
        found = _cache.get(key)
        if found is not None and found.view is view:
            _cache.move_to_end(key)
            return found
    built = build(view)
    with _lock:
        _cache[key] = built
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built
