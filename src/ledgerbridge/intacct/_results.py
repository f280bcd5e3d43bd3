"""Typed values for what the gateway answers: control, authentication and one result per function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Status words used at all three levels; ``aborted`` only appears on function results."""

    SUCCESS = "success"
    FAILURE = "failure"
    ABORTED = "aborted"


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One ``<error>`` block, with the Support ID taken out of the human text."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""
    support_id: str | None = None

    @property
    def message(self) -> str:
        """The most specific human text present."""
        return self.description2 or self.description or self.errorno


@dataclass(frozen=True, slots=True)
class Control:
    """The echoed ``<control>`` block."""

    status: Status
    senderid: str = ""
    controlid: str = ""
    uniqueid: str = ""
    dtdversion: str = ""


@dataclass(frozen=True, slots=True)
class Authentication:
    """The echoed ``<authentication>`` block of the operation."""

    status: Status
    userid: str = ""
    companyid: str = ""
    locationid: str = ""
    sessiontimestamp: dt.datetime | None = None
    sessiontimeout: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One object in ``<data>``: leaf fields by name, nested elements (lines, related records) by tag."""

    tag: str
    fields: Mapping[str, str] = field(default_factory=dict)
    related: Mapping[str, tuple[Record, ...]] = field(default_factory=dict)
    # A leaf that occurs more than once (getDimensionRestrictedData's <value> list): every text, in order.
    repeated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self, name: str) -> tuple[str, ...]:
        """Every text of a leaf field, however often it occurs (empty when absent)."""
        if name in self.repeated:
            return self.repeated[name]
        return (self.fields[name],) if name in self.fields else ()

    def __getitem__(self, name: str) -> str:
        return self.fields[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.fields.get(name, default)


@dataclass(frozen=True, slots=True)
class Data:
    """A ``<data>`` element: its paging attributes and the records inside."""

    listtype: str = ""
    count: int | None = None
    totalcount: int | None = None
    numremaining: int | None = None
    offset: int | None = None
    result_id: str = ""
    records: tuple[Record, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one function, matched to the request by its controlid."""

    status: Status
    function: str
    controlid: str
    data: Data | None = None
    key: str | None = None
    errors: tuple[ErrorDetail, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is Status.SUCCESS

    @property
    def recordnos(self) -> tuple[str, ...]:
        """Keys of what a create touched: the legacy ``<key>`` or each record's RECORDNO."""
        if self.key is not None:
            return tuple(part for part in self.key.split(",") if part)
        if self.data is None:
            return ()
        return tuple(number for item in self.data.records if (number := item.get("RECORDNO")))


@dataclass(frozen=True, slots=True)
class Response:
    """A whole gateway response. ``errors`` belong to the level that failed (control or authentication)."""

    control: Control
    authentication: Authentication | None = None
    results: tuple[Result, ...] = ()
    errors: tuple[ErrorDetail, ...] = ()

    _by_controlid: dict[str, Result] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A request carries up to a hundred functions, each looked up by controlid: index them once.
        by_controlid: dict[str, Result] = {}
        for result in self.results:
            by_controlid.setdefault(result.controlid, result)
        object.__setattr__(self, "_by_controlid", by_controlid)

    def result_for(self, controlid: str) -> Result | None:
        """The first result for the controlid."""
        return self._by_controlid.get(controlid)
