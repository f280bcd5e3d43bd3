"""Dimension values, projects, parties and expense types over HTTP: each refusal posts nothing, and the same
document posts once an administrator fixes the record through the API."""

from __future__ import annotations

from tests.conftest import RunningSandbox
from tests.integration.sandbox.gw import KINDS, Doc, call, create, posts, refused, succeeded, unique, update

BL = "BL01001973"


def docs(kinds: tuple[str, ...], lines: list[dict[str, str]], **options: str) -> list[Doc]:
    return [Doc(kind, lines, unique(f"R-{kind}"), **options) for kind in kinds]


NOT_REPORTS = tuple(k for k in KINDS if k != "expensereport")


def test_inactive_and_unknown_dimension_values_post_once_activated_or_created(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.gateway_url
    cases = [
        (docs(KINDS, [{"account": "6100", "amount": "10.00", "location": "L110", "department": "D600"}]),
         "Department 'D600' is inactive."),
        (docs(KINDS, [{"account": "6100", "amount": "11.00", "location": "L220"}], card="AMEX-2010",
              employee="EMP-002"), "Location 'L220' is inactive."),
        (docs(KINDS, [{"account": "6100", "amount": "12.00", "location": "L110", "class": "C900"}]),
         "Class 'C900' is inactive."),
        (docs(KINDS, [{"account": "6100", "amount": "13.00", "location": "L110", "customer": "CUST-1005"}]),
         "Customer 'CUST-1005' is inactive."),
        # PRJ-500's only resource is EMP-006, so it is charged here without an employee.
        (docs(NOT_REPORTS, [{"account": "6100", "amount": "14.00", "location": "L110", "project": "PRJ-500"}]),
         "Project 'PRJ-500' is inactive."),
        (docs(KINDS, [{"account": "6100", "amount": "15.00", "location": "L110", "department": "D999"}]),
         "Invalid Department D999 selected"),
    ]
    for group, phrase in cases:
        for doc in group:
            refused(url, doc, BL, phrase)
    succeeded(call(url, update("DEPARTMENT", {"DEPARTMENTID": "D600", "STATUS": "active"}),
                   update("LOCATION", {"LOCATIONID": "L220", "STATUS": "active"}),
                   update("CLASS", {"CLASSID": "C900", "STATUS": "active"}),
                   update("CUSTOMER", {"CUSTOMERID": "CUST-1005", "STATUS": "active"}),
                   update("PROJECT", {"PROJECTID": "PRJ-500", "STATUS": "active"}),
                   create("DEPARTMENT", {"DEPARTMENTID": "D999", "TITLE": "Special Projects"})))
    for group, _ in cases:
        for doc in group:
            posts(url, doc)


def test_project_customer_and_resources_post_once_the_project_is_updated(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.gateway_url
    other_customer = docs(KINDS, [{"account": "6100", "amount": "20.00", "location": "L110", "project": "PRJ-100",
                                   "customer": "CUST-1002"}])
    for doc in other_customer:
        refused(url, doc, BL, "The project 'PRJ-100' belongs to customer 'CUST-1001'")
    # The report's employee, or the line's employee on the other kinds, must be a resource of the project.
    not_resource = [Doc("expensereport", [{"account": "6100", "amount": "21.00", "location": "L110",
                                           "project": "PRJ-100"}], unique("R-er"), employee="EMP-004")]
    not_resource += docs(NOT_REPORTS, [{"account": "6100", "amount": "22.00", "location": "L110",
                                        "project": "PRJ-100", "employee": "EMP-004"}])
    for doc in not_resource:
        refused(url, doc, BL, "The employee is not a resource of the project 'PRJ-100'.")

    succeeded(call(url, update("PROJECT", {"PROJECTID": "PRJ-100", "CUSTOMERID": "CUST-1002",
                                           "RESOURCES": "EMP-001,EMP-002,EMP-003,EMP-004"})))
    for doc in other_customer + not_resource:
        posts(url, doc)
    refused(url, Doc("expensereport", [{"account": "6100", "amount": "23.00", "location": "L110",
                                        "project": "PRJ-100"}], unique("R-er"), employee="EMP-008"),
            BL, "The employee is not a resource of the project 'PRJ-100'.")


def test_employees_vendors_and_expense_types_post_once_fixed(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.gateway_url
    line = [{"account": "6100", "amount": "30.00", "location": "L110"}]
    cases = [
        (docs(("expensereport",), line, employee="EMP-007"),
         "Cannot create expense before employee joining date 03/01/2027"),
        (docs(("expensereport",), line, employee="EMP-006"), "The employee 'EMP-006' is inactive."),
        (docs(("expensereport",), line, employee="EMP-999"), "The employee 'EMP-999' is invalid."),
        (docs(("bill", "apbill"), line, vendor="V-IRONBRIDGE"), "The vendor 'V-IRONBRIDGE' is on hold."),
        (docs(("bill", "apbill"), line, vendor="V-PACTEL"), "Vendor 'V-PACTEL' specified is not valid."),
        (docs(("cctransaction", "expensereport"), [{"expensetype": "Per Diem", "amount": "31.00",
                                                    "location": "L110"}]), "The expense type 'Per Diem' is inactive."),
        (docs(("cctransaction", "expensereport"), [{"expensetype": "Coworking Day Pass", "amount": "32.00",
                                                    "location": "L110"}]),
         "Invalid expense type 'Coworking Day Pass'."),
    ]
    for group, phrase in cases:
        for doc in group:
            refused(url, doc, BL, phrase)
    succeeded(call(
        url,
        update("EMPLOYEE", {"EMPLOYEEID": "EMP-007", "STARTDATE": "01/05/2026"}),
        update("EMPLOYEE", {"EMPLOYEEID": "EMP-006", "STATUS": "active"}),
        create("EMPLOYEE", {"EMPLOYEEID": "EMP-999", "PERSONALINFO": {"CONTACTNAME": "Sam Rivera"},
                            "LOCATIONID": "L110"}),
        update("VENDOR", {"VENDORID": "V-IRONBRIDGE", "ONHOLD": "false"}),
        update("VENDOR", {"VENDORID": "V-PACTEL", "STATUS": "active"}),
        update("EEACCOUNTLABEL", {"ACCOUNTLABEL": "Per Diem", "STATUS": "active"}),
        create("EEACCOUNTLABEL", {"ACCOUNTLABEL": "Coworking Day Pass", "DESCRIPTION": "Day passes",
                                  "GLACCOUNTNO": "6100"}),
    ))
    for group, _ in cases:
        for doc in group:
            posts(url, doc)


def test_negative_reports_and_extra_decimals_are_refused_and_the_corrected_document_posts(
        sandbox_server: RunningSandbox) -> None:
    url = sandbox_server.gateway_url
    negative = Doc("expensereport", [{"account": "6100", "amount": "15.00", "location": "L110"},
                                     {"account": "6130", "amount": "-40.00", "location": "L110"}], unique("R-er"))
    refused(url, negative, BL, "The total of an expense report can't be negative.")
    posts(url, Doc("expensereport", [{"account": "6100", "amount": "15.00", "location": "L110"},
                                     {"account": "6130", "amount": "-10.00", "location": "L110"}], negative.reference))
    for kind in KINDS:
        reference = unique(f"R-{kind}")
        refused(url, Doc(kind, [{"account": "6100", "amount": "12.345", "location": "L110"}], reference),
                BL, "has more decimal places than USD allows (2)")
        posts(url, Doc(kind, [{"account": "6100", "amount": "12.35", "location": "L110"}], reference))
    # A card charge in another currency than the card's meets the top-level rule, so yen go on the others.
    for kind in (*NOT_REPORTS[1:], "expensereport"):
        reference = unique(f"R-{kind}")
        refused(url, Doc(kind, [{"account": "6100", "amount": "100.5", "location": "L110"}], reference,
                         currency="JPY"), BL, "has more decimal places than JPY allows (0)")
        entries = posts(url, Doc(kind, [{"account": "6100", "amount": "100", "location": "L110"}], reference,
                                 currency="JPY"))
        assert {(e["CURRENCY"], e["AMOUNT"]) for e in entries} == {("JPY", "100")}
