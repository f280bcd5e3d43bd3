"""Vendors (on hold, status) and employees (email, status, start date, location)."""

from __future__ import annotations

import re

from starlette.responses import Response

from ledgerbridge.sandbox.console.records import STATUSES, choice, flag, intacct_date, iso_date, matches, save_record
from ledgerbridge.sandbox.console.web import Visit, version_of

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def vendor_list(visit: Visit) -> Response:
    search = visit.param("q")
    vendors = [v for v in visit.store.records(visit.companyid, "VENDOR")
               if matches(search, v.get("VENDORID"), v.get("NAME"))]
    return visit.render("vendors.html", vendors=vendors, search=search)


def vendor_page(visit: Visit, problems: list[str] | None = None, status: int = 200) -> Response:
    vendorid = visit.request.path_params["vendorid"]
    vendor = visit.store.record_by_key(visit.companyid, "VENDOR", vendorid)
    if vendor is None:
        return visit.refuse(404, "Vendor not found", f"There is no vendor {vendorid}.", back=visit.url("/vendors"))
    return visit.render("vendor.html", status=status, vendor=vendor, version=version_of(vendor),
                        problems=problems or [])


def save_vendor(visit: Visit) -> Response:
    vendorid = visit.request.path_params["vendorid"]
    vendor = visit.store.record_by_key(visit.companyid, "VENDOR", vendorid)
    if vendor is None:
        return visit.refuse(404, "Vendor not found", f"There is no vendor {vendorid}.", back=visit.url("/vendors"))
    if visit.arg("version") != version_of(vendor):
        return vendor_page(visit, [f"Vendor {vendorid} was changed after you opened it. Your changes were not "
                                   "saved; review and save again."], status=409)
    problems: list[str] = []
    changes = {"ONHOLD": flag(visit, "ONHOLD"), "STATUS": choice(visit.arg("STATUS"), STATUSES, "Status", problems)}
    if problems:
        return vendor_page(visit, problems, status=422)
    saved = save_record(visit, "VENDOR", vendor, changes)
    return visit.redirect(visit.url("/vendors", vendorid,
                                    notice=f"Vendor {vendorid} saved." if saved else "No changes to save."))


def employee_list(visit: Visit) -> Response:
    search = visit.param("q")
    employees = [e for e in visit.store.records(visit.companyid, "EMPLOYEE")
                 if matches(search, e.get("EMPLOYEEID"), e.get("CONTACT.CONTACTNAME"), e.get("CONTACT.EMAIL1"))]
    return visit.render("employees.html", employees=employees, search=search)


def employee_page(visit: Visit, problems: list[str] | None = None, status: int = 200) -> Response:
    employeeid = visit.request.path_params["employeeid"]
    employee = visit.store.record_by_key(visit.companyid, "EMPLOYEE", employeeid)
    if employee is None:
        return visit.refuse(404, "Employee not found", f"There is no employee {employeeid}.",
                            back=visit.url("/employees"))
    return visit.render(
        "employee.html", status=status, employee=employee, version=version_of(employee), problems=problems or [],
        locations=visit.store.records(visit.companyid, "LOCATION"),
        startdate=iso_date(str(employee.get("STARTDATE", ""))),
    )


def save_employee(visit: Visit) -> Response:
    employeeid = visit.request.path_params["employeeid"]
    employee = visit.store.record_by_key(visit.companyid, "EMPLOYEE", employeeid)
    if employee is None:
        return visit.refuse(404, "Employee not found", f"There is no employee {employeeid}.",
                            back=visit.url("/employees"))
    if visit.arg("version") != version_of(employee):
        return employee_page(visit, [f"Employee {employeeid} was changed after you opened it. Your changes were "
                                     "not saved; review and save again."], status=409)
    problems: list[str] = []
    email = visit.arg("CONTACT.EMAIL1")
    if email and not EMAIL.fullmatch(email):
        problems.append(f"'{email}' is not an email address.")
    locations = [str(loc["LOCATIONID"]) for loc in visit.store.records(visit.companyid, "LOCATION")]
    changes = {
        "CONTACT.EMAIL1": email,
        "STATUS": choice(visit.arg("STATUS"), STATUSES, "Status", problems),
        "STARTDATE": intacct_date(visit.arg("STARTDATE"), "Start date", problems),
        "LOCATIONID": choice(visit.arg("LOCATIONID"), ["", *locations], "Location", problems),
    }
    if problems:
        return employee_page(visit, problems, status=422)
    saved = save_record(visit, "EMPLOYEE", employee, changes)
    return visit.redirect(visit.url("/employees", employeeid,
                                    notice=f"Employee {employeeid} saved." if saved else "No changes to save."))
