"""What every export document shares: resolved lines, dates, parties, identity and the failure context.

A payload builder (one module per Intacct document) only says how its lines are grouped into documents
and how a grouped document is written as an Intacct function; everything else is decided here once, so
the four builders cannot drift apart.

Identity of a document, stable across processes and retries:

- ``controlid`` is ``lb-<code>-<40 hex>`` (code: er, bill, cc, je): the first 40 hex digits of SHA-256
  over the workspace id, report id, export version, the document's position in the report's plan and
  its kind, joined with the unit separator. Same report, version and settings: same controlid, so
  Intacct's ``uniqueid`` check refuses a replay. At most 48 characters, well inside Intacct's 256.
- ``reference`` is the report id, written into the document's own number field (RECORDID, referenceno,
  expensereportno, REFERENCENO) so an uncertain export can be found by querying Intacct. A re-export
  (version 2 and up) appends ``-v<version>``; when a report yields several documents of one Intacct
  object, each appends ``-<n>`` (1-based, in plan order).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ledgerbridge.domain import DimensionImport, ExportDate
from ledgerbridge.domain.coding import Category
from ledgerbridge.domain.connection import FALLBACK_VENDOR_NAME
from ledgerbridge.domain.ids import (
    CLASS,
    CUSTOMER,
    DEPARTMENT,
    LOCATION,
    PROJECT,
    STANDARD_DIMENSIONS,
    AccountNo,
    CardAccountId,
    Dimension,
    DimensionValueId,
    EmployeeId,
    EntityId,
    ExpenseTypeName,
    VendorId,
)
from ledgerbridge.domain.money import Currency
from ledgerbridge.domain.reports import Expense, Payment, Report
from ledgerbridge.export.context import DocumentContext, DocumentLine, ExportType
from ledgerbridge.export.view import WorkspaceView
from ledgerbridge.intacct import CustomField, Dimensions, Function

GroupKey = tuple[str | dt.date, ...]
"""What lines of one document have in common; keys sort in text order to fix the document order."""

VendorLookup = Callable[[str], VendorId | None]
"""Finds an Intacct vendor by name or email; None when there is none."""

CONTROLID_PREFIX = "lb"
EXCHANGE_RATE_TYPE = "Intacct Daily Rate"
"""Rate type sent with every currency, so a foreign-currency document never lacks a rate."""
_SEPARATOR = "\x1f"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class PlanningProblem:
    """Why a document cannot be written: data preflight would have reported."""

    message: str
    expense_id: str | None = None


class PlanningError(ValueError):
    """A report that cannot be turned into documents; carries every problem found, not only the first."""

    def __init__(self, problems: Sequence[PlanningProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))


@dataclass(frozen=True, slots=True)
class Line:
    """One expense with its Intacct coding resolved for the document it goes into."""

    expense: Expense
    category: Category | None
    gl_account: AccountNo | None
    expense_type: ExpenseTypeName | None
    dimensions: Mapping[Dimension, DimensionValueId]
    """Standard dimensions (DEPARTMENT, LOCATION, CLASS, PROJECT, CUSTOMER) that the line carries."""
    udds: tuple[tuple[str, DimensionValueId], ...]
    """User-defined dimensions: (integration name, value id)."""
    vendor: VendorId | None
    card_account: CardAccountId | None
    transaction_date: dt.date

    @property
    def currency(self) -> Currency:
        return self.expense.amount.currency

    @property
    def label(self) -> str:
        spent_on = self.expense.spent_on
        return f"{self.expense.merchant}, {spent_on.month:02d}/{spent_on.day:02d}/{spent_on.year:04d}"

    @property
    def memo(self) -> str:
        """The line's text in Intacct: the merchant, then the description when there is one."""
        expense = self.expense
        return f"{expense.merchant} - {expense.description}" if expense.description else expense.merchant

    def dimension(self, name: Dimension) -> DimensionValueId | None:
        return self.dimensions.get(name)


@dataclass(frozen=True, slots=True)
class Draft:
    """A document whose lines, date and parties are decided; a builder turns it into one function."""

    kind: ExportType
    report: Report
    lines: tuple[Line, ...]
    date: dt.date
    currency: Currency
    controlid: str
    reference: str
    entity: EntityId
    employee_id: EmployeeId | None = None
    vendor_id: VendorId | None = None
    card_account: CardAccountId | None = None
    offset_account: AccountNo | None = None
    journal: str | None = None
    """The journal symbol a journal entry posts to (the workspace's card journal); None when none is chosen."""

    @property
    def title(self) -> str:
        return self.report.title or f"Expense report {self.report.id}"

    @property
    def payee(self) -> str:
        """The merchant when every line has the same one, else the report title."""
        merchants = {line.expense.merchant for line in self.lines}
        return merchants.pop() if len(merchants) == 1 else self.title


@dataclass(frozen=True, slots=True)
class PlannedDocument:
    """One Intacct document of an export: the function to send and what is needed to account for it."""

    kind: ExportType
    function: Function
    controlid: str
    reference: str
    """The report id as written into the document (RECORDID, referenceno, expensereportno, REFERENCENO)."""
    reference_object: str
    """The Intacct object to query for `reference` (CCTRANSACTION, EEXPENSES, APBILL, GLBATCH)."""
    reference_field: str
    expense_ids: tuple[str, ...]
    describe: Callable[[], DocumentContext] = field(repr=False, compare=False)
    """Builds the context below; held rather than built, since only a refused document needs it."""

    @property
    def context(self) -> DocumentContext:
        """What naming the account, card, category and expense of a failure takes."""
        return self.describe()


@dataclass(frozen=True, slots=True)
class DocumentType:
    """How one kind of Intacct document is grouped and written; the rest is the skeleton's."""

    kind: ExportType
    code: str
    reference_object: str
    reference_field: str
    group_key: Callable[[Line], GroupKey]
    """Lines with equal keys share a document (a card account, a vendor, a date, a currency...)."""
    build: Callable[[Draft], Function]
    dated_by_transaction: bool = False
    """Card charges carry their expenses' transaction date instead of the export date setting."""
    entity_from_card: bool = False
    """Documents posted through a charge card account belong to the card's entity."""


def xml_safe(text: str) -> bool:
    """Whether XML 1.0 can carry the text; one bad merchant name must not sink a whole batched request."""
    return _NOT_XML.search(text) is None


def controlid_for(workspace_id: str, report_id: str, export_version: int, index: int, kind: ExportType,
                  code: str) -> str:
    """The deterministic function controlid of a report's `index`-th planned document."""
    identity = _SEPARATOR.join((workspace_id, report_id, str(export_version), str(index), kind.value))
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:40]
    return f"{CONTROLID_PREFIX}-{code}-{digest}"


def reference_for(report: Report, ordinal: int | None) -> str:
    """The report id as the document's number; see the module docstring for the suffixes."""
    base = report.id if report.export_version == 1 else f"{report.id}-v{report.export_version}"
    return base if ordinal is None else f"{base}-{ordinal}"


def export_date(report: Report, expenses: Sequence[Expense], view: WorkspaceView, exported_on: dt.date) -> dt.date:
    """The document date the workspace's export date setting asks for."""
    setting = view.settings.export_date
    if setting is ExportDate.LAST_EXPENSE and expenses:
        return max(expense.spent_on for expense in expenses)
    if setting is ExportDate.SUBMITTED and report.submitted_at is not None:
        return report.submitted_at.date()
    return exported_on


def vendors_by_name(view: WorkspaceView) -> VendorLookup:
    """A lookup of active vendors by name, ignoring letter case and surrounding spaces."""
    table: dict[str, VendorId] = {}
    for vendor in sorted(view.vendors.values(), key=lambda v: v.vendor_id):
        if vendor.status == "active":
            table.setdefault(vendor.name.strip().casefold(), vendor.vendor_id)

    def lookup(name: str) -> VendorId | None:
        return table.get(name.strip().casefold())

    return lookup


def card_vendor(expense: Expense, view: WorkspaceView, lookup: VendorLookup) -> VendorId | None:
    """The vendor of company card spend: the expense's, else the default vendor, else 'Credit Card Misc'."""
    return expense.vendor or view.settings.default_vendor or lookup(FALLBACK_VENDOR_NAME)


def card_account_of(expense: Expense, view: WorkspaceView) -> CardAccountId | None:
    """The charge card account a card expense posts to: the card's mapping, else the workspace default."""
    card = view.cards.get(expense.card_id) if expense.card_id else None
    mapped = card.charge_card_account if card is not None else None
    return mapped or view.settings.default_charge_card_account


@dataclass(frozen=True, slots=True)
class Resolver:
    """Resolves expenses into lines for one kind of document, collecting every problem on the way."""

    view: WorkspaceView
    kind: ExportType
    employee_id: EmployeeId | None
    vendor_lookup: VendorLookup
    entity_from_card: bool
    document_vendor: VendorId | None = None
    """The vendor every line is billed to (a reimbursable bill's employee vendor), when there is one."""
    problems: list[PlanningProblem] = field(default_factory=list)

    def line(self, expense: Expense) -> Line | None:
        view = self.view
        unwritable = [name for name, text in (("merchant", expense.merchant), ("description", expense.description))
                      if not xml_safe(text)]
        if unwritable:
            self.problems.append(PlanningProblem(
                f"the {' and '.join(unwritable)} of expense {expense.id} holds control characters XML cannot carry",
                expense.id))
            return None
        category = view.categories.get(expense.category_id) if expense.category_id else None
        if category is None:
            self.problems.append(PlanningProblem(f"expense {expense.id} has no category", expense.id))
            return None
        expense_type = category.expense_type if self.kind is ExportType.EXPENSE_REPORT else None
        gl_account = category.gl_account
        if gl_account is None and category.expense_type is not None:
            known = view.expense_types.get(category.expense_type)
            gl_account = known.gl_account if known is not None else None
        if expense_type is None and gl_account is None:
            self.problems.append(PlanningProblem(f"category {category.name!r} maps to no GL account", expense.id))
            return None
        card_account = card_account_of(expense, view) if expense.card_id or self._card_document else None
        if self._card_document and card_account is None:
            self.problems.append(PlanningProblem(
                f"the card of expense {expense.id} maps to no charge card account and there is no default",
                expense.id))
            return None
        if self.document_vendor is not None:
            vendor: VendorId | None = self.document_vendor
        elif self._card_spend(expense):
            vendor = card_vendor(expense, view, self.vendor_lookup)
        else:
            vendor = expense.vendor
        return Line(
            expense=expense,
            category=category,
            gl_account=gl_account,
            expense_type=expense_type,
            dimensions=MappingProxyType(self._dimensions(expense, card_account)),
            udds=self._udds(expense),
            vendor=vendor,
            card_account=card_account,
            transaction_date=expense.spent_on,
        )

    @property
    def _card_document(self) -> bool:
        return self.kind in (ExportType.CREDIT_CARD_CHARGE, ExportType.JOURNAL_ENTRY)

    @staticmethod
    def _card_spend(expense: Expense) -> bool:
        return expense.payment is Payment.COMPANY_CARD

    def _dimensions(self, expense: Expense, card_account: CardAccountId | None) -> dict[Dimension, str]:
        settings = self.view.settings
        employee = self.view.employees.get(self.employee_id) if self.employee_id else None
        chosen: dict[Dimension, str] = {}
        for name in STANDARD_DIMENSIONS:
            how = settings.dimensions.get(name, DimensionImport.NONE)
            if how is DimensionImport.NONE:
                continue
            value = expense.tags.get(name)
            # Only the expense report takes the employee's defaults, as in Intacct's own UI.
            if (not value and how is DimensionImport.EMPLOYEE_DEFAULT and employee is not None
                    and self.kind is ExportType.EXPENSE_REPORT):
                value = {DEPARTMENT: employee.department, LOCATION: employee.location}.get(name)
            if value:
                chosen[name] = value
        if LOCATION not in chosen:
            entity = self.entity_for(card_account)
            if entity:
                chosen[LOCATION] = entity
        return chosen

    def entity_for(self, card_account: CardAccountId | None) -> EntityId:
        """The entity a document posts in: the card account's for card documents, else the connection's."""
        if self.entity_from_card and card_account is not None:
            known = self.view.card_accounts.get(card_account)
            if known is not None and known.entity:
                return known.entity
        return self.view.settings.entity

    def _udds(self, expense: Expense) -> tuple[tuple[str, DimensionValueId], ...]:
        names = [udd.integration_name for udd in self.view.settings.user_defined_dimensions]
        return tuple((name, expense.tags[name]) for name in names if expense.tags.get(name))



def context_for(draft: Draft, view: WorkspaceView) -> DocumentContext:
    """What the translation layer needs to name the account, card, category and expense of a failure."""
    lines = tuple(
        DocumentLine(
            line=number,
            expense_id=line.expense.id,
            gl_account=line.gl_account,
            category=line.category.name if line.category is not None else None,
            expense_type=line.expense_type,
            card_account_id=line.card_account,
            dimensions={**line.dimensions, **dict(line.udds)},
            vendor=line.vendor if draft.vendor_id is None else draft.vendor_id,
            employee=draft.employee_id,
            amount=line.expense.amount.amount,
            billable=line.expense.billable,
            expense_label=line.label,
        )
        for number, line in enumerate(draft.lines, start=1)
    )
    return DocumentContext(
        export_type=draft.kind,
        lines=lines,
        employee_id=draft.employee_id,
        vendor_id=draft.vendor_id,
        card_account_id=draft.card_account,
        entity=draft.entity or None,
        export_date=draft.date,
        currency=draft.currency,
        report_id=draft.report.id,
        submitter_email=view.member_emails.get(draft.report.owner),
    )


def legacy_dimensions(line: Line, *, with_vendor: bool) -> Dimensions:
    """A line's dimensions as the object-specific functions name them."""
    return Dimensions(
        locationid=line.dimension(LOCATION),
        departmentid=line.dimension(DEPARTMENT),
        projectid=line.dimension(PROJECT),
        customerid=line.dimension(CUSTOMER),
        vendorid=line.vendor if with_vendor else None,
        classid=line.dimension(CLASS),
    )


def custom_fields(line: Line) -> tuple[CustomField, ...]:
    """User-defined dimensions as ``customfields`` of an object-specific function."""
    return tuple(CustomField(name, value) for name, value in line.udds)


def generic_dimensions(line: Line, names: Mapping[Dimension, str]) -> dict[str, str]:
    """A line's dimensions under a generic object's field names, plus ``GLDIM<NAME>`` for each UDD."""
    fields = {field_name: line.dimensions[name] for name, field_name in names.items() if name in line.dimensions}
    fields.update({f"GLDIM{name}": value for name, value in line.udds})
    return fields


def billable(line: Line) -> bool | None:
    """Only billable lines say so; Intacct's default is not billable."""
    return True if line.expense.billable else None
