"""INT codes the sandbox has no rule for, produced from recorded Sage Intacct responses.

Each file under tests/fixtures/intacct_responses is a whole gateway response, parsed by the client's own
parser and translated for the document (or the Sync Now step) that was sent. A meta-test checks that the
tests together produce every code of the catalog.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from tests.fixtures.int_codes import FIXES, HOW, NOT_PRODUCED, RESPONSES, Source, check_error

from ledgerbridge.catalog import CATALOG, UNKNOWN_CODE
from ledgerbridge.export import PREFLIGHT_ONLY, DocumentContext, DocumentLine, ExportType, translate, translate_sync
from ledgerbridge.intacct import Result, parse_response

EXPENSE_REPORT = DocumentContext(
    ExportType.EXPENSE_REPORT,
    lines=(
        DocumentLine(1, "exp-1", gl_account="6110", category="Airfare", expense_type="Airfare",
                     dimensions={"LOCATION": "L110"}, amount=Decimal("412.30"), expense_label="Skyway Air, 10/12/2026"),
        DocumentLine(2, "exp-2", gl_account="6120", category="Lodging", expense_type="Lodging",
                     dimensions={"LOCATION": "L110"}, amount=Decimal("389.00"), expense_label="Harbor Inn, 10/15/2026"),
    ),
    employee_id="EMP-001", export_date=dt.date(2026, 10, 15), currency="USD", report_id="Q4 client visit, Boston",
    submitter_email="maria.alvarez@cedarridge.example",
)

VENDOR_BILL = DocumentContext(
    ExportType.VENDOR_BILL,
    lines=(
        DocumentLine(1, "exp-3", gl_account="6150", category="Client Meals", amount=Decimal("86.40"), billable=True,
                     dimensions={"PROJECT": "PRJ-100", "CUSTOMER": "CUST-1001"},
                     expense_label="Harbor Grill, 10/13/2026"),
        DocumentLine(2, "exp-4", amount=Decimal("23.10"), expense_label="Yellow Cab, 10/13/2026"),
    ),
    vendor_id="V-SKYWAY", employee_id="EMP-001", export_date=dt.date(2026, 10, 15), currency="USD",
    report_id="Q4 client visit, Boston", submitter_email="maria.alvarez@cedarridge.example",
)

CARD_CHARGE = DocumentContext(
    ExportType.CREDIT_CARD_CHARGE,
    lines=(DocumentLine(1, "exp-5", gl_account="6300", category="Office Supplies", card_account_id="AMEX-1005",
                        amount=Decimal("19.99"), expense_label="Papertrail, 10/14/2026"),),
    card_account_id="AMEX-1005", export_date=dt.date(2026, 10, 14), currency="USD", report_id="Q4 client visit",
)


@dataclass(frozen=True)
class Recorded:
    """A recorded response and what it means: for an export, the document sent; for a sync, the object read."""

    values: dict[str, str]
    context: DocumentContext | None = None
    sync_object: str = ""
    lines: tuple[int, ...] = ()


RECORDED = {
    "INT009": Recorded({"employee": "EMP-001"}, EXPENSE_REPORT),
    "INT012": Recorded({"report": "Q4 client visit, Boston"}, EXPENSE_REPORT),
    "INT083": Recorded({"category": "Client Meals"}, VENDOR_BILL, lines=(1,)),
    "INT225": Recorded({"tax_rate": "AU-GST-10"}, VENDOR_BILL),
    "INT503": Recorded({}, EXPENSE_REPORT),
    "INT592": Recorded({"smart_rule": "ENTITY_ONLY_CC"}, CARD_CHARGE),
    "INT680": Recorded({"expense": "Yellow Cab, 10/13/2026"}, VENDOR_BILL, lines=(2,)),
    "INT245": Recorded({}, sync_object="GLACCOUNT"),
    "INT068": Recorded({}, sync_object="GLACCOUNT"),
}


def recorded_result(code: str) -> Result:
    response = parse_response((RESPONSES / f"{code}.xml").read_bytes())
    (result,) = response.results
    assert not result.ok
    return result


@pytest.mark.parametrize("code", sorted(RECORDED))
def test_a_recorded_intacct_response_produces_its_int_code(code: str) -> None:
    case = RECORDED[code]
    result = recorded_result(code)
    assert all(error.support_id for error in result.errors), "Support IDs come through for support"

    if case.context is None:
        synced = translate_sync(result, object_name=case.sync_object)
        assert synced.code == code
        check_error(code, synced.message, case.values)
        assert synced.support_ids
        return
    failure = translate(result, case.context)
    assert failure.code == code, failure.message
    check_error(code, failure.message, case.values)
    assert failure.intacct_errors == result.errors
    assert len(failure.support_ids) == len(result.errors)
    expected_lines = case.lines or tuple(line.line for line in case.context.lines)
    assert failure.line_numbers == expected_lines


def test_the_recorded_cases_are_the_codes_recorded_responses_produce() -> None:
    assert set(RECORDED) == {code for code, source in HOW.items() if source is Source.RECORDED}
    assert {path.stem for path in RESPONSES.glob("INT*.xml")} == set(RECORDED)


def test_every_catalog_code_is_produced_by_a_test() -> None:
    catalog = {entry.code for entry in CATALOG if entry.code != UNKNOWN_CODE}
    assert len(catalog) == 34
    assert set(HOW) | set(NOT_PRODUCED) == catalog
    assert not set(HOW) & set(NOT_PRODUCED)
    assert set(FIXES) == catalog
    # Codes no Intacct error produces come from preflight; none of them is claimed from a response.
    assert {code for code, source in HOW.items() if source is Source.PREFLIGHT} | set(NOT_PRODUCED) == \
        set(PREFLIGHT_ONLY)
