"""A scripted Intacct gateway behind httpx.MockTransport, and clients wired to it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import httpx
from lxml import etree

from ledgerbridge.intacct import (
    ClientOptions,
    IntacctClient,
    Login,
    RetryPolicy,
    Sender,
)

T = TypeVar("T")

SENDER_PASSWORD = "sender-pw-Zq81!"
USER_PASSWORD = "user-pw-Kx27?"
LOGIN_ENDPOINT = "https://api.intacct.test/ia/xml/xmlgw.phtml"
SESSION_ENDPOINT = "https://c7.intacct.test/ia/xml/xmlgw.phtml"


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


def error_xml(errorno: str, description2: str = "", description: str = "", correction: str = "") -> str:
    return (f"<error><errorno>{escape(errorno)}</errorno><description>{escape(description)}</description>"
            f"<description2>{escape(description2)}</description2><correction>{escape(correction)}</correction>"
            "</error>")


def result_xml(function: str, controlid: str, status: str = "success", inner: str = "") -> str:
    return (f"<result><status>{status}</status><function>{function}</function>"
            f"<controlid>{escape(controlid)}</controlid>{inner}</result>")


def failure_xml(function: str, controlid: str, *errors: str, status: str = "failure") -> str:
    return result_xml(function, controlid, status, "<errormessage>" + "".join(errors) + "</errormessage>")


def response_xml(results: str = "", *, auth_status: str = "success", auth_errors: str = "",
                 control_status: str = "success", control_errors: str = "") -> str:
    control = (f"<control><status>{control_status}</status><senderid>ledgerbridge</senderid>"
               "<controlid>r</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>")
    if control_status != "success":
        return f"<response>{control}<errormessage>{control_errors}</errormessage></response>"
    authentication = (f"<authentication><status>{auth_status}</status><userid>xml_gateway</userid>"
                      "<companyid>DEMO</companyid><locationid></locationid>"
                      "<sessiontimestamp>2026-11-30T10:00:00+00:00</sessiontimestamp>"
                      "<sessiontimeout>2026-12-01T10:00:00+00:00</sessiontimeout></authentication>")
    if auth_status != "success":
        return (f"<response>{control}<operation>{authentication}<errormessage>{auth_errors}</errormessage>"
                "</operation></response>")
    return f"<response>{control}<operation>{authentication}{results}</operation></response>"


def xml_response(body: str, status_code: int = 200) -> httpx.Response:
    return httpx.Response(status_code, content=body.encode(), headers={"Content-Type": "text/xml; charset=UTF-8"})


@dataclass
class SentRequest:
    url: str
    root: etree._Element

    @property
    def functions(self) -> list[etree._Element]:
        return self.root.findall("operation/content/function")

    @property
    def function_names(self) -> list[str]:
        return [str(function[0].tag) for function in self.functions]

    @property
    def controlids(self) -> list[str]:
        return [function.get("controlid", "") for function in self.functions]

    @property
    def uniqueid(self) -> str:
        return self.root.findtext("control/uniqueid") or ""

    @property
    def session_id(self) -> str | None:
        return self.root.findtext("operation/authentication/sessionid")


Answer = Callable[[etree._Element, str], str]


def echo_success(function: etree._Element, controlid: str) -> str:
    """Creates answer with a RECORDNO; everything else with an empty list."""
    name = str(function.tag)
    if name == "create":
        records = "".join(f"<{child.tag.lower()}><RECORDNO>{index + 1}</RECORDNO></{child.tag.lower()}>"
                          for index, child in enumerate(function))
        return result_xml(name, controlid, inner=f'<data listtype="objects" count="{len(function)}">{records}</data>')
    if name.startswith(("record_", "create_")):
        return result_xml(name, controlid, inner="<key>4242</key>")
    return result_xml(name, controlid, inner='<data listtype="objects" count="0" totalcount="0"/>')


@dataclass
class FakeGateway:
    """Answers like the gateway: login + getAPISession, sessions that can expire, scripted function answers."""

    answer: Answer = echo_success
    sessions: set[str] = field(default_factory=set)
    requests: list[SentRequest] = field(default_factory=list)
    # Responses (or exceptions) to hand out before the normal behaviour, one per request.
    script: list[httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]] = field(
        default_factory=list)
    session_counter: int = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        root = etree.fromstring(request.content)
        self.requests.append(SentRequest(str(request.url), root))
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, Exception):
                raise step
            if callable(step):
                return step(request)
            return step
        return xml_response(self.respond(root))

    def respond(self, root: etree._Element) -> str:
        if root.findtext("control/password") != SENDER_PASSWORD:
            return response_xml(control_status="failure", control_errors=error_xml(
                "XL03000006", "Incorrect Intacct XML Partner ID or password."))
        login = root.find("operation/authentication/login")
        functions = root.findall("operation/content/function")
        if login is not None:
            if login.findtext("password") != USER_PASSWORD:
                return response_xml(auth_status="failure",
                                    auth_errors=error_xml("XL03000006", "Sign-in information is incorrect"))
            if functions[0].find("getAPISession") is None:  # work signed in by the request itself
                return response_xml("".join(self.answer(function[0], function.get("controlid", ""))
                                            for function in functions))
            self.session_counter += 1
            session = f"SESSION-{self.session_counter:04d}-abcdef"
            self.sessions.add(session)
            function = functions[0]
            return response_xml(result_xml(
                "getAPISession", function.get("controlid", ""),
                inner=f"<data><api><sessionid>{session}</sessionid><endpoint>{SESSION_ENDPOINT}</endpoint>"
                      "<locationid></locationid></api></data>"))
        if root.findtext("operation/authentication/sessionid") not in self.sessions:
            return response_xml(auth_status="failure", auth_errors=error_xml(
                "XL03000006", "Invalid session", "Authentication failed"))
        return response_xml("".join(self.answer(function[0], function.get("controlid", ""))
                                    for function in functions))

    def expire_sessions(self) -> None:
        self.sessions.clear()

    @property
    def work_requests(self) -> list[SentRequest]:
        """Requests other than sign-ins."""
        return [sent for sent in self.requests if "getAPISession" not in sent.function_names]


FAST_RETRY = RetryPolicy(attempts=4, initial_wait=0.0, max_wait=0.0, jitter=0.0)


@dataclass
class SleepLog:
    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(gateway: Callable[[httpx.Request], Any], sender: Sender, credentials: Login,
                *, retry: RetryPolicy = FAST_RETRY, sleep: SleepLog | None = None, **options: Any) -> IntacctClient:
    return IntacctClient(
        sender, credentials,
        options=ClientOptions(endpoint=LOGIN_ENDPOINT, retry=retry, **options),
        transport=httpx.MockTransport(gateway),
        sleep=sleep or SleepLog(),
    )


