"""Shared request types and the JSON shape of domain values (money as strings, times in ISO 8601)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictStr, StringConstraints

from ledgerbridge.domain import Money
from ledgerbridge.domain.money import parse_amount


def _storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL; refusing it everywhere keeps both databases alike.
    if "\x00" in text:
        raise ValueError("text may not contain the NUL character")
    return text


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("may not be blank")
    return text


_Stored = AfterValidator(_storable)
_NotBlank = AfterValidator(_not_blank)

Name = Annotated[StrictStr, StringConstraints(min_length=1, max_length=200), _Stored, _NotBlank]
"""Non-blank text up to 200 characters, kept exactly as sent (names and labels)."""
Title = Annotated[StrictStr, StringConstraints(min_length=1, max_length=300), _Stored, _NotBlank]
Code = Annotated[StrictStr, StringConstraints(min_length=1, max_length=100), _Stored, _NotBlank]
"""An Intacct ID such as a dimension value, vendor or card account."""
AccountNo = Annotated[StrictStr, StringConstraints(min_length=1, max_length=64), _Stored, _NotBlank]
Email = Annotated[StrictStr, StringConstraints(min_length=3, max_length=320), _Stored, _NotBlank]
LongText = Annotated[StrictStr, StringConstraints(max_length=10_000), _Stored]
Secret = Annotated[StrictStr, StringConstraints(min_length=1, max_length=1_000), _Stored]


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class MoneyIn(Body):
    """Money as the API takes it: the amount as a string (never a JSON number) and an ISO 4217 currency."""

    amount: Annotated[StrictStr, StringConstraints(max_length=40)]
    currency: Annotated[StrictStr, StringConstraints(max_length=8)]

    def to_money(self) -> Money:
        return parse_amount(self.amount, self.currency)


def money_out(money: Money) -> dict[str, str]:
    return {"amount": money.amount_text, "currency": money.currency}


def when(at: datetime | date | None) -> str | None:
    return None if at is None else at.isoformat()
