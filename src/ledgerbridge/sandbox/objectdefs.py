"""The Intacct objects the sandbox knows: their fields, keys and what may be done to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FieldType = Literal["text", "integer", "decimal", "boolean", "date", "timestamp"]
Module = Literal["gl", "cm", "ee", "ap", "ar", "co", "pa"]

AUDIT = ("WHENCREATED", "WHENMODIFIED", "CREATEDBY", "MODIFIEDBY")
ENTITY = ("MEGAENTITYKEY", "MEGAENTITYID", "MEGAENTITYNAME")
TYPES: dict[str, FieldType] = {
    "RECORDNO": "integer",
    "WHENCREATED": "timestamp",
    "WHENMODIFIED": "timestamp",
    "MEGAENTITYKEY": "integer",
}


@dataclass(frozen=True, slots=True)
class ObjectDef:
    """One Intacct object as the sandbox serves it."""

    name: str
    label: str
    id_field: str | None
    fields: tuple[str, ...]
    module: Module
    writable: bool = True
    documents_lines: str | None = None
    line_fields: tuple[str, ...] = ()
    types: dict[str, FieldType] = field(default_factory=dict)
    required: tuple[str, ...] = ()

    @property
    def listtype(self) -> str:
        return self.name.lower()

    def type_of(self, name: str) -> FieldType | None:
        if name in self.types:
            return self.types[name]
        if name in TYPES:
            return TYPES[name]
        return "text" if name in self.field_set else None

    @property
    def field_set(self) -> frozenset[str]:
        return _field_sets.setdefault(self.name, frozenset(self.fields))


_field_sets: dict[str, frozenset[str]] = {}


def _bools(*names: str) -> dict[str, FieldType]:
    return dict.fromkeys(names, "boolean")


_GL_REQUIRE = (
    "REQUIREDEPT", "REQUIRELOC", "REQUIREPROJECT", "REQUIRECUSTOMER", "REQUIREVENDOR",
    "REQUIREEMPLOYEE", "REQUIREITEM", "REQUIRECLASS", "REQUIRETASK", "REQUIRECONTRACT", "REQUIREWAREHOUSE",
)
_CONTACT = (
    "CONTACTNAME", "PREFIX", "FIRSTNAME", "INITIAL", "LASTNAME", "COMPANYNAME", "PRINTAS", "PHONE1",
    "PHONE2", "CELLPHONE", "PAGER", "FAX", "EMAIL1", "EMAIL2", "URL1", "URL2",
    "MAILADDRESS.ADDRESS1", "MAILADDRESS.ADDRESS2", "MAILADDRESS.CITY", "MAILADDRESS.STATE",
    "MAILADDRESS.ZIP", "MAILADDRESS.COUNTRY", "MAILADDRESS.COUNTRYCODE",
)
_DOC_TOTALS = ("TOTALENTERED", "TRX_TOTALENTERED", "TOTALPAID", "TRX_TOTALPAID", "TOTALDUE", "TRX_TOTALDUE")
_LINE_DIMS = (
    "LOCATIONID", "DEPARTMENTID", "PROJECTID", "TASKID", "CUSTOMERID", "VENDORID", "EMPLOYEEID",
    "ITEMID", "CLASSID", "CONTRACTID", "WAREHOUSEID",
)


def _contact(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}.{name}" for name in _CONTACT)


OBJECTS: dict[str, ObjectDef] = {}


def _register(obj: ObjectDef) -> None:
    OBJECTS[obj.name] = obj


_register(ObjectDef(
    name="GLACCOUNT", label="GL Account", id_field="ACCOUNTNO", module="gl",
    fields=(
        "RECORDNO", "ACCOUNTNO", "TITLE", "ACCOUNTTYPE", "NORMALBALANCE", "CLOSINGTYPE", "CLOSINGACCOUNTNO",
        "CLOSINGACCOUNTTITLE", "STATUS", *_GL_REQUIRE, "TAXABLE", "CATEGORYKEY", "CATEGORY", "TAXCODE",
        "MRCCODE", "CLOSETOACCTKEY", "ALTERNATIVEACCOUNT", "SUBLEDGERCONTROLON", "ENABLE_GLMATCHING",
        *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types=_bools(*_GL_REQUIRE, "TAXABLE", "SUBLEDGERCONTROLON", "ENABLE_GLMATCHING"),
    required=("ACCOUNTNO", "TITLE"),
))
_register(ObjectDef(
    name="CREDITCARD", label="Charge Card Account", id_field="CARDID", module="cm", writable=False,
    fields=(
        "RECORDNO", "CARDID", "DESCRIPTION", "CARDTYPE", "EXP_MONTH", "EXP_YEAR", "COMMCARD", "STATUS",
        "VENDORID", "DEPT", "LOCATION", "LIABILITYTYPE", "OUTSOURCECARD", "CURRENCY", "OFFSETGLACCOUNTNO",
        "OFFSETGLACCOUNTTITLE", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types={"EXP_YEAR": "integer", **_bools("COMMCARD", "OUTSOURCECARD")},
))
_register(ObjectDef(
    name="EEACCOUNTLABEL", label="Expense Type", id_field="ACCOUNTLABEL", module="ee",
    fields=(
        "RECORDNO", "ACCOUNTLABEL", "DESCRIPTION", "GLACCOUNTNO", "GLACCOUNTTITLE", "OFFSETGLACCOUNTNO",
        "STATUS", "ITEMID", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    required=("ACCOUNTLABEL", "DESCRIPTION", "GLACCOUNTNO"),
))
_register(ObjectDef(
    name="EMPLOYEE", label="Employee", id_field="EMPLOYEEID", module="ee",
    fields=(
        "RECORDNO", "EMPLOYEEID", "SSN", "TITLE", "LOCATIONID", "DEPARTMENTID", "CLASSID", "BIRTHDATE",
        "STARTDATE", "ENDDATE", "STATUS", "EMPLOYEETYPE", "EMPLOYEETYPE1099TYPE", "GENDER", "TERMINATIONTYPE",
        *_contact("CONTACT"), "CURRENCY", "PAYMETHODKEY", "CONTACTKEY", "PERSONALINFO.CONTACTNAME",
        *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types={"BIRTHDATE": "date", "STARTDATE": "date", "ENDDATE": "date"},
    required=("EMPLOYEEID",),
))
_register(ObjectDef(
    name="VENDOR", label="Vendor", id_field="VENDORID", module="ap",
    fields=(
        "RECORDNO", "VENDORID", "NAME", "PARENTKEY", "PARENTID", "PARENTNAME", *_contact("DISPLAYCONTACT"),
        "VENDORACCOUNTNO", "VENDTYPE", "ACCOUNTLABEL", "APACCOUNT", "APACCOUNTTITLE", "STATUS", "ONHOLD",
        "CURRENCY", "OBJECTRESTRICTION", "RESTRICTEDLOCATIONS", "RESTRICTEDDEPARTMENTS",
        *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types=_bools("ONHOLD"),
    required=("VENDORID", "NAME"),
))
_register(ObjectDef(
    name="DEPARTMENT", label="Department", id_field="DEPARTMENTID", module="co",
    fields=(
        "RECORDNO", "DEPARTMENTID", "TITLE", "PARENTKEY", "PARENTID", "SUPERVISORID", "SUPERVISORNAME",
        "STATUS", "CUSTTITLE", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    required=("DEPARTMENTID", "TITLE"),
))
_register(ObjectDef(
    name="LOCATION", label="Location", id_field="LOCATIONID", module="co",
    fields=(
        "RECORDNO", "LOCATIONID", "NAME", "PARENTID", "PARENTKEY", "SUPERVISORID", "STATUS", "CURRENCY",
        "ENTITY", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    required=("LOCATIONID", "NAME"),
))
_register(ObjectDef(
    name="LOCATIONENTITY", label="Entity", id_field="LOCATIONID", module="co", writable=False,
    fields=("RECORDNO", "LOCATIONID", "NAME", "PARENTID", "STATUS", "CURRENCY", *AUDIT, "RECORD_URL"),
))
# Closed books, one row per entity ("" = top level) whose books are closed: the dates before which postings are
# refused. A sandbox object: Sage documents no query object for closed periods (see docs/sandbox.md).
_register(ObjectDef(
    name="CLOSEDBOOKS", label="Closed books", id_field=None, module="gl", writable=False,
    fields=("RECORDNO", "LOCATIONID", "CLOSEDTHROUGH", "WHENMODIFIED", *ENTITY),
    types={"CLOSEDTHROUGH": "date"},
))
_register(ObjectDef(
    name="CLASS", label="Class", id_field="CLASSID", module="co",
    fields=(
        "RECORDNO", "CLASSID", "NAME", "DESCRIPTION", "STATUS", "PARENTKEY", "PARENTID", *AUDIT, *ENTITY,
        "RECORD_URL",
    ),
    required=("CLASSID", "NAME"),
))
# GL journals by symbol (GJ, ADJ, ...): a journal entry (GLBATCH) posts to an active one.
_register(ObjectDef(
    name="GLJOURNAL", label="Journal", id_field="SYMBOL", module="gl",
    fields=("RECORDNO", "SYMBOL", "TITLE", "STATUS", "BOOKID", *AUDIT, "RECORD_URL"),
    required=("SYMBOL", "TITLE"),
))
_register(ObjectDef(
    name="PROJECT", label="Project", id_field="PROJECTID", module="pa",
    fields=(
        "RECORDNO", "PROJECTID", "NAME", "DESCRIPTION", "CURRENCY", "PROJECTCATEGORY", "PROJECTSTATUS",
        "PARENTKEY", "PARENTID", "PARENTNAME", "STATUS", "CUSTOMERKEY", "CUSTOMERID", "CUSTOMERNAME",
        "PROJECTTYPE", "DEPARTMENTID", "DEPARTMENTNAME", "LOCATIONID", "LOCATIONNAME", "BUDGETID",
        *AUDIT, *ENTITY, "RECORD_URL",
    ),
    required=("PROJECTID", "NAME"),
))
_register(ObjectDef(
    name="CUSTOMER", label="Customer", id_field="CUSTOMERID", module="ar",
    fields=(
        "RECORDNO", "CUSTOMERID", "NAME", "PARENTID", *_contact("DISPLAYCONTACT"), "STATUS", "ONHOLD",
        "CURRENCY", "OBJECTRESTRICTION", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types=_bools("ONHOLD"),
    required=("CUSTOMERID", "NAME"),
))
_register(ObjectDef(
    name="APBILL", label="Bill", id_field=None, module="ap",
    fields=(
        "RECORDNO", "RECORDID", "VENDORID", "VENDORNAME", "DOCNUMBER", "DESCRIPTION", "WHENPOSTED",
        "WHENDUE", "TERMNAME", "STATE", "RAWSTATE", "CURRENCY", "BASECURR", *_DOC_TOTALS, "ONHOLD",
        *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types={
        "WHENPOSTED": "date", "WHENDUE": "date", "WHENCREATED": "date",
        **dict.fromkeys(_DOC_TOTALS, "decimal"), **_bools("ONHOLD"),
    },
    documents_lines="APBILLITEMS",
    line_fields=("LINE_NO", "ACCOUNTNO", "ACCOUNTLABEL", "OFFSETGLACCOUNTNO", "TRX_AMOUNT", "AMOUNT",
                 "ENTRYDESCRIPTION", "BILLABLE", *_LINE_DIMS),
))
_register(ObjectDef(
    name="GLBATCH", label="Journal Entry", id_field=None, module="gl",
    fields=(
        "RECORDNO", "BATCHNO", "JOURNAL", "BATCH_DATE", "BATCH_TITLE", "REVERSEDATE", "REFERENCENO",
        "BASELOCATION_NO", "STATE", "MODULE", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types={"BATCHNO": "integer", "BATCH_DATE": "date", "REVERSEDATE": "date"},
    documents_lines="ENTRIES",
    line_fields=("LINE_NO", "ACCOUNTNO", "TR_TYPE", "TRX_AMOUNT", "AMOUNT", "CURRENCY", "DESCRIPTION",
                 "DEPARTMENT", "LOCATION", "PROJECTID", "CUSTOMERID", "VENDORID", "EMPLOYEEID", "CLASSID"),
))
_register(ObjectDef(
    name="CCTRANSACTION", label="Charge card transaction", id_field=None, module="cm", writable=False,
    fields=(
        "RECORDNO", "RECORDID", "FINANCIALENTITY", "WHENPAID", "DESCRIPTION", "PAYEE", "BASECURR", "CURRENCY",
        *_DOC_TOTALS, "TOTALSELECTED", "TRX_TOTALSELECTED", "STATE", "RAWSTATE", "CLEARED", "INCLUSIVETAX",
        "TAXSOLUTIONID", "TAXMETHOD", "AUWHENCREATED", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types={
        "WHENPAID": "date", "WHENCREATED": "date", **_bools("INCLUSIVETAX"),
        **dict.fromkeys((*_DOC_TOTALS, "TOTALSELECTED", "TRX_TOTALSELECTED"), "decimal"),
    },
    documents_lines="CCTRANSACTIONENTRIES",
    line_fields=("LINE_NO", "ACCOUNTNO", "ACCOUNTLABEL", "DESCRIPTION", "TRX_AMOUNT", "AMOUNT",
                 "BILLABLE", *_LINE_DIMS),
))
_register(ObjectDef(
    name="EEXPENSES", label="Expense Report", id_field=None, module="ee", writable=False,
    fields=(
        "RECORDNO", "RECORDID", "EMPLOYEEID", "EMPLOYEENAME", "WHENPOSTED", "DESCRIPTION", "MEMO", "STATE",
        "RAWSTATE", "CURRENCY", "BASECURR", *_DOC_TOTALS, "EXTERNALID", *AUDIT, *ENTITY, "RECORD_URL",
    ),
    types={
        "WHENPOSTED": "date", "WHENCREATED": "date", **dict.fromkeys(_DOC_TOTALS, "decimal"),
    },
    documents_lines="EEXPENSESITEMS",
    line_fields=("LINE_NO", "ACCOUNTLABEL", "ACCOUNTNO", "AMOUNT", "TRX_AMOUNT", "CURRENCY", "EXPENSEDATE",
                 "MEMO", "BILLABLE", "EXPPMTTYPE", *_LINE_DIMS),
))
_register(ObjectDef(
    name="GLENTRY", label="GL Entry", id_field=None, module="gl", writable=False,
    fields=(
        "RECORDNO", "BATCHNO", "JOURNAL", "DOCTYPE", "DOCRECORDNO", "LINE_NO", "ENTRY_DATE", "ACCOUNTNO",
        "TR_TYPE", "AMOUNT", "TRX_AMOUNT", "CURRENCY", "BASECURR", "DESCRIPTION", "LOCATION", "DEPARTMENT",
        "PROJECTID", "CUSTOMERID", "VENDORID", "EMPLOYEEID", "CLASSID", "STATE", *AUDIT, *ENTITY,
    ),
    types={
        "BATCHNO": "integer", "DOCRECORDNO": "integer", "LINE_NO": "integer", "ENTRY_DATE": "date",
        "TR_TYPE": "integer", "AMOUNT": "decimal", "TRX_AMOUNT": "decimal",
    },
))


def find(name: str) -> ObjectDef | None:
    """The definition for an object name as a client spells it (Intacct accepts any case)."""
    return OBJECTS.get(name.strip().upper())
