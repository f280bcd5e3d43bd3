"""Names for identifiers: ledgerbridge's own ids and Intacct's keys, kept as plain strings."""

from __future__ import annotations

import os
import time
from typing import Final

WorkspaceId = str
UserId = str
ReportId = str
ExpenseId = str
CategoryId = str
TagId = str
CardId = str
SyncRunId = str
HistoryEventId = str
ApiTokenId = str

AccountNo = str
"""GLACCOUNT.ACCOUNTNO."""
ExpenseTypeName = str
"""EEACCOUNTLABEL.ACCOUNTLABEL."""
CardAccountId = str
"""CREDITCARD.CARDID."""
EmployeeId = str
VendorId = str
EntityId = str
"""LOCATIONENTITY.LOCATIONID; the empty string is the top level."""
DimensionValueId = str
"""A dimension value's ID field (DEPARTMENTID, LOCATIONID, ... or a user-defined dimension's ID)."""
Dimension = str
"""DEPARTMENT, LOCATION, CLASS, PROJECT, CUSTOMER, or a user-defined dimension's integration name."""

TOP_LEVEL: Final[EntityId] = ""

DEPARTMENT: Final = "DEPARTMENT"
LOCATION: Final = "LOCATION"
CLASS: Final = "CLASS"
PROJECT: Final = "PROJECT"
CUSTOMER: Final = "CUSTOMER"
STANDARD_DIMENSIONS: Final = (DEPARTMENT, LOCATION, CLASS, PROJECT, CUSTOMER)
"""The standard dimensions a workspace can import, in Intacct's usual order."""


def new_id() -> str:
    """A fresh entity id: a time-ordered (version 7) UUID as 32 lowercase hex digits.

    The first 48 bits are the Unix time in milliseconds, the rest random: ids made one after another sort
    together, so a bulk insert (a sync's categories, an export's history) adds to the end of each primary-key
    index instead of at random places in it.
    """
    milliseconds = time.time_ns() // 1_000_000 % (1 << 48)
    raw = bytearray(milliseconds.to_bytes(6, "big") + os.urandom(10))
    raw[6] = raw[6] & 0x0F | 0x70
    raw[8] = raw[8] & 0x3F | 0x80
    return raw.hex()
