"""Building gateway requests and reading responses in tests, with lxml as any client would."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

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


def cc_transaction(card: str, lines: list[dict[str, str]], *, reference: str = "",
                   when: tuple[int, int, int] = (2026, 11, 2), description: str = "Card charges") -> etree._Element:
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


# --- reading results -------------------------------------------------------------------------

XML_WHITESPACE = " \t\r\n"
# Markup characters, a CDATA terminator, an emoji, right-to-left text and combining marks.
HOSTILE = (
    "<tag> & \"quoted\" 'single' ]]> \U0001f9fe\u200d\U0001f4b8 "
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 e\u0301\u0323 Z\u0351\u0358 \u00a0"
)


def unique(prefix: str) -> str:
    """An ID no other test (or earlier run against the same server) has used."""
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def record_fields(element: etree._Element) -> dict[str, str]:
    """A record element's leaf fields by name."""
    return {str(child.tag): child.text or "" for child in element if isinstance(child.tag, str) and not len(child)}


def succeeded(response: Response, count: int | None = None) -> list[etree._Element]:
    """The results of a request that passed control and authentication and whose functions all succeeded."""
    assert response.control_status == "success", response.errors()
    assert response.auth_status == "success", response.errors()
    results = response.results
    for result in results:
        assert result.findtext("status") == "success", response.errors(result)
    if count is not None:
        assert len(results) == count
    return results


def data_of(response: Response, index: int = 0) -> etree._Element:
    data = succeeded(response)[index].find("data")
    assert data is not None
    return data


def rows(response: Response, index: int = 0) -> list[dict[str, str]]:
    return [record_fields(child) for child in data_of(response, index)]


def key_of(response: Response, index: int = 0) -> int:
    return int(succeeded(response)[index].findtext("key", ""))


def failed(response: Response, index: int = 0) -> list[dict[str, str]]:
    """The errors of a function that failed, after control and authentication succeeded."""
    assert response.control_status == "success", response.errors()
    assert response.auth_status == "success", response.errors()
    result = response.result(index)
    assert result.findtext("status") == "failure", etree.tostring(result).decode()
    return response.errors(result)


# --- functions ---------------------------------------------------------------------------------

def filter_equal(field_: str, value: str) -> etree._Element:
    return el("filter", el("equalto", el("field", field_), el("value", value)))


def query_where(obj: str, select: Iterable[str], field_: str, value: str, **options: str) -> etree._Element:
    extra = [filter_equal(field_, value)]
    extra += [el(name, text) for name, text in options.items()]
    return query(obj, select, *extra)


def read_by_name(obj: str, *keys: str, fields_: str = "*") -> etree._Element:
    return el("readByName", el("object", obj), el("keys", ",".join(keys)), el("fields", fields_))


def read_keys(obj: str, *recordnos: int | str, fields_: str = "*") -> etree._Element:
    return el("read", el("object", obj), el("keys", ",".join(str(r) for r in recordnos)), el("fields", fields_))


def create(obj: str, values: dict[str, object]) -> etree._Element:
    return el("create", fields(obj, values))


def update(obj: str, values: dict[str, object]) -> etree._Element:
    return el("update", fields(obj, values))


def delete(obj: str, *recordnos: int | str) -> etree._Element:
    return el("delete", el("object", obj), el("keys", ",".join(str(r) for r in recordnos)))


# Documents posted in an entity are private to it; a top-level query shows them only when asked.
def show_private() -> etree._Element:
    return el("options", el("showprivate", "true"))


GLENTRY_FIELDS = ("RECORDNO", "DOCTYPE", "DOCRECORDNO", "LINE_NO", "ACCOUNTNO", "TR_TYPE", "AMOUNT", "CURRENCY",
                  "DESCRIPTION", "LOCATION", "DEPARTMENT", "PROJECTID", "CUSTOMERID", "EMPLOYEEID", "VENDORID",
                  "CLASSID", "MEGAENTITYID", "ENTRY_DATE")


def gl_entries(gateway_url: str, doctype: str, recordno: int) -> list[dict[str, str]]:
    """The GL entries a document posted, read back through the gateway."""
    condition = el("filter", el("and",
                                el("equalto", el("field", "DOCTYPE"), el("value", doctype)),
                                el("equalto", el("field", "DOCRECORDNO"), el("value", str(recordno)))))
    return rows(call(gateway_url, query("GLENTRY", GLENTRY_FIELDS, condition, show_private(), el("pagesize", "2000"))))


def gl_entries_described(gateway_url: str, description: str) -> list[dict[str, str]]:
    condition = filter_equal("DESCRIPTION", description)
    return rows(call(gateway_url, query("GLENTRY", GLENTRY_FIELDS, condition, show_private())))


def debits_and_credits(entries: list[dict[str, str]]) -> tuple[Decimal, Decimal]:
    debits = sum((Decimal(e["AMOUNT"]) for e in entries if e["TR_TYPE"] == "1"), Decimal(0))
    credits = sum((Decimal(e["AMOUNT"]) for e in entries if e["TR_TYPE"] == "-1"), Decimal(0))
    return debits, credits


def by_account(entries: list[dict[str, str]]) -> dict[str, Decimal]:
    """Net signed amount per account (debits positive)."""
    net: dict[str, Decimal] = {}
    for entry in entries:
        net[entry["ACCOUNTNO"]] = net.get(entry["ACCOUNTNO"], Decimal(0)) + Decimal(entry["AMOUNT"]) * int(
            entry["TR_TYPE"])
    return net


def expense_report(employee: str, lines: list[dict[str, str]], *, number: str = "", description: str = "Trip",
                   memo: str = "", when: tuple[int, int, int] = (2026, 11, 2), state: str = "") -> etree._Element:
    expenses = el("expenses")
    for line in lines:
        item = el("expense")
        for tag in ("expensetype", "glaccountno", "amount", "memo", "locationid", "departmentid", "projectid",
                    "customerid", "classid"):
            if tag in line:
                item.append(el(tag, line[tag]))
        expenses.append(item)
    parts = [el("employeeid", employee), date_block("datecreated", *when)]
    if number:
        parts.append(el("expensereportno", number))
    if state:
        parts.append(el("state", state))
    parts.append(el("description", description))
    if memo:
        parts.append(el("memo", memo))
    parts.append(expenses)
    return el("create_expensereport", *parts)


def bill(vendor: str, lines: list[dict[str, str]], *, number: str = "", description: str = "Services",
         when: tuple[int, int, int] = (2026, 11, 2)) -> etree._Element:
    items = el("billitems")
    for line in lines:
        item = el("lineitem")
        for tag in ("glaccountno", "amount", "memo", "locationid", "departmentid", "projectid", "customerid",
                    "classid"):
            if tag in line:
                item.append(el(tag, line[tag]))
        items.append(item)
    parts = [el("vendorid", vendor), date_block("datecreated", *when), date_block("datedue", *when)]
    if number:
        parts.append(el("billno", number))
    parts += [el("description", description), items]
    return el("create_bill", *parts)


def reverse(function: str, key: int, memo: str = "", when: tuple[int, int, int] = (2026, 11, 20)) -> etree._Element:
    """A reversal; the schema calls its text memo for card transactions and description for expense reports."""
    parts = [date_block("datereversed", *when)]
    if memo:
        parts.append(el("memo" if function == "reverse_cctransaction" else "description", memo))
    return el(function, *parts, key=str(key))


# --- one document, every way it can be sent -------------------------------------------------------

# The document kinds a posting rule applies to: the three legacy functions and the two generic creates.
KINDS = ("cctransaction", "expensereport", "bill", "apbill", "glbatch")
DOCTYPE = {"cctransaction": "CCTRANSACTION", "expensereport": "EEXPENSES", "bill": "APBILL", "apbill": "APBILL",
           "glbatch": "GLBATCH"}
# Where each document keeps the reference a client gives it (what an exporter looks a document up by).
REFERENCE_FIELD = {"CCTRANSACTION": "RECORDID", "EEXPENSES": "RECORDID", "APBILL": "RECORDID",
                   "GLBATCH": "BATCH_TITLE"}
_LEGACY_TAGS = {"account": "glaccountno", "location": "locationid", "department": "departmentid",
                "project": "projectid", "customer": "customerid", "vendor": "vendorid", "employee": "employeeid",
                "class": "classid"}
_LEGACY_LINE_ORDER = {
    "cctransaction": ("glaccountno", "accountlabel", "description", "paymentamount", "departmentid", "locationid",
                      "customerid", "vendorid", "employeeid", "projectid", "classid"),
    "expensereport": ("expensetype", "glaccountno", "amount", "memo", "locationid", "departmentid", "projectid",
                      "customerid", "vendorid", "employeeid", "classid"),
    "bill": ("glaccountno", "amount", "memo", "locationid", "departmentid", "projectid", "customerid", "vendorid",
             "employeeid", "classid"),
}
_GENERIC_DIMS = {
    "apbill": {"location": "LOCATIONID", "department": "DEPARTMENTID", "project": "PROJECTID",
               "customer": "CUSTOMERID", "vendor": "VENDORID", "employee": "EMPLOYEEID", "class": "CLASSID"},
    "glbatch": {"location": "LOCATION", "department": "DEPARTMENT", "project": "PROJECTID",
                "customer": "CUSTOMERID", "vendor": "VENDORID", "employee": "EMPLOYEEID", "class": "CLASSID"},
}


@dataclass(frozen=True)
class Doc:
    """One document to post, written once and sent as any kind.

    Lines are dicts with the keys account (or expensetype), amount, and the dimensions location, department,
    project, customer, vendor, employee, class. A journal entry gets one balancing credit per line on
    `balancing_account`, with the line's location, so that each entity balances.
    """

    kind: str
    lines: Sequence[dict[str, str]]
    reference: str
    card: str = "AMEX-1005"
    employee: str = "EMP-001"
    vendor: str = "V-PAPERTRAIL"
    when: tuple[int, int, int] = (2026, 11, 2)
    currency: str = ""
    balancing_account: str = "1000"

    @property
    def doctype(self) -> str:
        return DOCTYPE[self.kind]

    def function(self) -> etree._Element:
        if self.kind in _LEGACY_LINE_ORDER:
            return self._legacy()
        return self._apbill() if self.kind == "apbill" else self._glbatch()

    def _legacy_line(self, tag: str, line: dict[str, str]) -> etree._Element:
        values = {_LEGACY_TAGS[k]: v for k, v in line.items() if k in _LEGACY_TAGS}
        amount_tag = "paymentamount" if self.kind == "cctransaction" else "amount"
        values[amount_tag] = line["amount"]
        if "expensetype" in line:
            values["accountlabel" if self.kind == "cctransaction" else "expensetype"] = line["expensetype"]
        values["description" if self.kind == "cctransaction" else "memo"] = self.reference
        item = el(tag)
        for name in _LEGACY_LINE_ORDER[self.kind]:
            if name in values:
                item.append(el(name, values[name]))
        return item

    def _legacy(self) -> etree._Element:
        currency = [el("currency", self.currency)] if self.currency else []
        # The schema wants an exchange rate type after a card charge's or a bill's currency.
        converted = [*currency, el("exchratetype", "Intacct Daily Rate")] if self.currency else []
        if self.kind == "cctransaction":
            items = el("ccpayitems", *(self._legacy_line("ccpayitem", line) for line in self.lines))
            return el("record_cctransaction", el("chargecardid", self.card), date_block("paymentdate", *self.when),
                      el("referenceno", self.reference), el("payee", "Merchant"), el("description", self.reference),
                      *converted, items)
        if self.kind == "expensereport":
            items = el("expenses", *(self._legacy_line("expense", line) for line in self.lines))
            return el("create_expensereport", el("employeeid", self.employee), date_block("datecreated", *self.when),
                      el("expensereportno", self.reference), el("description", self.reference), *currency, items)
        items = el("billitems", *(self._legacy_line("lineitem", line) for line in self.lines))
        return el("create_bill", el("vendorid", self.vendor), date_block("datecreated", *self.when),
                  date_block("datedue", *self.when), el("billno", self.reference), el("description", self.reference),
                  *converted, items)

    def _generic_line(self, line: dict[str, str]) -> dict[str, str]:
        values = {_GENERIC_DIMS[self.kind][k]: v for k, v in line.items() if k in _GENERIC_DIMS[self.kind]}
        if "account" in line:
            values["ACCOUNTNO"] = line["account"]
        if "expensetype" in line:
            values["ACCOUNTLABEL"] = line["expensetype"]
        values["TRX_AMOUNT"] = line["amount"]
        if self.currency and self.kind == "glbatch":
            values["CURRENCY"] = self.currency
        return values

    def _apbill(self) -> etree._Element:
        items = [("APBILLITEM", {**self._generic_line(line), "ENTRYDESCRIPTION": self.reference})
                 for line in self.lines]
        header: dict[str, object] = {"RECORDID": self.reference, "VENDORID": self.vendor,
                                     "WHENCREATED": "{1:02d}/{2:02d}/{0}".format(*self.when),
                                     "WHENDUE": "{1:02d}/{2:02d}/{0}".format(*self.when),
                                     "DESCRIPTION": self.reference}
        if self.currency:
            header["CURRENCY"] = self.currency
        return create("APBILL", {**header, "APBILLITEMS": items})

    def _glbatch(self) -> etree._Element:
        entries: list[tuple[str, dict[str, str]]] = []
        for line in self.lines:
            debit = {**self._generic_line(line), "TR_TYPE": "1", "DESCRIPTION": self.reference}
            credit = {"ACCOUNTNO": self.balancing_account, "TR_TYPE": "-1", "TRX_AMOUNT": line["amount"],
                      "DESCRIPTION": self.reference}
            if self.currency:
                credit["CURRENCY"] = self.currency
            if "location" in line:
                credit["LOCATION"] = line["location"]
            entries += [("GLENTRY", debit), ("GLENTRY", credit)]
        return create("GLBATCH", {"JOURNAL": "GJ", "BATCH_DATE": "{1:02d}/{2:02d}/{0}".format(*self.when),
                                  "BATCH_TITLE": self.reference, "ENTRIES": entries})


def key_or_recordno(response: Response) -> int:
    """The new document's key: <key> from a legacy function, RECORDNO from a generic create."""
    result = succeeded(response, 1)[0]
    if result.findtext("key"):
        return int(result.findtext("key", ""))
    return int(result.findtext("data/*/RECORDNO", ""))


_SESSIONS: dict[str, str] = {}


def admin_session(gateway_url: str) -> str:
    """A top-level API session of the admin, opened once per server: lookups then skip the password check."""
    if gateway_url not in _SESSIONS:
        data = data_of(call(gateway_url, el("getAPISession")))
        _SESSIONS[gateway_url] = data.findtext("api/sessionid", "")
    return _SESSIONS[gateway_url]


def _send(gateway_url: str, doc: Doc, options: dict[str, object]) -> Response:
    return call(gateway_url, doc.function(), **(options or {"sessionid": admin_session(gateway_url)}))


def _posted(gateway_url: str, doc: Doc) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The documents under the reference and the GL entries described by it, in one request."""
    found = query_where(doc.doctype, ("RECORDNO", REFERENCE_FIELD[doc.doctype]), REFERENCE_FIELD[doc.doctype],
                        doc.reference)
    found.append(show_private())
    entries = query("GLENTRY", GLENTRY_FIELDS, filter_equal("DESCRIPTION", doc.reference), show_private(),
                    el("pagesize", "2000"))
    reply = call(gateway_url, found, entries, sessionid=admin_session(gateway_url))
    return rows(reply, 0), rows(reply, 1)


def refused(gateway_url: str, doc: Doc, errorno: str, phrase: str, **options: object) -> list[dict[str, str]]:
    """Send a document that must be refused: the errors name the rule, and nothing was posted."""
    errors = failed(_send(gateway_url, doc, options))
    assert any(e["errorno"] == errorno and phrase in e["description2"] for e in errors), (doc.kind, errors)
    assert _posted(gateway_url, doc) == ([], [])
    return errors


def posts(gateway_url: str, doc: Doc, **options: object) -> list[dict[str, str]]:
    """Send a document that must post: one document under its reference, with balanced GL entries."""
    recordno = key_or_recordno(_send(gateway_url, doc, options))
    found, entries = _posted(gateway_url, doc)
    assert [d["RECORDNO"] for d in found] == [str(recordno)]
    assert {(e["DOCTYPE"], e["DOCRECORDNO"]) for e in entries} == {(doc.doctype, str(recordno))}
    debits, credits = debits_and_credits(entries)
    assert debits == credits > 0
    return entries
