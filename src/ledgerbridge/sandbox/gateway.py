"""The XML gateway envelope: control, authentication and per-function results.

Control failures stop everything; an authentication failure stops its operation; a function
failure stops only that function unless the operation asked for ``transaction="true"``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

from ledgerbridge.sandbox import permissions
from ledgerbridge.sandbox.auth import Sessions, iso, verify_password
from ledgerbridge.sandbox.context import Ctx, Output
from ledgerbridge.sandbox.errors import ROLLED_BACK, GatewayFailure, IntacctError, business
from ledgerbridge.sandbox.functions import FUNCTIONS, WRITES
from ledgerbridge.sandbox.schema import schema_error_text, validate_request
from ledgerbridge.sandbox.store import Company, Store, User
from ledgerbridge.sandbox.xmlsafe import XmlRejected, parse_request, to_bytes

log = logging.getLogger(__name__)

BAD_SENDER = IntacctError("XL03000006", description2="Incorrect Intacct XML Partner ID or password.")
BAD_SIGN_IN = IntacctError("XL03000006", description2="Sign-in information is incorrect")
BAD_SESSION = IntacctError(
    "XL03000006", description2="Invalid session: the session ID is unknown or the session has timed out.",
    correction="Sign in again with getAPISession.",
)


def not_authorized(senderid: str, companyid: str) -> IntacctError:
    return IntacctError(
        "XL03000006", description="Invalid Web Services Authorization",
        description2=f"The sender ID '{senderid}' is not authorized to make Web Services requests to company "
                     f"ID '{companyid}'.",
        correction="Contact the company administrator to grant Web Services authorization to this sender ID.",
    )


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    functions: int = 0
    created: int = 0


@dataclass(slots=True)
class Caller:
    company: Company
    user: User
    entity: str
    session_expiry: datetime | None


def _error_block(parent: etree._Element, errors: list[IntacctError]) -> None:
    block = etree.SubElement(parent, "errormessage")
    for error in errors:
        error = error.with_support_id() if error.errorno not in {"XL03000009"} else error
        item = etree.SubElement(block, "error")
        etree.SubElement(item, "errorno").text = error.errorno
        etree.SubElement(item, "description").text = error.description
        etree.SubElement(item, "description2").text = error.description2
        etree.SubElement(item, "correction").text = error.correction


def _text(parent: etree._Element, path: str) -> str:
    return (parent.findtext(path) or "").strip()


class Gateway:
    """Turns a request body into a response body, executing functions against the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sessions = Sessions(store)

    @staticmethod
    def read(body: bytes) -> etree._Element | XmlRejected:
        """The parsed request, or why it was refused; parsed once for ``company_of`` and ``handle``."""
        try:
            return parse_request(body)
        except XmlRejected as rejected:
            return rejected

    def company_of(self, body: bytes, parsed: etree._Element | XmlRejected | None = None) -> str:
        """The company a request is for (by login or session), '' when it cannot be told."""
        root = self.read(body) if parsed is None else parsed
        if isinstance(root, XmlRejected):
            return ""
        company = _text(root, "operation/authentication/login/companyid")
        if company:
            return company
        sessionid = _text(root, "operation/authentication/sessionid")
        return self.sessions.company_of(sessionid) if sessionid else ""

    def handle(self, body: bytes, endpoint: str, parsed: etree._Element | XmlRejected | None = None) -> Reply:
        root = self.read(body) if parsed is None else parsed
        if isinstance(root, XmlRejected):
            where = f" Line: {root.line}, column: {root.column}." if root.line else ""
            return self.control_failure(IntacctError(
                "XL03000003", description2=f"XML Parse error: {root.reason}{where}"))
        if root.tag != "request":
            return self.control_failure(IntacctError(
                "XL03000003", description2=f"XML Parse schema error: the root element must be request, "
                                           f"not {root.tag}."))
        problems = validate_request(root, body=body)
        if problems:
            return self.control_failure(IntacctError("XL03000003", description2=schema_error_text(problems[0])))
        control = root.find("control")
        assert control is not None  # guaranteed by the schema
        return self._handle_valid(root, control, endpoint)

    def control_failure(self, error: IntacctError, control: etree._Element | None = None,
                         status: int = 200) -> Reply:
        response = etree.Element("response")
        block = etree.SubElement(response, "control")
        etree.SubElement(block, "status").text = "failure"
        for tag in ("senderid", "controlid", "uniqueid", "dtdversion"):
            etree.SubElement(block, tag).text = _text(control, tag) if control is not None else ""
        _error_block(response, [error])
        return Reply(status, to_bytes(response, pretty=False))

    def _handle_valid(self, root: etree._Element, control: etree._Element, endpoint: str) -> Reply:
        senderid = _text(control, "senderid")
        dtdversion = _text(control, "dtdversion") or "3.0"
        if dtdversion != "3.0":
            return self.control_failure(IntacctError(
                "XL03000003", description2=f"dtdversion {dtdversion} is not supported; send 3.0."), control)
        policy = _text(control, "policyid")
        if policy:
            return self.control_failure(IntacctError(
                "XL03000006", description2=f"{policy} is not a valid transport policy."), control)
        sender = self.store.sender_hash(senderid)
        if sender is None or sender[1] != "active" or not verify_password(sender[0], _text(control, "password")):
            return self.control_failure(BAD_SENDER, control)
        unique = _text(control, "uniqueid").lower() == "true"
        keep_whitespace = _text(control, "includewhitespace").lower() == "true"
        response = etree.Element("response")
        block = etree.SubElement(response, "control")
        etree.SubElement(block, "status").text = "success"
        etree.SubElement(block, "senderid").text = senderid
        etree.SubElement(block, "controlid").text = _text(control, "controlid")
        etree.SubElement(block, "uniqueid").text = "true" if unique else "false"
        etree.SubElement(block, "dtdversion").text = dtdversion
        counts = [0, 0]
        for operation in root.iterfind("operation"):
            response.append(self._operation(operation, senderid, unique, keep_whitespace, endpoint, counts))
        return Reply(200, to_bytes(response, pretty=keep_whitespace), counts[0], counts[1])

    def _authenticate(self, auth: etree._Element, senderid: str) -> Caller | IntacctError:
        login = auth.find("login")
        if login is not None:
            company = self.store.company(_text(login, "companyid"))
            if company is None:
                return BAD_SIGN_IN
            if not self.store.sender_authorized(senderid, company.companyid):
                return not_authorized(senderid, company.companyid)
            user = self.store.user(company.companyid, _text(login, "userid"))
            if user is None or user.status != "active" or not verify_password(
                    user.password_hash, login.findtext("password") or ""):
                return BAD_SIGN_IN
            entity = _text(login, "locationid")
            if entity and self.store.record_by_key(company.companyid, "LOCATIONENTITY", entity) is None:
                return BAD_SIGN_IN
            return Caller(company, user, entity, None)
        sessionid = _text(auth, "sessionid")
        minutes = {c.companyid: c.session_minutes for c in self.store.companies()}
        session = self.sessions.touch(sessionid, minutes) if sessionid else None
        if session is None:
            return BAD_SESSION
        company = self.store.company(session.companyid)
        user = self.store.user(session.companyid, session.userid)
        if company is None or user is None or user.status != "active":
            return BAD_SESSION
        if not self.store.sender_authorized(senderid, company.companyid):
            return not_authorized(senderid, company.companyid)
        return Caller(company, user, session.locationid, session.expires_at)

    def _operation(self, operation: etree._Element, senderid: str, unique: bool, keep_whitespace: bool,
                   endpoint: str, counts: list[int]) -> etree._Element:
        out = etree.Element("operation")
        auth = operation.find("authentication")
        assert auth is not None  # guaranteed by the schema
        caller = self._authenticate(auth, senderid)
        block = etree.SubElement(out, "authentication")
        if isinstance(caller, IntacctError):
            etree.SubElement(block, "status").text = "failure"
            login = auth.find("login")
            etree.SubElement(block, "userid").text = _text(login, "userid") if login is not None else ""
            etree.SubElement(block, "companyid").text = _text(login, "companyid") if login is not None else ""
            etree.SubElement(block, "locationid").text = _text(login, "locationid") if login is not None else ""
            _error_block(out, [caller])
            return out
        now = datetime.now(UTC)
        expiry = caller.session_expiry or now + timedelta(minutes=caller.company.session_minutes)
        for tag, value in (("status", "success"), ("userid", caller.user.userid),
                           ("companyid", caller.company.companyid), ("locationid", caller.entity),
                           ("sessiontimestamp", iso(now)), ("sessiontimeout", iso(expiry))):
            etree.SubElement(block, tag).text = value

        def open_session(entity: str) -> str:
            sessionid, _ = self.sessions.open(caller.user, entity, senderid, caller.company.session_minutes)
            return sessionid

        ctx = Ctx(self.store, caller.company, caller.user, caller.entity, senderid, endpoint,
                  keep_whitespace, open_session)
        calls = [f for content in operation.iterfind("content") for f in content.iterfind("function")]
        counts[0] += len(calls)
        if operation.get("transaction", "false").lower() == "true":
            results = self._in_transaction(ctx, calls, unique, counts)
        else:
            # One commit for the request; each function still succeeds or fails alone (a savepoint each).
            with self.store.lock, self.store.transaction():
                results = [self._one(ctx, call, unique, counts) for call in calls]
        out.extend(results)
        return out

    def _in_transaction(self, ctx: Ctx, calls: list[etree._Element], unique: bool,
                        counts: list[int]) -> list[etree._Element]:
        results: list[etree._Element] = []
        created_before = counts[1]
        with self.store.lock:
            try:
                with self.store.transaction():
                    for call in calls:
                        name, outcome = self._run(ctx, call, unique)
                        if isinstance(outcome, GatewayFailure):
                            raise _Abort(len(results), name, outcome)
                        results.append(self._result(call, name, outcome))
                        counts[1] += name in WRITES
            except _Abort as abort:
                counts[1] = created_before
                aborted = [self._aborted(call) for call in calls]
                aborted[abort.index] = self._failure(calls[abort.index], abort.name,
                                                     [*abort.failure.errors, ROLLED_BACK])
                return aborted
        return results

    def _one(self, ctx: Ctx, call: etree._Element, unique: bool, counts: list[int]) -> etree._Element:
        with self.store.lock:
            try:
                with self.store.transaction():
                    name, outcome = self._run(ctx, call, unique)
                    if isinstance(outcome, GatewayFailure):
                        raise _Abort(0, name, outcome)
            except _Abort as abort:
                return self._failure(call, abort.name, abort.failure.errors)
        counts[1] += name in WRITES
        return self._result(call, name, outcome)

    def _run(self, ctx: Ctx, call: etree._Element, unique: bool) -> tuple[str, Output | GatewayFailure]:
        body = next((child for child in call if isinstance(child.tag, str)), None)
        name = body.tag if body is not None else ""
        assert isinstance(name, str)
        controlid = call.get("controlid", "")
        handler = FUNCTIONS.get(name)
        if body is None or handler is None:
            return name, GatewayFailure(business(
                f"The function '{name}' is not available in the sandbox.",
                "Use one of the functions listed in the sandbox documentation."))
        if unique and self.store.function_completed(ctx.companyid, controlid):
            return name, GatewayFailure(business(
                f"A function with control ID '{controlid}' has already been executed and completed for this "
                "company; with uniqueid set to true it is not executed again.",
                "Send new work with a new function control ID, or look up the record the first call created.",
            ))
        denied = permissions.check(ctx.user, name, _objects_named(name, body), name in WRITES)
        if denied is not None:
            return name, GatewayFailure(denied)
        try:
            outcome = handler(ctx, body)
        except GatewayFailure as failure:
            return name, failure
        except Exception:
            # A defect must still answer in the protocol, and leave the store as it was.
            log.exception("function %s failed unexpectedly", name)
            return name, GatewayFailure(IntacctError(
                "BL01001973", description2="An internal error occurred while processing this function.",
                correction="Try again; if it keeps failing, report the Support ID."))
        if unique:
            self.store.mark_completed(ctx.companyid, controlid, name)
        return name, outcome

    def _result(self, call: etree._Element, name: str, outcome: Output | GatewayFailure) -> etree._Element:
        assert isinstance(outcome, Output)
        result = etree.Element("result")
        etree.SubElement(result, "status").text = "success"
        etree.SubElement(result, "function").text = name
        etree.SubElement(result, "controlid").text = call.get("controlid", "")
        if outcome.key is not None:
            etree.SubElement(result, "key").text = outcome.key
        if outcome.data is not None:
            result.append(outcome.data)
        return result

    def _failure(self, call: etree._Element, name: str, errors: list[IntacctError]) -> etree._Element:
        result = etree.Element("result")
        etree.SubElement(result, "status").text = "failure"
        etree.SubElement(result, "function").text = name
        etree.SubElement(result, "controlid").text = call.get("controlid", "")
        if name == "create":
            etree.SubElement(result, "data", listtype="objects", count="0")
        _error_block(result, errors)
        return result

    def _aborted(self, call: etree._Element) -> etree._Element:
        body = next((child for child in call if isinstance(child.tag, str)), None)
        result = etree.Element("result")
        etree.SubElement(result, "status").text = "aborted"
        etree.SubElement(result, "function").text = str(body.tag) if body is not None else ""
        etree.SubElement(result, "controlid").text = call.get("controlid", "")
        _error_block(result, [ROLLED_BACK])
        return result


class _Abort(Exception):
    def __init__(self, index: int, name: str, failure: GatewayFailure) -> None:
        super().__init__(name)
        self.index = index
        self.name = name
        self.failure = failure


def _objects_named(function: str, body: etree._Element) -> list[str]:
    if function in permissions.LEGACY_OBJECTS:
        return [permissions.LEGACY_OBJECTS[function]]
    if function in {"create", "update"}:
        return [str(child.tag) for child in body if isinstance(child.tag, str)]
    name = body.findtext("object")
    return [name.strip()] if name else []
