"""What a function sees while it runs: who called, for which company and entity, and the store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from starlette.requests import Request

from ledgerbridge.sandbox.store import Company, Store, User

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"


def endpoint_for(request: Request) -> str:
    """The gateway URL on the host name the client used, as Intacct answers on the client's own pod."""
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}{GATEWAY_PATH}"


@dataclass(slots=True)
class Ctx:
    store: Store
    company: Company
    user: User
    entity: str
    senderid: str
    endpoint: str
    keep_whitespace: bool = False
    open_session: Callable[[str], str] = field(default=lambda entity: "")
    # Facts that cannot change within one request (entities, card offset accounts), looked up once.
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def companyid(self) -> str:
        return self.company.companyid


@dataclass(slots=True)
class Output:
    """A function's successful outcome: a ``<data>`` element, a legacy ``<key>``, or nothing."""

    data: etree._Element | None = None
    key: str | None = None


Handler = Callable[[Ctx, etree._Element], Output]
