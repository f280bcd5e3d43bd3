"""Money: a Decimal amount in one ISO 4217 currency, exact to the currency's minor units."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

Currency = str
"""An ISO 4217 alphabetic code such as 'USD'."""

_ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND"
_FOUR_DECIMALS = "CLF UYW"
_TWO_DECIMALS = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL "
    "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK "
    "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)

MINOR_UNITS: Final = MappingProxyType(
    {
        **dict.fromkeys(_TWO_DECIMALS.split(), 2),
        **dict.fromkeys(_ZERO_DECIMALS.split(), 0),
        **dict.fromkeys(_THREE_DECIMALS.split(), 3),
        **dict.fromkeys(_FOUR_DECIMALS.split(), 4),
    }
)
"""Digits after the decimal point for each ISO 4217 currency (metals and testing codes left out)."""

_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+")
_MONEY = re.compile(r"(?P<cur>[A-Za-z]{3})\s+(?P<amount>\S+)|(?P<amount2>\S+)\s+(?P<cur2>[A-Za-z]{3})")


class MoneyError(ValueError):
    """An amount or currency that cannot be money."""


class UnknownCurrencyError(MoneyError):
    """A currency code that is not in the ISO 4217 table."""


class InvalidAmountError(MoneyError):
    """Text or a value that is not a finite decimal amount."""


class TooManyDecimalsError(MoneyError):
    """An amount more precise than its currency's minor units."""


class CurrencyMismatchError(MoneyError):
    """Arithmetic or comparison across two currencies."""


def minor_units(currency: Currency) -> int:
    """Digits after the decimal point for a currency; unknown codes are refused."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrencyError(
            f"unknown currency {currency!r}: expected an ISO 4217 code such as 'USD'"
        ) from None


def round_to_currency(amount: Decimal, currency: Currency) -> Decimal:
    """Round half up to the currency's minor units: the only place money is ever rounded."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def _normal_currency(currency: object) -> Currency:
    if not isinstance(currency, str):
        raise UnknownCurrencyError(f"currency must be an ISO 4217 code string, got {type(currency).__name__}")
    code = currency.strip().upper()
    minor_units(code)
    return code


def _exact_amount(amount: object, currency: Currency) -> Decimal:
    if isinstance(amount, bool | float):
        raise InvalidAmountError(
            f"{type(amount).__name__} {amount!r} refused as an amount: pass a Decimal, an int or a string"
        )
    if isinstance(amount, int):
        amount = Decimal(amount)
    if not isinstance(amount, Decimal):
        raise InvalidAmountError(
            f"{type(amount).__name__} refused as an amount: pass a Decimal, an int or a string"
        )
    if not amount.is_finite():
        raise InvalidAmountError(f"{amount} is not an amount: NaN and infinity are refused")
    exact = round_to_currency(amount, currency)
    if exact != amount:
        places = minor_units(currency)
        raise TooManyDecimalsError(
            f"{amount} has more decimal places than {currency} allows ({places}); round it first"
        )
    # -0.00 and 0.00 are the same money; keep one spelling so equality and text agree.
    return exact if exact else abs(exact)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount in one currency, always held at the currency's minor units."""

    amount: Decimal
    currency: Currency

    def __post_init__(self) -> None:
        currency = _normal_currency(self.currency)
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "amount", _exact_amount(self.amount, currency))

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: Currency) -> Money:
        """Money from a Decimal, an int or amount text; floats are refused."""
        if isinstance(amount, str):
            return parse_amount(amount, currency)
        if isinstance(amount, bool):
            raise InvalidAmountError(f"bool {amount!r} refused as an amount")
        return cls(Decimal(amount) if isinstance(amount, int) else amount, currency)

    @classmethod
    def zero(cls, currency: Currency) -> Money:
        """Nothing, in a currency."""
        return cls(Decimal(0), currency)

    @classmethod
    def rounded(cls, amount: Decimal, currency: Currency) -> Money:
        """Money from a computed amount, rounded half up to the currency's minor units."""
        code = _normal_currency(currency)
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise InvalidAmountError(f"{amount!r} is not a finite Decimal amount")
        return cls(round_to_currency(amount, code), code)

    def _same_currency(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {operation} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"cannot {operation} {self} and {other}: currencies differ")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same_currency(other, "add").amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same_currency(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"Money can be multiplied by a Decimal or an int, not {type(factor).__name__}")
        return Money.rounded(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency(other, "compare").amount

    @property
    def is_zero(self) -> bool:
        """Whether the amount is zero."""
        return not self.amount

    @property
    def is_negative(self) -> bool:
        """Whether the amount is below zero."""
        return self.amount < 0

    @property
    def amount_text(self) -> str:
        """The plain amount at the currency's minor units, as Intacct and CSV files expect it."""
        return f"{self.amount:f}"

    def formatted(self) -> str:
        """The amount with thousands separators and its currency, e.g. '1,234.50 USD'."""
        return f"{self.amount:,f} {self.currency}"

    def __str__(self) -> str:
        return f"{self.amount_text} {self.currency}"


def parse_amount(text: str, currency: Currency) -> Money:
    """Money from amount text such as '1,234.50' or '-12'; bad text and excess decimals are refused."""
    if not isinstance(text, str):
        raise InvalidAmountError(f"{type(text).__name__} {text!r} refused: amount text expected")
    code = _normal_currency(currency)
    cleaned = text.strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise InvalidAmountError(
            f"{text!r} is not an amount: expected digits with an optional sign and '.' decimals"
        )
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise InvalidAmountError(f"{text!r} is not an amount") from None
    return Money(value, code)


def parse_money(text: str) -> Money:
    """Money from text carrying its currency, such as '12.50 USD' or 'JPY 1200'."""
    match = _MONEY.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InvalidAmountError(
            f"{text!r} is not money: expected an amount and a currency, e.g. '12.50 USD'"
        )
    currency = match["cur"] or match["cur2"]
    amount = match["amount"] or match["amount2"]
    return parse_amount(amount, currency)


def total(amounts: Iterable[Money], currency: Currency) -> Money:
    """The sum of amounts that are all in the given currency (zero when there are none)."""
    result = Money.zero(currency)
    for money in amounts:
        result = result + money
    return result
