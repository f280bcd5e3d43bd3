"""Money: exact amounts, one currency at a time, rounded in one place."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerbridge.domain.money import (
    MINOR_UNITS,
    CurrencyMismatchError,
    InvalidAmountError,
    Money,
    TooManyDecimalsError,
    UnknownCurrencyError,
    minor_units,
    parse_amount,
    parse_money,
    round_to_currency,
    total,
)

CURRENCIES = sorted(MINOR_UNITS)


@st.composite
def money(draw: st.DrawFn, currency: str | None = None) -> Money:
    code = currency or draw(st.sampled_from(CURRENCIES))
    minor = draw(st.integers(min_value=-(10**15), max_value=10**15))
    return Money(Decimal(minor).scaleb(-minor_units(code)), code)


@pytest.mark.parametrize(
    ("currency", "places"),
    [("USD", 2), ("EUR", 2), ("GBP", 2), ("CAD", 2), ("AUD", 2), ("CHF", 2), ("CNY", 2), ("INR", 2),
     ("JPY", 0), ("KRW", 0), ("ISK", 0), ("KWD", 3), ("BHD", 3), ("OMR", 3), ("CLF", 4)],
)
def test_minor_units_follow_iso_4217(currency: str, places: int) -> None:
    assert minor_units(currency) == places


def test_amounts_are_held_at_the_currency_minor_units() -> None:
    assert Money.of("12.5", "USD").amount_text == "12.50"
    assert Money.of(1200, "JPY").amount_text == "1200"
    assert Money.of("1.2", "KWD").amount_text == "1.200"
    assert str(Money.of("-3", "EUR")) == "-3.00 EUR"


def test_currency_code_is_normalised_and_unknown_codes_refused() -> None:
    assert Money.of("1", " usd ").currency == "USD"
    with pytest.raises(UnknownCurrencyError, match="'XYZ'"):
        Money.of("1", "XYZ")


@pytest.mark.parametrize("value", [1.5, 0.1, float("nan"), True])
def test_floats_and_bools_are_refused(value: object) -> None:
    with pytest.raises(InvalidAmountError, match="refused"):
        Money(value, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Decimal(text) for text in ("NaN", "Infinity", "-Infinity", "sNaN")])
def test_nan_and_infinity_are_refused(value: Decimal) -> None:
    with pytest.raises(InvalidAmountError, match="NaN and infinity"):
        Money(value, "USD")


def test_too_many_decimals_are_reported_not_rounded() -> None:
    with pytest.raises(TooManyDecimalsError, match=r"12\.345 has more decimal places than USD allows \(2\)"):
        parse_amount("12.345", "USD")
    with pytest.raises(TooManyDecimalsError, match="JPY allows"):
        Money.of("100.5", "JPY")
    assert parse_amount("12.340", "USD") == Money.of("12.34", "USD")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234.56", "1234.56"), ("  -7 ", "-7.00"), ("+0.5", "0.50"), (".25", "0.25"), ("3.", "3.00"),
     ("1,000,000", "1000000.00")],
)
def test_parse_amount_accepts_plain_and_grouped_text(text: str, expected: str) -> None:
    assert parse_amount(text, "USD").amount_text == expected


@pytest.mark.parametrize("text", ["", "abc", "NaN", "inf", "1e3", "1,23", "12,34.5", "1.2.3", "$5", "--1"])
def test_parse_amount_refuses_text_that_is_not_an_amount(text: str) -> None:
    with pytest.raises(InvalidAmountError, match="is not an amount"):
        parse_amount(text, "USD")


def test_parse_money_reads_the_currency_on_either_side() -> None:
    assert parse_money("12.50 USD") == Money.of("12.5", "USD")
    assert parse_money("JPY 1200") == Money.of(1200, "JPY")
    with pytest.raises(InvalidAmountError, match="is not money"):
        parse_money("12.50")


def test_rounding_is_half_up_to_minor_units() -> None:
    assert round_to_currency(Decimal("2.345"), "USD") == Decimal("2.35")
    assert round_to_currency(Decimal("-2.345"), "USD") == Decimal("-2.35")
    assert round_to_currency(Decimal("2.5"), "JPY") == Decimal("3")
    assert round_to_currency(Decimal("1.2345"), "KWD") == Decimal("1.235")
    assert Money.rounded(Decimal("10") / 3, "USD") == Money.of("3.33", "USD")


def test_multiplying_rounds_through_the_one_rounding_rule() -> None:
    assert Money.of("10.00", "USD") * Decimal("0.0725") == Money.of("0.73", "USD")
    assert 3 * Money.of("0.333", "KWD") == Money.of("0.999", "KWD")
    with pytest.raises(TypeError):
        Money.of("1", "USD") * 1.5  # type: ignore[operator]


def test_mixing_currencies_raises() -> None:
    usd, eur = Money.of("1", "USD"), Money.of("1", "EUR")
    with pytest.raises(CurrencyMismatchError, match="currencies differ"):
        usd + eur
    with pytest.raises(CurrencyMismatchError):
        usd - eur
    with pytest.raises(CurrencyMismatchError):
        _ = usd < eur
    with pytest.raises(CurrencyMismatchError):
        total([usd, eur], "USD")
    assert usd != eur


def test_formatting_groups_thousands() -> None:
    assert Money.of("1234567.8", "USD").formatted() == "1,234,567.80 USD"
    assert Money.of("-1500", "JPY").formatted() == "-1,500 JPY"


def test_negative_zero_is_plain_zero() -> None:
    zero = Money(Decimal("-0.00"), "USD")
    assert zero == Money.zero("USD")
    assert str(zero) == "0.00 USD"
    assert zero.is_zero
    assert not zero.is_negative


def test_total_of_nothing_is_zero() -> None:
    assert total([], "EUR") == Money.zero("EUR")


@given(money())
def test_text_round_trips(value: Money) -> None:
    assert parse_money(str(value)) == value
    assert parse_amount(value.formatted().split(" ")[0], value.currency) == value


@given(st.sampled_from(CURRENCIES).flatmap(lambda c: st.tuples(money(c), money(c), money(c))))
def test_addition_is_exact_associative_and_commutative(trio: tuple[Money, Money, Money]) -> None:
    a, b, c = trio
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert (a + b) - b == a
    assert a + (-a) == Money.zero(a.currency)


@given(money(), st.decimals(min_value=-1000, max_value=1000, places=6))
def test_rounding_never_moves_more_than_half_a_minor_unit(value: Money, factor: Decimal) -> None:
    product = value * factor
    exact = value.amount * factor
    half_unit = Decimal(1).scaleb(-minor_units(value.currency)) / 2
    assert abs(product.amount - exact) <= half_unit
    assert product.currency == value.currency


@given(money(), money())
def test_comparisons_agree_with_amounts_within_a_currency(a: Money, b: Money) -> None:
    if a.currency == b.currency:
        assert (a < b) == (a.amount < b.amount)
        assert (a >= b) == (a.amount >= b.amount)
    else:
        with pytest.raises(CurrencyMismatchError):
            _ = a <= b
