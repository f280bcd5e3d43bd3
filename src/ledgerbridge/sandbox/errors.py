"""Intacct-style error values and the exception that carries them to the response."""

from __future__ import annotations

import secrets
from dataclasses import dataclass


def support_id() -> str:
    """A fresh Support ID in Intacct's shape (URL-encoded, with the tilde escaped)."""
    token = secrets.token_urlsafe(12).replace("-", "%7E")
    return f"{token}%7E{secrets.token_hex(4)}"


@dataclass(frozen=True, slots=True)
class IntacctError:
    """One ``<error>`` block: errorno, description, description2, correction."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""

    def with_support_id(self) -> IntacctError:
        if not self.description2 or "[Support ID:" in self.description2:
            return self
        return IntacctError(
            self.errorno,
            self.description,
            f"{self.description2} [Support ID: {support_id()}]",
            self.correction,
        )


class GatewayFailure(Exception):
    """Raised inside a function or the envelope handler; becomes an ``<errormessage>``."""

    def __init__(self, *errors: IntacctError, http_status: int = 200) -> None:
        super().__init__(errors[0].description2 or errors[0].description if errors else "failure")
        self.errors = list(errors)
        self.http_status = http_status


def business(description2: str, correction: str = "", errorno: str = "BL01001973") -> IntacctError:
    """The common business-logic error shape: empty description, text in description2."""
    return IntacctError(errorno=errorno, description2=description2, correction=correction)


def could_not_create(object_label: str) -> IntacctError:
    return business(f"Could not create {object_label} record!")


ROLLED_BACK = IntacctError(
    errorno="XL03000009",
    description2="The entire transaction in this operation has been rolled back due to an error.",
)
