"""Every gateway function the sandbox executes, by the name it has in a request."""

from __future__ import annotations

from ledgerbridge.sandbox.context import Handler
from ledgerbridge.sandbox.functions import documents, generic, platform, reads

FUNCTIONS: dict[str, Handler] = {
    "create": generic.create,
    "update": generic.update,
    "delete": generic.delete,
    "read": generic.read,
    "readByName": generic.read_by_name,
    "readByQuery": reads.read_by_query,
    "readMore": reads.read_more,
    "query": reads.query,
    "lookup": reads.lookup,
    "inspect": reads.inspect,
    "getAPISession": platform.get_api_session,
    "getDimensionRestrictedData": platform.get_dimension_restricted_data,
    **documents.LEGACY,
}

# Which functions change data: they need write permission and are never replayed on a retry.
WRITES = frozenset({"create", "update", "delete", *documents.LEGACY})
