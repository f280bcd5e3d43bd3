"""The console's audit trail: every change, who made it, and the values before and after."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ledgerbridge.sandbox.store import Store, now_stamp


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at: str
    userid: str
    object: str
    keyid: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


def difference(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, each side with its own value ('' when absent)."""
    names = [n for n in dict.fromkeys([*before, *after]) if before.get(n, "") != after.get(n, "")]
    return {n: before.get(n, "") for n in names}, {n: after.get(n, "") for n in names}


def record_event(store: Store, companyid: str, userid: str, obj: str, keyid: str, action: str,
                 before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    store.execute(
        "INSERT INTO audit_event (companyid, at, userid, object, keyid, action, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (companyid, now_stamp(), userid, obj, keyid, action,
         json.dumps({"before": dict(before), "after": dict(after)}, ensure_ascii=False, default=sorted)),
    )


def events(store: Store, companyid: str, search: str = "", limit: int = 500) -> list[AuditEvent]:
    """The newest events first; the search matches user, object, key or action."""
    like = f"%{search}%"
    rows = store.execute(
        "SELECT id, at, userid, object, keyid, action, detail FROM audit_event WHERE companyid = ? "
        "AND (? = '' OR userid LIKE ? OR object LIKE ? OR keyid LIKE ? OR action LIKE ?) ORDER BY id DESC LIMIT ?",
        (companyid, search, like, like, like, like, limit),
    ).fetchall()
    found = []
    for row in rows:
        detail = json.loads(row["detail"])
        found.append(AuditEvent(row["id"], row["at"], row["userid"], row["object"], row["keyid"], row["action"],
                                dict(detail.get("before", {})), dict(detail.get("after", {}))))
    return found
