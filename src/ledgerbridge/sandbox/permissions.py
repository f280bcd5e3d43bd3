"""Who may do what: admins everything; other users per module ("gl.read", "cm.write", ...)."""

from __future__ import annotations

from ledgerbridge.sandbox.errors import IntacctError
from ledgerbridge.sandbox.objectdefs import OBJECTS
from ledgerbridge.sandbox.store import User

OPERATION_NAMES = {
    "create": "CREATE", "update": "UPDATE", "delete": "DELETE", "read": "READ", "readByName": "READ_BY_NAME",
    "readByQuery": "READ_BY_QUERY", "readMore": "READ_MORE", "query": "QUERY", "lookup": "LOOKUP",
    "inspect": "INSPECT", "getDimensionRestrictedData": "READ",
    "record_cctransaction": "CREATE", "create_expensereport": "CREATE", "create_bill": "CREATE",
    "reverse_cctransaction": "REVERSE", "reverse_expensereport": "REVERSE",
}
LEGACY_OBJECTS = {
    "record_cctransaction": "CCTRANSACTION", "reverse_cctransaction": "CCTRANSACTION",
    "create_expensereport": "EEXPENSES", "reverse_expensereport": "EEXPENSES", "create_bill": "APBILL",
}


def allowed(user: User, module: str, write: bool) -> bool:
    if user.admin or "*" in user.permissions:
        return True
    needed = f"{module}.{'write' if write else 'read'}"
    return needed in user.permissions or (not write and f"{module}.write" in user.permissions)


def denial(function: str, object_name: str) -> IntacctError:
    operation = OPERATION_NAMES.get(function, function.upper())
    return IntacctError(
        errorno="PL04000005",
        description2=f"You do not have permission for API operation {operation} on objects of type "
                     f"{object_name.lower()}",
        correction="Ask your company administrator for the permission.",
    )


def check(user: User, function: str, object_names: list[str], write: bool) -> IntacctError | None:
    """The permission error for this call, or None when the user may make it.

    Master data (accounts, vendors, employees, dimensions) is changed by administrators only;
    documents need the module's write permission.
    """
    for name in object_names:
        obj = OBJECTS.get(name.upper())
        if obj is None:
            continue
        master_data_edit = write and obj.documents_lines is None and function in {"create", "update", "delete"}
        if (master_data_edit and not (user.admin or "*" in user.permissions)) or not allowed(
                user, obj.module, write):
            return denial(function, obj.name).with_support_id()
    return None
