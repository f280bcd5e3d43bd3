"""Reading and changing the sandbox's master data records from the console, with the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from ledgerbridge.sandbox.console.audit import difference, record_event
from ledgerbridge.sandbox.console.web import Visit
from ledgerbridge.sandbox.store import Fields, now_stamp

STATUSES = ("active", "inactive")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def matches(search: str, *values: object) -> bool:
    needle = search.casefold()
    return not needle or any(needle in str(v).casefold() for v in values)


def entities(visit: Visit) -> list[Fields]:
    return visit.store.records(visit.companyid, "LOCATIONENTITY")


def entity_name(visit: Visit, entity: str) -> str:
    if not entity:
        return ""
    record = visit.store.record_by_key(visit.companyid, "LOCATIONENTITY", entity)
    return str(record.get("NAME", "")) if record else ""


def save_record(visit: Visit, obj: str, current: Fields, changes: Mapping[str, str]) -> bool:
    """Write the changed fields of one record and audit them; False when nothing changed."""
    before, after = difference(current, {**current, **changes})
    if not after:
        return False
    merged: Fields = {**current, **changes, "WHENMODIFIED": now_stamp(), "MODIFIEDBY": visit.userid}
    keyid = _key_of(visit, obj, current)
    with visit.store.transaction():
        visit.store.replace_record(visit.companyid, obj, int(current["RECORDNO"]), keyid,
                                   str(merged.get("MEGAENTITYID") or ""), merged)
        record_event(visit.store, visit.companyid, visit.userid, obj, keyid, "update", before, after)
    return True


def _key_of(visit: Visit, obj: str, fields: Fields) -> str:
    row = visit.store.execute(
        "SELECT keyid FROM record WHERE companyid = ? AND object = ? AND recordno = ?",
        (visit.companyid, obj, int(fields["RECORDNO"])),
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else str(fields["RECORDNO"])


def choice(value: str, allowed: Iterable[str], what: str, problems: list[str]) -> str:
    """The value when it is one of the allowed ones; otherwise a problem is noted."""
    options = list(allowed)
    if value not in options:
        problems.append(f"{what} must be one of: {', '.join(o or '(none)' for o in options)}.")
    return value


def flag(visit: Visit, name: str) -> str:
    """A checkbox as Intacct prints booleans."""
    return "true" if visit.arg(name) in {"true", "on", "1"} else "false"


def intacct_date(iso: str, what: str, problems: list[str]) -> str:
    """A yyyy-mm-dd form date as Intacct prints dates (mm/dd/yyyy); '' stays ''."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso).strftime("%m/%d/%Y")
    except ValueError:
        problems.append(f"{what} is not a valid date.")
        return ""


def iso_date(intacct: str) -> str:
    """An Intacct mm/dd/yyyy date for an <input type=date>; '' when it is not one."""
    try:
        return datetime.strptime(intacct, "%m/%d/%Y").date().isoformat()
    except ValueError:
        return ""
