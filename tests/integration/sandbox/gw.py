"""Building gateway requests and reading responses in tests, with lxml as any client would."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import httpx
from lxml import etree

SENDER = ("ledgerbridge", "sandbox")
ADMIN = ("xml_gateway", "sandbox")
CLERK = ("clerk", "sandbox")


def el(tag: str, *children: etree._Element | str | None, **attrs: str) -> etree._Element:
    element = etree.Element(tag, **attrs)
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            element.text = child
        else:
            element.append(child)
    return element


def fields(tag: str, values: dict[str, object]) -> etree._Element:
    """An object element from a dict; nested dicts become nested elements, lists repeat."""
    element = etree.Element(tag)
    for name, value in values.items():
        if isinstance(value, dict):
            element.append(fields(name, value))
        elif isinstance(value, list):
            block = etree.SubElement(element, name)
            for item in value:
                tag_name, item_values = item
                block.append(fields(tag_name, item_values))
        else:
            etree.SubElement(element, name).text = str(value)
    return element


def date_block(tag: str, year: int, month: int, day: int) -> etree._Element:
    return el(tag, el("year", str(year)), el("month", f"{month:02d}"), el("day", f"{day:02d}"))


@dataclass
class Request:
    functions: Sequence[etree._Element]
    sender: tuple[str, str] = SENDER
    login: tuple[str, str] | None = ADMIN
    company: str = "DEMO"
    entity: str | None = None
    sessionid: str | None = None
    uniqueid: bool = False
    transaction: bool = False
    include_whitespace: bool = False
    controlids: Sequence[str] = field(default_factory=list)

    def build(self) -> bytes:
        control = el(
            "control", el("senderid", self.sender[0]), el("password", self.sender[1]), el("controlid", "req-1"),
            el("uniqueid", "true" if self.uniqueid else "false"), el("dtdversion", "3.0"),
            el("includewhitespace", "true" if self.include_whitespace else "false"),
        )
        if self.sessionid is not None:
            auth = el("authentication", el("sessionid", self.sessionid))
        else:
            assert self.login is not None
            login = el("login", el("userid", self.login[0]), el("companyid", self.company),
                       el("password", self.login[1]))
            if self.entity is not None:
                login.append(el("locationid", self.entity))
            auth = el("authentication", login)
        content = el("content")
        for index, function in enumerate(self.functions):
            controlid = self.controlids[index] if index < len(self.controlids) else f"f-{index + 1}"
            content.append(el("function", function, controlid=controlid))
        operation = el("operation", auth, content)
        if self.transaction:
            operation.set("transaction", "true")
        return etree.tostring(el("request", control, operation), xml_declaration=True, encoding="UTF-8")


@dataclass
class Response:
    http_status: int
    root: etree._Element

    @property
    def control_status(self) -> str:
        return self.root.findtext("control/status", "")

    @property
    def auth_status(self) -> str:
        return self.root.findtext("operation/authentication/status", "")

    @property
    def results(self) -> list[etree._Element]:
        return self.root.findall("operation/result")

    def result(self, index: int = 0) -> etree._Element:
        return self.results[index]

    def errors(self, where: etree._Element | None = None) -> list[dict[str, str]]:
        scope = self.root if where is None else where
        return [
            {tag: e.findtext(tag, "") for tag in ("errorno", "description", "description2", "correction")}
            for e in scope.iterfind(".//errormessage/error")
        ]


def post(gateway_url: str, body: bytes | Request, client: httpx.Client | None = None) -> Response:
    payload = body.build() if isinstance(body, Request) else body
    sender = client or httpx
    reply = sender.post(gateway_url, content=payload, headers={"Content-Type": "application/xml"}, timeout=60)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return Response(reply.status_code, etree.fromstring(reply.content, parser))


def call(gateway_url: str, *functions: etree._Element, **options: object) -> Response:
    return post(gateway_url, Request(list(functions), **options))  # type: ignore[arg-type]


def query(obj: str, select: Iterable[str], *extra: etree._Element) -> etree._Element:
    return el("query", el("object", obj), el("select", *(el("field", f) for f in select)), *extra)


def read_by_query(obj: str, where: str = "", fields_: str = "*", pagesize: int = 100) -> etree._Element:
    return el("readByQuery", el("object", obj), el("fields", fields_), el("query", where),
              el("pagesize", str(pagesize)))


def cc_transaction(card: str, lines: list[dict[str, str]], *, reference: str = "", when: tuple[int, int, int] = (2026, 11, 2),
                   description: str = "Card charges") -> etree._Element:
    items = el("ccpayitems")
    for line in lines:
        item = el("ccpayitem")
        for tag in ("glaccountno", "accountlabel", "description", "paymentamount", "departmentid", "locationid",
                    "customerid", "vendorid", "employeeid", "projectid", "classid"):
            if tag in line:
                item.append(el(tag, line[tag]))
        items.append(item)
    parts = [el("chargecardid", card), date_block("paymentdate", *when)]
    if reference:
        parts.append(el("referenceno", reference))
    parts += [el("payee", "Merchant"), el("description", description), items]
    return el("record_cctransaction", *parts)
