"""Loading a seed into an empty sandbox store."""

from __future__ import annotations

import json
from typing import Any

from ledgerbridge.sandbox.auth import hash_password
from ledgerbridge.sandbox.context import Ctx
from ledgerbridge.sandbox.functions import masterdata
from ledgerbridge.sandbox.objectdefs import OBJECTS
from ledgerbridge.sandbox.seedfile import Seed, SeedCompany
from ledgerbridge.sandbox.store import Store, stamped_earlier

# Referenced records first, so derived fields (titles, names) resolve.
LOAD_ORDER = ("GLJOURNAL", "LOCATION", "DEPARTMENT", "CLASS", "GLACCOUNT", "CUSTOMER", "VENDOR", "EMPLOYEE", "PROJECT",
              "EEACCOUNTLABEL", "CREDITCARD")
GENERAL_JOURNAL = {"SYMBOL": "GJ", "TITLE": "General Journal"}
"""The journal every Intacct company starts with; given to a company that has no journal at all."""
SEED_ENDPOINT = "http://sandbox/ia/xml/xmlgw.phtml"


def is_empty(store: Store) -> bool:
    return not store.companies()


# A seed's records are stamped this long before the sandbox started (see `stamped_earlier`).
SEEDED_BEFORE_S = 60


def load(store: Store, seed: Seed) -> None:
    with stamped_earlier(SEEDED_BEFORE_S):
        _load(store, seed)


def _load(store: Store, seed: Seed) -> None:
    with store.transaction():
        for sender in seed.senders:
            store.execute("INSERT INTO sender (senderid, password_hash, status) VALUES (?, ?, ?)",
                          (sender.senderid, hash_password(sender.password), sender.status))
            for companyid in sender.authorized_companies:
                store.execute("INSERT INTO sender_authorization (senderid, companyid) VALUES (?, ?)",
                              (sender.senderid, companyid))
        for company in seed.companies:
            _load_company(store, company)
    add_missing_journals(store)


def add_missing_journals(store: Store) -> None:
    """Give the general journal to every company without a journal: one seeded without any, or one stored before
    the sandbox kept journals (its journal entries would otherwise all be refused)."""
    with store.transaction():
        for company in store.companies():
            if store.records(company.companyid, "GLJOURNAL"):
                continue
            row = store.execute("SELECT userid FROM user WHERE companyid = ? AND admin = 1 ORDER BY userid LIMIT 1",
                                (company.companyid,)).fetchone()
            admin = store.user(company.companyid, str(row[0])) if row else None
            if admin is None:
                continue
            ctx = Ctx(store, company, admin, "", "", SEED_ENDPOINT)
            masterdata.create(ctx, OBJECTS["GLJOURNAL"], dict(GENERAL_JOURNAL), entity="")


def _load_company(store: Store, company: SeedCompany) -> None:
    store.execute(
        "INSERT INTO company (companyid, name, basecurrency, session_minutes, settings) VALUES (?, ?, ?, ?, ?)",
        (company.companyid, company.name, company.basecurrency, company.session_minutes,
         json.dumps(dict(getattr(company, "settings", {}) or {}))),
    )
    for user in company.users:
        store.execute(
            "INSERT INTO user (companyid, userid, password_hash, admin, status, name, email, permissions) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (company.companyid, user.userid, hash_password(user.password), int(user.admin), user.status,
             user.name, user.email, json.dumps(sorted(user.permissions))),
        )
    admin = next(u for u in (store.user(company.companyid, s.userid) for s in company.users) if u and u.admin)
    stored_company = store.company(company.companyid)
    assert stored_company is not None
    ctx = Ctx(store, stored_company, admin, "", "", SEED_ENDPOINT)
    for entity in company.entities:
        fields: dict[str, Any] = {"LOCATIONID": entity.locationid, "NAME": entity.name,
                                  "CURRENCY": entity.currency, "STATUS": "active"}
        masterdata.create(ctx, OBJECTS["LOCATIONENTITY"], dict(fields), entity="")
        masterdata.create(ctx, OBJECTS["LOCATION"], {**fields, "ENTITY": fields["LOCATIONID"]}, entity="")
    for name in LOAD_ORDER:
        for record in company.records.get(name, ()):
            fields = dict(record)
            owner = str(fields.get("MEGAENTITYID") or "")
            masterdata.create(ctx, OBJECTS[name], fields, entity=owner)
    for period in company.closed_periods:
        store.close_books(company.companyid, period.entity, period.closed_through.isoformat())
    for closed in company.closed_subledgers:
        store.execute("INSERT INTO closed_subledger (companyid, entity, subledger) VALUES (?, ?, ?)",
                      (company.companyid, closed.entity, closed.subledger))
    for relationship in company.dimension_relationships:
        for dimension, values in relationship.allowed.items():
            for value in values:
                store.execute(
                    "INSERT INTO dimension_relationship (companyid, accountno, dimension, value) VALUES (?, ?, ?, ?)",
                    (company.companyid, relationship.account, dimension, value),
                )
