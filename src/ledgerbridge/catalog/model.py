"""Types of the INT error catalog: entries, fix paths and steps, and rendered errors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from string import Formatter
from typing import Any

Code = str
"""An INT code such as 'INT860'."""

Placeholder = str
"""The name of a value filled into a template, such as 'account'."""


class Kind(StrEnum):
    """When an error shows up: exporting a report, syncing, or using the connection."""

    EXPORT = "export"
    SYNC = "sync"
    CONNECTION = "connection"

    @property
    def label(self) -> str:
        """The words after the code in a message, e.g. 'Export Error'."""
        return f"{self.value.capitalize()} Error"


class Place(StrEnum):
    """Where a fix step is carried out."""

    SAGE_INTACCT = "sage_intacct"
    WORKSPACE_SETTINGS = "workspace_settings"
    REPORT = "report"

    @property
    def label(self) -> str:
        """The place as people name it."""
        return _PLACE_LABELS[self]


_PLACE_LABELS = {
    Place.SAGE_INTACCT: "Sage Intacct",
    Place.WORKSPACE_SETTINGS: "Workspace settings",
    Place.REPORT: "The report",
}


class Action(StrEnum):
    """A standard step the product can carry out for the user in one click or one command."""

    SYNC_NOW = "sync_now"
    RETRY_EXPORT = "retry_export"


class CatalogError(ValueError):
    """Catalog data that breaks the catalog's rules; lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid INT catalog:\n" + "\n".join(f"- {problem}" for problem in problems))
        self.problems = tuple(problems)


class UnknownCodeError(LookupError):
    """A code that is not in the catalog."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown error code {code!r}: not in the INT catalog")
        self.code = code


class PlaceholderValueError(ValueError):
    """Values for a message that are missing, blank or not used by any of its templates."""


@lru_cache(maxsize=1024)
def placeholders_of(template: str) -> frozenset[Placeholder]:
    """The named placeholders of a str.format template (assumes it passed validation).

    Remembered per template: the catalog's templates are few, and every rendering asks for them.
    """
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


@dataclass(frozen=True, slots=True)
class FixStep:
    """One thing to do, where it is done, and whether it takes Sage Intacct admin rights."""

    text: str
    place: Place
    needs_intacct_admin: bool
    action: Action | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "text": self.text,
            "place": self.place.value,
            "needs_intacct_admin": self.needs_intacct_admin,
            "action": None if self.action is None else self.action.value,
        }


@dataclass(frozen=True, slots=True)
class FixPath:
    """One way to resolve an error: a titled sequence of steps; the first path is the usual one."""

    title: str
    steps: tuple[FixStep, ...]

    @property
    def needs_sync(self) -> bool:
        """Whether this way includes Sync Now."""
        return any(step.action is Action.SYNC_NOW for step in self.steps)

    @property
    def needs_intacct_admin(self) -> bool:
        """Whether any step takes Sage Intacct admin rights."""
        return any(step.needs_intacct_admin for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "title": self.title,
            "needs_sync": self.needs_sync,
            "needs_intacct_admin": self.needs_intacct_admin,
            "steps": [step.as_dict() for step in self.steps],
        }


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """A question people ask about an error, and its answer."""

    question: str
    answer: str

    def as_dict(self) -> dict[str, str]:
        """A JSON-ready form."""
        return {"question": self.question, "answer": self.answer}


@dataclass(frozen=True, slots=True)
class Entry:
    """One INT code: what it says, why it happens, and how to fix it."""

    code: Code
    kind: Kind
    title: str
    messages: tuple[str, ...]
    cause: str
    fixes: tuple[FixPath, ...]
    faq: tuple[FaqEntry, ...]

    @property
    def placeholders(self) -> frozenset[Placeholder]:
        """Every placeholder any message variant uses."""
        return frozenset().union(*(placeholders_of(message) for message in self.messages))

    @property
    def required_placeholders(self) -> frozenset[Placeholder]:
        """Placeholders every message variant uses, so every rendering has them."""
        return frozenset.intersection(*(placeholders_of(message) for message in self.messages))

    @property
    def needs_sync(self) -> bool:
        """Whether the usual fix (the first path) includes Sync Now."""
        return self.fixes[0].needs_sync

    @property
    def needs_intacct_admin(self) -> bool:
        """Whether the usual fix (the first path) takes Sage Intacct admin rights."""
        return self.fixes[0].needs_intacct_admin

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form, templates left unfilled."""
        return {
            "code": self.code,
            "kind": self.kind.value,
            "title": self.title,
            "messages": list(self.messages),
            "placeholders": sorted(self.placeholders),
            "cause": self.cause,
            "needs_sync": self.needs_sync,
            "needs_intacct_admin": self.needs_intacct_admin,
            "fixes": [fix.as_dict() for fix in self.fixes],
            "faq": [item.as_dict() for item in self.faq],
        }


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every INT code, in code order, plus the meaning of each placeholder name."""

    entries: tuple[Entry, ...]
    placeholder_meanings: Mapping[Placeholder, str] = field(default_factory=dict)
    unknown_code: Code = "INT000"

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and any(entry.code == code.upper() for entry in self.entries)

    def get(self, code: str) -> Entry:
        """The entry for a code, e.g. 'INT860' or 'int860'; unknown codes raise UnknownCodeError."""
        wanted = code.strip().upper()
        for entry in self.entries:
            if entry.code == wanted:
                return entry
        raise UnknownCodeError(code)


@dataclass(frozen=True, slots=True)
class RenderedError:
    """An INT error with real values filled in: the message, why it happened, and how to fix it."""

    code: Code
    kind: Kind
    title: str
    message: str
    why: str
    fixes: tuple[FixPath, ...]
    faq: tuple[FaqEntry, ...]
    values: tuple[tuple[Placeholder, str], ...]

    @property
    def needs_sync(self) -> bool:
        """Whether the usual fix (the first path) includes Sync Now."""
        return self.fixes[0].needs_sync

    @property
    def needs_intacct_admin(self) -> bool:
        """Whether the usual fix (the first path) takes Sage Intacct admin rights."""
        return self.fixes[0].needs_intacct_admin

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "code": self.code,
            "kind": self.kind.value,
            "title": self.title,
            "message": self.message,
            "why": self.why,
            "values": dict(self.values),
            "needs_sync": self.needs_sync,
            "needs_intacct_admin": self.needs_intacct_admin,
            "fixes": [fix.as_dict() for fix in self.fixes],
            "faq": [item.as_dict() for item in self.faq],
        }
