"""Value formats as Intacct prints and accepts them: dates, booleans, amounts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from ledgerbridge.sandbox.errors import GatewayFailure, business

MINOR_UNITS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "VND": 0, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3}


def minor_units(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def parse_amount(text: str, what: str, currency: str) -> Decimal:
    """A money amount; more decimals than the currency allows is refused, never rounded."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise GatewayFailure(business(f"Invalid amount '{text}' for {what}. Enter a number.")) from None
    if not value.is_finite():
        raise GatewayFailure(business(f"Invalid amount '{text}' for {what}. Enter a number."))
    exponent = value.as_tuple().exponent
    places = minor_units(currency)
    if isinstance(exponent, int) and -exponent > places and value != value.quantize(Decimal(1).scaleb(-places)):
        raise GatewayFailure(business(
            f"The amount {text} for {what} has more decimal places than {currency} allows ({places}).",
            "Round the amount to the currency's precision.",
        ))
    return value.quantize(Decimal(1).scaleb(-places))


_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(4)}


def format_amount(value: Decimal, currency: str) -> str:
    places = minor_units(currency)
    return str(value.quantize(_EXPONENTS.get(places) or Decimal(1).scaleb(-places)))


def format_date(value: date) -> str:
    # What strftime("%m/%d/%Y") prints, year unpadded as glibc prints it, without its per-call cost.
    return f"{value.month:02d}/{value.day:02d}/{value.year}"


def parse_us_date(text: str, what: str) -> date:
    """mm/dd/yyyy, as generic functions take dates."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        raise GatewayFailure(business(
            f"Invalid date '{text}' for {what}. Dates are written mm/dd/yyyy.", errorno="BL03000018",
        )) from None


def parse_legacy_date(element: etree._Element | None, what: str) -> date:
    """The legacy <year><month><day> date block."""
    if element is None:
        raise GatewayFailure(business(f"Required field {what} is missing.", errorno="PL01000127"))
    parts = [element.findtext(tag, "").strip() for tag in ("year", "month", "day")]
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise GatewayFailure(business(
            f"Invalid date {'/'.join(parts)} for {what}.", errorno="BL03000018",
        )) from None


def is_true(value: object) -> bool:
    return str(value).strip().lower() in {"true", "t", "1", "yes"}


def boolean(value: object) -> str:
    return "true" if is_true(value) else "false"


def status_word(value: object) -> str:
    """Intacct accepts active/inactive or T/F on write and prints active/inactive."""
    text = str(value).strip().lower()
    return "inactive" if text in {"inactive", "f", "false"} else "active"
