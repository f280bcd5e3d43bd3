"""Creating, updating and deleting master data records (accounts, vendors, employees, dimensions)."""

from __future__ import annotations

from ledgerbridge.sandbox.context import Ctx
from ledgerbridge.sandbox.errors import GatewayFailure, business
from ledgerbridge.sandbox.objectdefs import ObjectDef
from ledgerbridge.sandbox.records import duplicate_error, normalise, require, stamp_new
from ledgerbridge.sandbox.store import Fields, now_stamp
from ledgerbridge.sandbox.xmlsafe import XML_WHITESPACE

DEFAULTS: dict[str, dict[str, str]] = {
    "GLACCOUNT": {
        "ACCOUNTTYPE": "balancesheet", "NORMALBALANCE": "debit", "CLOSINGTYPE": "non-closing account",
        "ALTERNATIVEACCOUNT": "None", "TAXABLE": "false", "SUBLEDGERCONTROLON": "false",
        "ENABLE_GLMATCHING": "false",
        **dict.fromkeys(
            ("REQUIREDEPT", "REQUIRELOC", "REQUIREPROJECT", "REQUIRECUSTOMER", "REQUIREVENDOR",
             "REQUIREEMPLOYEE", "REQUIREITEM", "REQUIRECLASS", "REQUIRETASK", "REQUIRECONTRACT",
             "REQUIREWAREHOUSE"),
            "false",
        ),
    },
    "VENDOR": {"ONHOLD": "false", "OBJECTRESTRICTION": "Unrestricted"},
    "CUSTOMER": {"ONHOLD": "false", "OBJECTRESTRICTION": "Unrestricted"},
    "PROJECT": {"PROJECTSTATUS": "In Progress"},
    "GLJOURNAL": {"BOOKID": "ACCRUAL"},
}
_ENUMS = {
    ("GLACCOUNT", "ACCOUNTTYPE"): {"balancesheet", "incomestatement"},
    ("GLACCOUNT", "NORMALBALANCE"): {"debit", "credit"},
    ("GLACCOUNT", "CLOSINGTYPE"): {"non-closing account", "closing account"},
}


def _check_enums(obj: ObjectDef, fields: Fields) -> None:
    for (name, field), allowed in _ENUMS.items():
        if name == obj.name and field in fields and str(fields[field]) not in allowed:
            raise GatewayFailure(business(
                f"Invalid value '{fields[field]}' for {field}. Use one of: {', '.join(sorted(allowed))}.",
                errorno="BL03000018",
            ))


def _derive(ctx: Ctx, obj: ObjectDef, fields: Fields) -> None:
    """Fill read-only fields that Intacct derives from references, and check the references."""
    if obj.name == "EEACCOUNTLABEL" and fields.get("GLACCOUNTNO"):
        account = ctx.store.record_by_key(ctx.companyid, "GLACCOUNT", str(fields["GLACCOUNTNO"]))
        if account is None:
            raise GatewayFailure(business(f"Account {fields['GLACCOUNTNO']} is not valid"))
        fields["GLACCOUNTTITLE"] = account.get("TITLE", "")
    if obj.name == "PROJECT" and fields.get("CUSTOMERID"):
        customer = ctx.store.record_by_key(ctx.companyid, "CUSTOMER", str(fields["CUSTOMERID"]))
        if customer is None:
            raise GatewayFailure(business(f"Customer '{fields['CUSTOMERID']}' specified is not valid."))
        fields["CUSTOMERNAME"] = customer.get("NAME", "")
        fields["CUSTOMERKEY"] = customer.get("RECORDNO", "")
    if obj.name == "VENDOR" and not fields.get("DISPLAYCONTACT.PRINTAS"):
        fields["DISPLAYCONTACT.PRINTAS"] = fields.get("NAME", "")
    if obj.name == "EMPLOYEE" and "CONTACT.CONTACTNAME" in fields:
        fields["PERSONALINFO.CONTACTNAME"] = fields["CONTACT.CONTACTNAME"]


def create(ctx: Ctx, obj: ObjectDef, fields: Fields, *, entity: str | None = None) -> Fields:
    """Insert one master data record; returns the stored fields (RECORDNO assigned)."""
    require(obj, fields)
    fields = normalise(obj, {**DEFAULTS.get(obj.name, {}), "STATUS": "active", **fields})
    _check_enums(obj, fields)
    keyid = str(fields[obj.id_field]).strip(XML_WHITESPACE) if obj.id_field else None
    if keyid is not None:
        fields[obj.id_field or ""] = keyid
        if ctx.store.record_by_key(ctx.companyid, obj.name, keyid) is not None:
            raise GatewayFailure(duplicate_error(obj, keyid), business(f"Could not create {obj.label} record!"))
    _derive(ctx, obj, fields)
    owner = ctx.entity if entity is None else entity
    recordno = ctx.store.next_number(ctx.companyid, f"RECORDNO:{obj.name}")
    stamp_new(ctx, obj, fields, recordno, owner)
    ctx.store.insert_record(ctx.companyid, obj.name, recordno, keyid, owner, fields)
    return fields


def locate(ctx: Ctx, obj: ObjectDef, fields: Fields) -> Fields | None:
    """The stored record an update names, by RECORDNO or by the object's ID field."""
    recordno = str(fields.get("RECORDNO", "")).strip()
    if recordno:
        return ctx.store.record(ctx.companyid, obj.name, int(recordno)) if recordno.isdigit() else None
    keyid = str(fields.get(obj.id_field, "")).strip(XML_WHITESPACE) if obj.id_field else ""
    if keyid:
        return ctx.store.record_by_key(ctx.companyid, obj.name, keyid)
    return None


def update(ctx: Ctx, obj: ObjectDef, changes: Fields) -> Fields:
    current = locate(ctx, obj, changes)
    if current is None:
        ident = changes.get("RECORDNO") or (changes.get(obj.id_field) if obj.id_field else "") or ""
        field = "RECORDNO" if changes.get("RECORDNO") else (obj.id_field or "RECORDNO")
        raise GatewayFailure(business(
            f"Cannot update non-existing {obj.name} with {field}={ident}.",
            "Check the key of the record to update.",
        ), business(f"Could not update {obj.label} record!"))
    changes = normalise(obj, {k: v for k, v in changes.items() if k not in {"RECORDNO", "MEGAENTITYID"}})
    merged = {**current, **changes}
    _check_enums(obj, merged)
    keyid = str(merged[obj.id_field]) if obj.id_field else None
    renamed = keyid is not None and keyid != current.get(obj.id_field or "")
    if renamed and ctx.store.record_by_key(ctx.companyid, obj.name, str(keyid)) is not None:
        raise GatewayFailure(duplicate_error(obj, str(keyid)))
    _derive(ctx, obj, merged)
    merged["WHENMODIFIED"] = now_stamp()
    merged["MODIFIEDBY"] = ctx.user.userid
    ctx.store.replace_record(ctx.companyid, obj.name, int(merged["RECORDNO"]), keyid,
                             str(merged.get("MEGAENTITYID") or ""), merged)
    return merged
