"""Seed files: the companies, credentials and records a sandbox starts with.

A seed is JSON in the ``ledgerbridge-sandbox-seed/1`` format (documented in ``docs/sandbox.md``).
Reading one is pure: no database is touched. Every problem found is collected and raised at once
as a :class:`SeedError`, each located with a JSON path such as
``companies[0].records.GLACCOUNT[3].ACCOUNTNO``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal, cast

SEED_FORMAT: Final = "ledgerbridge-sandbox-seed/1"

CompanyId = str
EntityId = str
Subledger = Literal["CM", "AP", "EE"]
Record = Mapping[str, object]
"""One record as Intacct prints it: UPPERCASE field name -> string (PROJECT ``RESOURCES``: tuple of IDs)."""

SUBLEDGERS: Final[tuple[Subledger, ...]] = ("CM", "AP", "EE")
PERMISSION_MODULES: Final = frozenset({"gl", "cm", "ee", "ap", "ar", "co", "pa"})
RELATIONSHIP_DIMENSIONS: Final = (
    "LOCATION", "DEPARTMENT", "CLASS", "PROJECT", "CUSTOMER", "VENDOR", "EMPLOYEE",
)
MONTHS: Final = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)

ID_FIELDS: Final[Mapping[str, str]] = MappingProxyType({
    "GLACCOUNT": "ACCOUNTNO",
    "CREDITCARD": "CARDID",
    "EEACCOUNTLABEL": "ACCOUNTLABEL",
    "EMPLOYEE": "EMPLOYEEID",
    "VENDOR": "VENDORID",
    "DEPARTMENT": "DEPARTMENTID",
    "LOCATION": "LOCATIONID",
    "CLASS": "CLASSID",
    "PROJECT": "PROJECTID",
    "CUSTOMER": "CUSTOMERID",
    "GLJOURNAL": "SYMBOL",
})
"""Objects a seed may hold records of, and the ID field of each."""

_REQUIRED: Final[Mapping[str, tuple[str, ...]]] = {
    "GLACCOUNT": ("ACCOUNTNO", "TITLE"),
    "CREDITCARD": ("CARDID", "DESCRIPTION"),
    "EEACCOUNTLABEL": ("ACCOUNTLABEL", "DESCRIPTION", "GLACCOUNTNO"),
    "EMPLOYEE": ("EMPLOYEEID", "CONTACT.CONTACTNAME"),
    "VENDOR": ("VENDORID", "NAME"),
    "DEPARTMENT": ("DEPARTMENTID", "TITLE"),
    "LOCATION": ("LOCATIONID", "NAME"),
    "CLASS": ("CLASSID", "NAME"),
    "PROJECT": ("PROJECTID", "NAME"),
    "CUSTOMER": ("CUSTOMERID", "NAME"),
    "GLJOURNAL": ("SYMBOL", "TITLE"),
}

# Field -> object its value names. "ENTITY" resolves against the company's entities; "LOCATION"
# against LOCATION records and entities together, since every entity is also a location.
_REFERENCES: Final[Mapping[str, tuple[tuple[str, str], ...]]] = {
    "GLACCOUNT": (("CLOSINGACCOUNTNO", "GLACCOUNT"),),
    "CREDITCARD": (
        ("VENDORID", "VENDOR"), ("OFFSETGLACCOUNTNO", "GLACCOUNT"), ("DEPT", "DEPARTMENT"),
        ("LOCATION", "LOCATION"),
    ),
    "EEACCOUNTLABEL": (("GLACCOUNTNO", "GLACCOUNT"), ("OFFSETGLACCOUNTNO", "GLACCOUNT")),
    "EMPLOYEE": (("LOCATIONID", "LOCATION"), ("DEPARTMENTID", "DEPARTMENT"), ("CLASSID", "CLASS")),
    "VENDOR": (("APACCOUNT", "GLACCOUNT"), ("PARENTID", "VENDOR")),
    "DEPARTMENT": (("PARENTID", "DEPARTMENT"),),
    "LOCATION": (("PARENTID", "LOCATION"),),
    "CLASS": (("PARENTID", "CLASS"),),
    "PROJECT": (
        ("CUSTOMERID", "CUSTOMER"), ("PARENTID", "PROJECT"), ("LOCATIONID", "LOCATION"),
        ("DEPARTMENTID", "DEPARTMENT"), ("RESOURCES", "EMPLOYEE"),
    ),
    "CUSTOMER": (("PARENTID", "CUSTOMER"),),
    "GLJOURNAL": (),
}

RECORD_DEFAULTS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType({
    "GLACCOUNT": MappingProxyType({
        "ACCOUNTTYPE": "balancesheet", "NORMALBALANCE": "debit", "CLOSINGTYPE": "non-closing account",
        "STATUS": "active", "REQUIREDEPT": "false", "REQUIRELOC": "false", "REQUIREPROJECT": "false",
        "REQUIRECUSTOMER": "false", "REQUIREVENDOR": "false", "REQUIREEMPLOYEE": "false",
        "REQUIRECLASS": "false", "SUBLEDGERCONTROLON": "false",
    }),
    "CREDITCARD": MappingProxyType({"STATUS": "active", "LIABILITYTYPE": "Credit"}),
    "VENDOR": MappingProxyType({"STATUS": "active", "ONHOLD": "false"}),
})
"""Values Intacct gives fields left out on create; applied to seed records too (``STATUS`` is
``active`` for every object)."""

_ENUMS: Final[Mapping[tuple[str, str], tuple[str, ...]]] = {
    ("GLACCOUNT", "ACCOUNTTYPE"): ("balancesheet", "incomestatement"),
    ("GLACCOUNT", "NORMALBALANCE"): ("debit", "credit"),
    ("GLACCOUNT", "CLOSINGTYPE"): ("non-closing account", "closing account"),
    ("CREDITCARD", "LIABILITYTYPE"): ("Credit", "Debit"),
    ("CREDITCARD", "EXP_MONTH"): MONTHS,
}
_BOOLEANS: Final = frozenset({
    "SUBLEDGERCONTROLON", "ONHOLD", "TAXABLE", "COMMCARD", "OUTSOURCECARD", "ENABLE_GLMATCHING", "BILLABLE",
})
_FIELD_NAME = re.compile(r"[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*")
_CURRENCY = re.compile(r"[A-Z]{3}")
_INTACCT_DATE = re.compile(r"\d{2}/\d{2}/\d{4}")
_PERMISSION = re.compile(r"([a-z]+)\.(read|write)")


class SeedError(Exception):
    """A seed file that cannot be used; ``problems`` lists every problem found, located."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the seed:"
        super().__init__("\n  ".join([heading, *self.problems]))


@dataclass(frozen=True, slots=True)
class SeedSender:
    """A Web Services sender ID and the companies that authorized it."""

    senderid: str
    password: str
    authorized_companies: tuple[CompanyId, ...]
    status: str = "active"

    @property
    def active(self) -> bool:
        return self.status == "active"

    def authorized_for(self, companyid: CompanyId) -> bool:
        return self.active and companyid in self.authorized_companies


@dataclass(frozen=True, slots=True)
class SeedUser:
    """A company user; ``permissions`` holds ``"*"`` or ``"<module>.read|write"`` grants."""

    userid: str
    password: str
    admin: bool
    status: str = "active"
    name: str = ""
    email: str = ""
    permissions: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True, slots=True)
class SeedEntity:
    """An entity of a multi-entity company; it is a LOCATIONENTITY and a LOCATION at once."""

    locationid: EntityId
    name: str
    currency: str

    def as_record(self) -> Record:
        """The entity as a LOCATIONENTITY (and LOCATION) record."""
        return MappingProxyType({
            "LOCATIONID": self.locationid, "NAME": self.name, "CURRENCY": self.currency, "STATUS": "active",
        })


@dataclass(frozen=True, slots=True)
class SeedClosedPeriod:
    """Books of ``entity`` ("" = top level) closed through ``closed_through``, inclusive."""

    entity: EntityId
    closed_through: date


@dataclass(frozen=True, slots=True)
class SeedClosedSubledger:
    """A subledger (Cash Management, Accounts Payable, Time & Expenses) closed in ``entity``."""

    entity: EntityId
    subledger: Subledger


@dataclass(frozen=True, slots=True)
class SeedDimensionRelationship:
    """A GL account usable only with the listed values of each listed dimension."""

    account: str
    allowed: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class SeedCompany:
    """One Intacct company: entities, users, period state, restrictions and records."""

    companyid: CompanyId
    name: str
    basecurrency: str
    session_minutes: int
    entities: tuple[SeedEntity, ...]
    users: tuple[SeedUser, ...]
    closed_periods: tuple[SeedClosedPeriod, ...]
    closed_subledgers: tuple[SeedClosedSubledger, ...]
    dimension_relationships: tuple[SeedDimensionRelationship, ...]
    records: Mapping[str, tuple[Record, ...]]
    """Every object of :data:`ID_FIELDS` -> its records (an empty tuple when the seed has none)."""

    def entity(self, locationid: EntityId) -> SeedEntity | None:
        return next((e for e in self.entities if e.locationid == locationid), None)

    def user(self, userid: str) -> SeedUser | None:
        return next((u for u in self.users if u.userid == userid), None)

    def record(self, object_name: str, record_id: str) -> Record | None:
        """The record of ``object_name`` whose ID field equals ``record_id`` exactly."""
        id_field = ID_FIELDS.get(object_name)
        rows = self.records.get(object_name, ())
        return next((r for r in rows if id_field is not None and r.get(id_field) == record_id), None)


@dataclass(frozen=True, slots=True)
class Seed:
    """A whole seed file."""

    senders: tuple[SeedSender, ...]
    companies: tuple[SeedCompany, ...]
    source: str = field(default="", compare=False)

    def company(self, companyid: CompanyId) -> SeedCompany | None:
        return next((c for c in self.companies if c.companyid == companyid), None)

    def sender(self, senderid: str) -> SeedSender | None:
        return next((s for s in self.senders if s.senderid == senderid), None)


def builtin_seed_names() -> tuple[str, ...]:
    """Names accepted by :func:`load_seed` besides paths (``demo``, ...)."""
    folder = resources.files("ledgerbridge.sandbox").joinpath("seeds")
    return tuple(sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json")))


def load_seed(path_or_name: str | Path) -> Seed:
    """Read a seed from a file, or a built-in one by name (``"demo"``)."""
    if isinstance(path_or_name, str) and path_or_name in builtin_seed_names():
        resource = resources.files("ledgerbridge.sandbox").joinpath("seeds", f"{path_or_name}.json")
        return parse_seed_text(resource.read_text(encoding="utf-8"), f"built-in seed '{path_or_name}'")
    path = Path(path_or_name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        names = ", ".join(builtin_seed_names())
        problem = f"{path}: cannot read the seed file ({exc.strerror}); built-in seeds: {names}"
        raise SeedError([problem]) from None
    except UnicodeDecodeError:
        raise SeedError([f"{path}: the seed file is not UTF-8 text"]) from None
    return parse_seed_text(text, str(path))


def parse_seed_text(text: str, source: str = "seed") -> Seed:
    """Parse seed JSON text; duplicate keys in one JSON object are problems too."""
    duplicates: list[str] = []

    def no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
        result: dict[str, object] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(f"{source}: key '{key}' appears twice in one JSON object")
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=no_duplicate_keys)
    except json.JSONDecodeError as exc:
        problem = f"{source}: line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
        raise SeedError([problem]) from None
    try:
        seed = parse_seed(data, source)
    except SeedError as exc:
        raise SeedError(duplicates + exc.problems) from None
    if duplicates:
        raise SeedError(duplicates)
    return seed


def parse_seed(data: object, source: str = "seed") -> Seed:
    """Validate decoded seed JSON and build the typed seed, or raise every problem at once."""
    return _Reader().seed(data, source)


class _Reader:
    """Walks decoded JSON, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")

    # -- shapes ---------------------------------------------------------------------------------

    def obj(self, value: object, where: str, allowed: Iterable[str]) -> dict[str, object]:
        if not isinstance(value, dict):
            self.problem(where, f"expected a JSON object, found {_kind(value)}")
            return {}
        allowed_keys = set(allowed)
        for key in value:
            if key not in allowed_keys:
                self.problem(f"{where}.{key}", f"unknown key (known: {', '.join(sorted(allowed_keys))})")
        return cast(dict[str, object], value)

    def items(self, value: object, where: str) -> list[object]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"expected a JSON array, found {_kind(value)}")
            return []
        return cast(list[object], value)

    def text(self, parent: Mapping[str, object], key: str, where: str, *, default: str | None = None) -> str:
        value = parent.get(key)
        if value is None:
            if default is None:
                self.problem(f"{where}.{key}", "required")
                return ""
            return default
        if not isinstance(value, str):
            self.problem(f"{where}.{key}", f"expected a string, found {_kind(value)}")
            return ""
        if default is None and not value.strip():
            self.problem(f"{where}.{key}", "must not be empty")
        return value

    def strings(self, value: object, where: str) -> tuple[str, ...]:
        result: list[str] = []
        for i, item in enumerate(self.items(value, where)):
            if isinstance(item, str) and item.strip():
                result.append(item)
            else:
                self.problem(f"{where}[{i}]", f"expected a non-empty string, found {_kind(item)}")
        return tuple(result)

    def choice(self, parent: Mapping[str, object], key: str, where: str, options: tuple[str, ...],
               default: str | None) -> str:
        value = self.text(parent, key, where, default=default)
        if value and value not in options:
            self.problem(f"{where}.{key}", f"'{value}' is not one of: {', '.join(options)}")
        return value

    # -- the file -------------------------------------------------------------------------------

    def seed(self, data: object, source: str) -> Seed:
        top = self.obj(data, "$", ("format", "senders", "companies"))
        fmt = top.get("format")
        if fmt != SEED_FORMAT:
            self.problem("format", f"expected '{SEED_FORMAT}', found {json.dumps(fmt)}")
        raw_companies = self.items(top.get("companies"), "companies")
        if isinstance(data, dict) and not raw_companies:
            self.problem("companies", "at least one company is required")
        companies = tuple(self.company(c, f"companies[{i}]") for i, c in enumerate(raw_companies))
        _unique(self, ((c.companyid, f"companies[{i}].companyid") for i, c in enumerate(companies)),
                "company ID")
        company_ids = {c.companyid for c in companies}
        raw_senders = self.items(top.get("senders"), "senders")
        senders = tuple(self.sender(s, f"senders[{i}]", company_ids) for i, s in enumerate(raw_senders))
        _unique(self, ((s.senderid, f"senders[{i}].senderid") for i, s in enumerate(senders)), "sender ID")
        if self.problems:
            raise SeedError(self.problems)
        return Seed(senders=senders, companies=companies, source=source)

    def sender(self, value: object, where: str, company_ids: set[str]) -> SeedSender:
        raw = self.obj(value, where, ("senderid", "password", "authorized_companies", "status"))
        authorized = self.strings(raw.get("authorized_companies", []), f"{where}.authorized_companies")
        for i, companyid in enumerate(authorized):
            if companyid not in company_ids:
                self.problem(f"{where}.authorized_companies[{i}]",
                             f"company '{companyid}' is not in this seed")
        return SeedSender(
            senderid=self.text(raw, "senderid", where),
            password=self.text(raw, "password", where),
            authorized_companies=authorized,
            status=self.choice(raw, "status", where, ("active", "inactive"), "active"),
        )

    def company(self, value: object, where: str) -> SeedCompany:
        raw = self.obj(value, where, (
            "companyid", "name", "basecurrency", "session_minutes", "entities", "users", "closed_periods",
            "closed_subledgers", "dimension_relationships", "records",
        ))
        basecurrency = self.text(raw, "basecurrency", where)
        if basecurrency and not _CURRENCY.fullmatch(basecurrency):
            self.problem(f"{where}.basecurrency", f"'{basecurrency}' is not an ISO currency code")
        minutes = raw.get("session_minutes", 120)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            self.problem(f"{where}.session_minutes",
                         f"expected a positive whole number, found {json.dumps(minutes)}")
            minutes = 120
        entities = tuple(
            self.entity(e, f"{where}.entities[{i}]", basecurrency)
            for i, e in enumerate(self.items(raw.get("entities"), f"{where}.entities"))
        )
        _unique(self, ((e.locationid, f"{where}.entities[{i}].LOCATIONID") for i, e in enumerate(entities)),
                "entity ID")
        raw_users = self.items(raw.get("users"), f"{where}.users")
        users = tuple(self.user(u, f"{where}.users[{i}]") for i, u in enumerate(raw_users))
        _unique(self, ((u.userid, f"{where}.users[{i}].userid") for i, u in enumerate(users)), "user ID")
        records = self.records(raw.get("records", {}), f"{where}.records")
        company = SeedCompany(
            companyid=self.text(raw, "companyid", where),
            name=self.text(raw, "name", where),
            basecurrency=basecurrency,
            session_minutes=minutes,
            entities=entities,
            users=users,
            closed_periods=tuple(
                self.closed_period(p, f"{where}.closed_periods[{i}]")
                for i, p in enumerate(self.items(raw.get("closed_periods"), f"{where}.closed_periods"))
            ),
            closed_subledgers=tuple(
                self.closed_subledger(s, f"{where}.closed_subledgers[{i}]")
                for i, s in enumerate(self.items(raw.get("closed_subledgers"), f"{where}.closed_subledgers"))
            ),
            dimension_relationships=tuple(
                self.relationship(r, f"{where}.dimension_relationships[{i}]")
                for i, r in enumerate(
                    self.items(raw.get("dimension_relationships"), f"{where}.dimension_relationships")
                )
            ),
            records=records,
        )
        _check_company(self, company, where)
        return company

    def entity(self, value: object, where: str, basecurrency: str) -> SeedEntity:
        raw = self.obj(value, where, ("LOCATIONID", "NAME", "CURRENCY"))
        currency = self.text(raw, "CURRENCY", where, default=basecurrency)
        if currency and not _CURRENCY.fullmatch(currency):
            self.problem(f"{where}.CURRENCY", f"'{currency}' is not an ISO currency code")
        return SeedEntity(self.text(raw, "LOCATIONID", where), self.text(raw, "NAME", where), currency)

    def user(self, value: object, where: str) -> SeedUser:
        raw = self.obj(value, where, (
            "userid", "password", "admin", "status", "name", "email", "permissions",
        ))
        admin = raw.get("admin", False)
        if not isinstance(admin, bool):
            self.problem(f"{where}.admin", f"expected true or false, found {json.dumps(admin)}")
            admin = False
        permissions = self.strings(raw.get("permissions", []), f"{where}.permissions")
        for i, grant in enumerate(permissions):
            match = _PERMISSION.fullmatch(grant)
            if grant != "*" and (match is None or match.group(1) not in PERMISSION_MODULES):
                self.problem(f"{where}.permissions[{i}]",
                             f"'{grant}' is not '*' or '<module>.read|write' with a module among "
                             f"{', '.join(sorted(PERMISSION_MODULES))}")
        return SeedUser(
            userid=self.text(raw, "userid", where),
            password=self.text(raw, "password", where),
            admin=admin,
            status=self.choice(raw, "status", where, ("active", "inactive"), "active"),
            name=self.text(raw, "name", where, default=""),
            email=self.text(raw, "email", where, default=""),
            permissions=permissions,
        )

    def closed_period(self, value: object, where: str) -> SeedClosedPeriod:
        raw = self.obj(value, where, ("entity", "closed_through"))
        through = self.text(raw, "closed_through", where)
        try:
            closed_through = date.fromisoformat(through)
        except ValueError:
            if through:
                self.problem(f"{where}.closed_through", f"'{through}' is not a date as yyyy-mm-dd")
            closed_through = date.min
        return SeedClosedPeriod(self.text(raw, "entity", where, default=""), closed_through)

    def closed_subledger(self, value: object, where: str) -> SeedClosedSubledger:
        raw = self.obj(value, where, ("entity", "subledger"))
        subledger = self.choice(raw, "subledger", where, SUBLEDGERS, None)
        return SeedClosedSubledger(
            self.text(raw, "entity", where, default=""),
            next((s for s in SUBLEDGERS if s == subledger), "CM"),
        )

    def relationship(self, value: object, where: str) -> SeedDimensionRelationship:
        raw = self.obj(value, where, ("account", *RELATIONSHIP_DIMENSIONS))
        allowed: dict[str, tuple[str, ...]] = {}
        for dimension in RELATIONSHIP_DIMENSIONS:
            if dimension in raw:
                values = self.strings(raw[dimension], f"{where}.{dimension}")
                if not values:
                    self.problem(f"{where}.{dimension}",
                                 "list at least one value (or leave the dimension out)")
                allowed[dimension] = values
        if isinstance(value, dict) and not allowed:
            self.problem(where, f"relate the account to at least one of {', '.join(RELATIONSHIP_DIMENSIONS)}")
        return SeedDimensionRelationship(self.text(raw, "account", where), MappingProxyType(allowed))

    # -- records --------------------------------------------------------------------------------

    def records(self, value: object, where: str) -> Mapping[str, tuple[Record, ...]]:
        raw = self.obj(value, where, ID_FIELDS)
        result: dict[str, tuple[Record, ...]] = {}
        for object_name in ID_FIELDS:
            rows = self.items(raw.get(object_name), f"{where}.{object_name}")
            result[object_name] = tuple(
                self.record(object_name, row, f"{where}.{object_name}[{i}]") for i, row in enumerate(rows)
            )
            id_field = ID_FIELDS[object_name]
            _unique(self, (
                (str(r.get(id_field, "")), f"{where}.{object_name}[{i}].{id_field}")
                for i, r in enumerate(result[object_name])
            ), id_field)
        return MappingProxyType(result)

    def record(self, object_name: str, value: object, where: str) -> Record:
        if not isinstance(value, dict):
            self.problem(where, f"expected a JSON object, found {_kind(value)}")
            return MappingProxyType({})
        row: dict[str, object] = {}
        for key, item in cast(dict[str, object], value).items():
            at = f"{where}.{key}"
            if key == "RESOURCES" and object_name == "PROJECT":
                row[key] = self.strings(item, at)
            elif key == "RECORDNO":
                self.problem(at, "RECORDNO is assigned by the sandbox; leave it out")
            elif not _FIELD_NAME.fullmatch(key):
                self.problem(at, "not an Intacct field name (UPPERCASE, related fields dotted)")
            elif not isinstance(item, str):
                self.problem(at, f"expected a string as Intacct prints it, found {_kind(item)}")
            else:
                self.field_value(object_name, key, item, at)
                row[key] = item
        for required in _REQUIRED[object_name]:
            if not str(row.get(required, "")).strip():
                self.problem(f"{where}.{required}", "required")
        for key, default in {"STATUS": "active", **RECORD_DEFAULTS.get(object_name, {})}.items():
            row.setdefault(key, default)
        return MappingProxyType(row)

    def field_value(self, object_name: str, key: str, value: str, where: str) -> None:
        options = ("active", "inactive") if key == "STATUS" else _ENUMS.get((object_name, key))
        last = key.rsplit(".", 1)[-1]
        if options is not None:
            if value not in options:
                self.problem(where, f"'{value}' is not one of: {', '.join(options)}")
        elif key in _BOOLEANS or key.startswith("REQUIRE"):
            if value not in ("true", "false"):
                self.problem(where, f"'{value}' is not 'true' or 'false'")
        elif last.endswith("DATE"):
            if value and not _is_intacct_date(value):
                self.problem(where, f"'{value}' is not a date as mm/dd/yyyy")
        elif key in ("CURRENCY", "BASECURR"):
            if value and not _CURRENCY.fullmatch(value):
                self.problem(where, f"'{value}' is not an ISO currency code")
        elif key == "EXP_YEAR" and not re.fullmatch(r"\d{4}", value):
            self.problem(where, f"'{value}' is not a four-digit year")


def _check_company(reader: _Reader, company: SeedCompany, where: str) -> None:
    """Cross-record checks: every reference resolves, and the rules Intacct enforces on setup hold."""
    entity_ids = {e.locationid for e in company.entities}
    ids: dict[str, set[str]] = {
        name: {str(r.get(id_field, "")) for r in company.records[name]}
        for name, id_field in ID_FIELDS.items()
    }
    ids["ENTITY"] = entity_ids
    ids["LOCATION"] = ids["LOCATION"] | entity_ids

    def resolve(target: str, value: str, at: str) -> None:
        if value and value not in ids[target]:
            label = "entity" if target == "ENTITY" else target
            reader.problem(at, f"{label} '{value}' does not exist in company '{company.companyid}'")

    for i, row in enumerate(company.records["LOCATION"]):
        if row.get("LOCATIONID") in entity_ids:
            reader.problem(f"{where}.records.LOCATION[{i}].LOCATIONID",
                           f"'{row['LOCATIONID']}' is an entity; entities are locations already")
    for name in ID_FIELDS:
        for i, row in enumerate(company.records[name]):
            at = f"{where}.records.{name}[{i}]"
            for field_name, target in (*_REFERENCES[name], ("MEGAENTITYID", "ENTITY")):
                value = row.get(field_name)
                if isinstance(value, tuple):
                    for j, item in enumerate(value):
                        resolve(target, str(item), f"{at}.{field_name}[{j}]")
                elif isinstance(value, str):
                    resolve(target, value, f"{at}.{field_name}")
    accounts: dict[str, Record] = {}
    for row in company.records["GLACCOUNT"]:
        accounts.setdefault(str(row.get("ACCOUNTNO")), row)
    for i, row in enumerate(company.records["GLACCOUNT"]):
        if row.get("CLOSINGTYPE") == "closing account" and not row.get("CLOSINGACCOUNTNO"):
            reader.problem(f"{where}.records.GLACCOUNT[{i}].CLOSINGACCOUNTNO",
                           "required for a closing account")
    for i, row in enumerate(company.records["CREDITCARD"]):
        if row.get("LIABILITYTYPE") != "Credit":
            continue
        for required in ("VENDORID", "OFFSETGLACCOUNTNO"):
            if not row.get(required):
                reader.problem(f"{where}.records.CREDITCARD[{i}].{required}", "required for a credit card")
        offset = accounts.get(str(row.get("OFFSETGLACCOUNTNO")))
        if offset is not None and offset.get("ACCOUNTTYPE") != "balancesheet":
            reader.problem(f"{where}.records.CREDITCARD[{i}].OFFSETGLACCOUNTNO",
                           f"the credit card offset account '{offset['ACCOUNTNO']}' "
                           "must be a balance sheet account")
    for i, period in enumerate(company.closed_periods):
        resolve("ENTITY", period.entity, f"{where}.closed_periods[{i}].entity")
    _unique(reader, ((p.entity or "(top level)", f"{where}.closed_periods[{i}].entity")
                     for i, p in enumerate(company.closed_periods)), "closed period entity")
    for i, closed in enumerate(company.closed_subledgers):
        resolve("ENTITY", closed.entity, f"{where}.closed_subledgers[{i}].entity")
    _unique(reader, ((f"{s.entity or '(top level)'} {s.subledger}", f"{where}.closed_subledgers[{i}]")
                     for i, s in enumerate(company.closed_subledgers)), "closed subledger")
    for i, rel in enumerate(company.dimension_relationships):
        at = f"{where}.dimension_relationships[{i}]"
        resolve("GLACCOUNT", rel.account, f"{at}.account")
        for dimension, values in rel.allowed.items():
            for j, value in enumerate(values):
                resolve(dimension, value, f"{at}.{dimension}[{j}]")
    _unique(reader, ((r.account, f"{where}.dimension_relationships[{i}].account")
                     for i, r in enumerate(company.dimension_relationships)), "relationship account")


def _unique(reader: _Reader, keyed: Iterable[tuple[str, str]], label: str) -> None:
    first_seen: dict[str, str] = {}
    for key, at in keyed:
        if not key:
            continue
        if key in first_seen:
            reader.problem(at, f"duplicate {label} '{key}' (first at {first_seen[key]})")
        else:
            first_seen[key] = at


def _is_intacct_date(value: str) -> bool:
    if not _INTACCT_DATE.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%m/%d/%Y")
    except ValueError:
        return False
    return True


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
