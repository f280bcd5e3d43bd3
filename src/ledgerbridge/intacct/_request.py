"""The request envelope: control block, one operation, its authentication and functions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from ledgerbridge.intacct._exceptions import InvalidRequestError
from ledgerbridge.intacct._functions import Function
from ledgerbridge.intacct._nodes import Node, branch, leaf, to_element
from ledgerbridge.intacct._secrets import REDACTED, Secret

DTD_VERSION = "3.0"


@dataclass(frozen=True, slots=True)
class Sender:
    """Web Services sender credentials, issued to the integration by Sage."""

    sender_id: str
    sender_password: Secret


@dataclass(frozen=True, slots=True)
class Login:
    """A Web Services user of one company, optionally signing in at an entity."""

    company_id: str
    user_id: str
    user_password: Secret
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """An API session: the id and the endpoint it is bound to."""

    session_id: Secret
    endpoint: str
    locationid: str = ""


def build_request(
    sender: Sender,
    authentication: Login | Session,
    functions: Sequence[Function],
    *,
    uniqueid: bool,
    transaction: bool = False,
    controlid: str | None = None,
) -> bytes:
    """Serialize one request. ``uniqueid`` makes the gateway refuse a function controlid it already ran."""
    if not functions:
        raise InvalidRequestError("a request needs at least one function")
    seen: set[str] = set()
    for function in functions:
        if function.controlid in seen:
            raise InvalidRequestError(f"controlid {function.controlid!r} appears twice in one request")
        seen.add(function.controlid)
    control = branch(
        "control",
        leaf("senderid", sender.sender_id),
        leaf("password", sender.sender_password.reveal()),
        leaf("controlid", controlid or uuid.uuid4().hex),
        leaf("uniqueid", uniqueid),
        leaf("dtdversion", DTD_VERSION),
        leaf("includewhitespace", False),
    )
    operation = branch(
        "operation",
        branch("authentication", _authentication(authentication)),
        branch("content", *(_function(function) for function in functions)),
        attributes=(("transaction", "true"),) if transaction else (),
    )
    root = to_element(branch("request", control, operation))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _authentication(authentication: Login | Session) -> Node:
    if isinstance(authentication, Session):
        return Node("sessionid", text=authentication.session_id.reveal())
    return branch(
        "login",
        leaf("userid", authentication.user_id),
        leaf("companyid", authentication.company_id),
        leaf("password", authentication.user_password.reveal()),
        leaf("locationid", authentication.entity_id),
    )


def _function(function: Function) -> Node:
    return Node("function", children=(function.body,), attributes=(("controlid", function.controlid),))


def redacted_body(body: bytes) -> str:
    """The request as text with passwords and the session id blanked, for debug logs."""
    root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter("password", "sessionid"):
        element.text = REDACTED
    return etree.tostring(root, encoding="unicode")
