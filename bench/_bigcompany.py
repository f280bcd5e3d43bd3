"""A large sandbox company for the sync benchmark: written as a seed file in the sandbox's own format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SIZES = {"GLACCOUNT": 20_000, "EMPLOYEE": 10_000, "VENDOR": 10_000, "PROJECT": 2_000}


def big_seed(scale: float = 1.0) -> dict[str, Any]:
    """The demo's credentials with a company of 20,000 accounts, 10,000 employees and vendors, 2,000 projects."""
    counts = {name: max(1, int(size * scale)) for name, size in SIZES.items()}
    departments = [{"DEPARTMENTID": f"D{n:03d}", "TITLE": f"Department {n}"} for n in range(1, 41)]
    locations = [{"LOCATIONID": f"L{n:03d}", "NAME": f"Office {n}", "PARENTID": "E100"} for n in range(1, 21)]
    customers = [{"CUSTOMERID": f"C{n:05d}", "NAME": f"Customer {n}"} for n in range(1, 501)]
    accounts = [
        {"ACCOUNTNO": f"{10000 + n}", "TITLE": f"Expense account {n}", "ACCOUNTTYPE": "incomestatement",
         "NORMALBALANCE": "debit", "STATUS": "inactive" if n % 97 == 0 else "active",
         "MEGAENTITYID": "E200" if n % 53 == 0 else ""}
        for n in range(counts["GLACCOUNT"])
    ]
    accounts.append({"ACCOUNTNO": "2100", "TITLE": "Card liability", "ACCOUNTTYPE": "balancesheet",
                     "NORMALBALANCE": "credit"})
    employees = [
        {"EMPLOYEEID": f"EMP{n:05d}", "CONTACT.CONTACTNAME": f"Employee {n}", "CONTACT.FIRSTNAME": "Employee",
         "CONTACT.LASTNAME": str(n), "CONTACT.EMAIL1": f"employee{n}@big.example",
         "STARTDATE": "01/01/2020", "DEPARTMENTID": departments[n % len(departments)]["DEPARTMENTID"]}
        for n in range(counts["EMPLOYEE"])
    ]
    vendors = [
        {"VENDORID": f"V{n:05d}", "NAME": f"Vendor {n}", "ONHOLD": "true" if n % 101 == 0 else "false"}
        for n in range(counts["VENDOR"])
    ]
    projects = [
        {"PROJECTID": f"P{n:05d}", "NAME": f"Project {n}", "PROJECTCATEGORY": "Contract",
         "CUSTOMERID": customers[n % len(customers)]["CUSTOMERID"]}
        for n in range(counts["PROJECT"])
    ]
    return {
        "format": "ledgerbridge-sandbox-seed/1",
        "senders": [{"senderid": "ledgerbridge", "password": "sandbox", "authorized_companies": ["BIG"]}],
        "companies": [{
            "companyid": "BIG", "name": "Big Company", "basecurrency": "USD", "session_minutes": 120,
            "entities": [{"LOCATIONID": "E100", "NAME": "East", "CURRENCY": "USD"},
                         {"LOCATIONID": "E200", "NAME": "West", "CURRENCY": "USD"}],
            "users": [{"userid": "xml_gateway", "password": "sandbox", "admin": True, "permissions": ["*"]}],
            "dimension_relationships": [
                {"account": accounts[n]["ACCOUNTNO"], "DEPARTMENT": [departments[n % 40]["DEPARTMENTID"]]}
                for n in range(0, counts["GLACCOUNT"], 211)
            ],
            "records": {
                "DEPARTMENT": departments, "LOCATION": locations, "CUSTOMER": customers, "GLACCOUNT": accounts,
                "EMPLOYEE": employees, "VENDOR": vendors, "PROJECT": projects,
            },
        }],
    }


def write_big_seed(path: Path, scale: float = 1.0) -> Path:
    path.write_text(json.dumps(big_seed(scale)), encoding="utf-8")
    return path
