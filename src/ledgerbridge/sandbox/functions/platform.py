"""Session and platform functions: getAPISession and getDimensionRestrictedData."""

from __future__ import annotations

from lxml import etree

from ledgerbridge.sandbox.context import Ctx, Output
from ledgerbridge.sandbox.errors import GatewayFailure, IntacctError, business

_DIMENSION_OBJECTS = {"LOCATION": "LOCATION", "DEPARTMENT": "DEPARTMENT", "GLACCOUNT": "GLACCOUNT"}


def get_api_session(ctx: Ctx, el: etree._Element) -> Output:
    """Open a session; an empty <locationid/> from an entity session asks for the top level."""
    requested = el.find("locationid")
    entity = ctx.entity if requested is None else (requested.text or "").strip()
    if entity and ctx.store.record_by_key(ctx.companyid, "LOCATIONENTITY", entity) is None:
        raise GatewayFailure(IntacctError(
            "Get API Session Failed", description2=f"Invalid entity '{entity}' for company {ctx.companyid}.",
        ))
    data = etree.Element("data")
    api = etree.SubElement(data, "api")
    etree.SubElement(api, "sessionid").text = ctx.open_session(entity)
    etree.SubElement(api, "endpoint").text = ctx.endpoint
    etree.SubElement(api, "locationid").text = entity
    return Output(data=data)


def get_dimension_restricted_data(ctx: Ctx, el: etree._Element) -> Output:
    """Values related to a dimension value: a GL account's locations and departments, or the reverse."""
    data = etree.Element("data", listtype="RestrictedData")
    count = 0
    for pair in el.iterfind("DimensionValue"):
        dimension = pair.findtext("dimension", "").strip().upper()
        value = pair.findtext("value", "").strip()
        if dimension not in _DIMENSION_OBJECTS:
            raise GatewayFailure(business(f"Dimension '{dimension}' has no relationships.", errorno="BL03000018"))
        if ctx.store.record_by_key(ctx.companyid, _DIMENSION_OBJECTS[dimension], value) is None:
            raise GatewayFailure(business(f"Invalid {dimension.title()} '{value}' specified."))
        related = _related(ctx, dimension, value)
        for target, values in sorted(related.items()):
            block = etree.SubElement(data, "RestrictedData")
            etree.SubElement(block, "dimension").text = target
            for item in sorted(values):
                etree.SubElement(block, "value").text = item
            count += 1
    data.set("count", str(count))
    return Output(data=data)


def _related(ctx: Ctx, dimension: str, value: str) -> dict[str, set[str]]:
    if dimension == "GLACCOUNT":
        return ctx.store.related_values(ctx.companyid, value)
    rows = ctx.store.execute(
        "SELECT accountno FROM dimension_relationship WHERE companyid = ? AND dimension = ? AND value = ?",
        (ctx.companyid, dimension, value),
    ).fetchall()
    return {"GLACCOUNT": {row[0] for row in rows}} if rows else {}
