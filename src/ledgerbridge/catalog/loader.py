"""Turns catalog data into typed entries, reporting every broken rule at once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from string import Formatter
from types import MappingProxyType
from typing import Any

from ledgerbridge.catalog import entries as data
from ledgerbridge.catalog.model import (
    Action,
    Catalog,
    CatalogError,
    Entry,
    FaqEntry,
    FixPath,
    FixStep,
    Kind,
    Place,
    placeholders_of,
)

_CODE = re.compile(r"INT\d{3}")


class _Problems:
    """Collects what is wrong, with where it is wrong."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.found.append(f"{where}: {what}")


def _text(raw: Mapping[str, Any], key: str, where: str, problems: _Problems) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f"'{key}' must be non-empty text")
        return ""
    return value


def _template(
    template: str, where: str, allowed: frozenset[str], known: Mapping[str, str], problems: _Problems
) -> None:
    """Checks a str.format template: named fields only, no format specs, only allowed names."""
    try:
        fields = list(Formatter().parse(template))
    except ValueError as exc:
        problems.add(where, f"broken template ({exc}): {template!r}")
        return
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier():
            problems.add(where, f"placeholder {{{name}}} must be a plain name")
        elif name not in known:
            problems.add(where, f"placeholder {{{name}}} is not in PLACEHOLDERS")
        elif name not in allowed:
            problems.add(where, f"placeholder {{{name}}} is not in every message variant")
        if spec or conversion:
            problems.add(where, f"placeholder {{{name}}} must not carry a format spec or conversion")


def _step(
    raw: object, where: str, allowed: frozenset[str], known: Mapping[str, str], problems: _Problems
) -> FixStep | None:
    standard = {data.SYNC_NOW: (data.SYNC_NOW_STEP, Action.SYNC_NOW),
                data.RETRY: (data.RETRY_STEP, Action.RETRY_EXPORT)}
    if isinstance(raw, str) and raw in standard:
        raw_step, action = standard[raw]
        step = _step(raw_step, where, frozenset(), known, problems)
        return None if step is None else replace(step, action=action)
    if not isinstance(raw, Mapping):
        problems.add(where, f"a step must be a mapping, {data.SYNC_NOW!r} or {data.RETRY!r}")
        return None
    if set(raw) != {"where", "admin", "text"}:
        problems.add(where, "a step has exactly the keys 'where', 'admin' and 'text'")
    text = _text(raw, "text", where, problems)
    _template(text, where, allowed, known, problems)
    place = raw.get("where")
    if place not in {item.value for item in Place}:
        problems.add(where, f"'where' must be one of {[item.value for item in Place]}, not {place!r}")
        return None
    admin = raw.get("admin")
    if not isinstance(admin, bool):
        problems.add(where, "'admin' must be true or false")
        return None
    return FixStep(text, Place(place), admin)


def _fixes(
    raw: object, kind: Kind, where: str, allowed: frozenset[str], known: Mapping[str, str], problems: _Problems
) -> tuple[FixPath, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        problems.add(where, "'fixes' must be a non-empty list")
        return ()
    retry = _step(data.RETRY, "RETRY_STEP", frozenset(), known, problems)
    paths: list[FixPath] = []
    for number, path in enumerate(raw, start=1):
        at = f"{where} fix {number}"
        if not isinstance(path, Mapping):
            problems.add(at, "a fix must be a mapping with 'title' and 'steps'")
            continue
        title = _text(path, "title", at, problems)
        raw_steps = path.get("steps")
        if not isinstance(raw_steps, Sequence) or isinstance(raw_steps, str) or not raw_steps:
            problems.add(at, "'steps' must be a non-empty list")
            continue
        steps = [_step(step, f"{at} step {index}", allowed, known, problems)
                 for index, step in enumerate(raw_steps, start=1)]
        if kind is Kind.EXPORT and retry is not None and data.RETRY not in raw_steps:
            steps.append(retry)
        if kind is not Kind.EXPORT and data.RETRY in raw_steps:
            problems.add(at, "only export errors end with retrying the export")
        paths.append(FixPath(title, tuple(step for step in steps if step is not None)))
    return tuple(paths)


def _faq(raw: object, where: str, problems: _Problems) -> tuple[FaqEntry, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        problems.add(where, "'faq' must be a non-empty list of [question, answer] pairs")
        return ()
    items: list[FaqEntry] = []
    for number, pair in enumerate(raw, start=1):
        if (not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2
                or not all(isinstance(part, str) and part.strip() for part in pair)):
            problems.add(f"{where} faq {number}", "must be a [question, answer] pair of non-empty text")
            continue
        if not pair[0].rstrip().endswith("?"):
            problems.add(f"{where} faq {number}", "a question ends with '?'")
        items.append(FaqEntry(pair[0], pair[1]))
    return tuple(items)


def _messages(raw: object, where: str, known: Mapping[str, str], problems: _Problems) -> tuple[str, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        problems.add(where, "'messages' must be a non-empty list of templates")
        return ()
    messages: list[str] = []
    seen: dict[frozenset[str], int] = {}
    for number, message in enumerate(raw, start=1):
        at = f"{where} message {number}"
        if not isinstance(message, str) or not message.strip():
            problems.add(at, "must be non-empty text")
            continue
        before = len(problems.found)
        _template(message, at, frozenset(known), known, problems)
        if len(problems.found) > before:
            continue
        names = placeholders_of(message)
        if names in seen:
            problems.add(at, f"uses the same placeholders as message {seen[names]}; the renderer could not "
                         "choose between them")
        seen[names] = number
        messages.append(message)
    return tuple(messages)


def _entry(raw: object, index: int, known: Mapping[str, str], problems: _Problems) -> Entry | None:
    if not isinstance(raw, Mapping):
        problems.add(f"entry {index}", "must be a mapping")
        return None
    code = raw.get("code")
    where = code if isinstance(code, str) else f"entry {index}"
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        problems.add(where, f"code must look like INT123, not {code!r}")
    expected = {"code", "kind", "title", "messages", "cause", "fixes", "faq"}
    if set(raw) != expected:
        problems.add(where, f"keys must be exactly {sorted(expected)}, got {sorted(raw)}")
    kind_text = raw.get("kind")
    if kind_text not in {item.value for item in Kind}:
        problems.add(where, f"kind must be one of {[item.value for item in Kind]}, not {kind_text!r}")
        return None
    kind = Kind(kind_text)
    title = _text(raw, "title", where, problems)
    faq = _faq(raw.get("faq"), where, problems)
    messages = _messages(raw.get("messages"), where, known, problems)
    if not messages:
        return None
    required = frozenset.intersection(*(placeholders_of(message) for message in messages))
    cause = _text(raw, "cause", where, problems)
    _template(cause, f"{where} cause", required, known, problems)
    fixes = _fixes(raw.get("fixes"), kind, where, required, known, problems)
    if not isinstance(code, str) or not fixes:
        return None
    return Entry(code, kind, title, messages, cause, fixes, faq)


def load_catalog(
    raw_entries: Sequence[object],
    placeholder_meanings: Mapping[str, str],
    unknown_code: str = data.UNKNOWN_CODE,
) -> Catalog:
    """Validates catalog data into a Catalog; raises CatalogError listing every problem found."""
    problems = _Problems()
    loaded = [_entry(raw, index, placeholder_meanings, problems) for index, raw in enumerate(raw_entries)]
    entries = [entry for entry in loaded if entry is not None]
    codes = [entry.code for entry in entries]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        problems.add(code, "code appears more than once")
    if unknown_code not in codes:
        problems.add(unknown_code, "the code for unrecognised Intacct errors has no entry")
    used = frozenset().union(*(entry.placeholders for entry in entries))
    for name in sorted(set(placeholder_meanings) - used):
        problems.add("PLACEHOLDERS", f"{name!r} is described but no message uses it")
    if problems.found:
        raise CatalogError(problems.found)
    return Catalog(
        tuple(sorted(entries, key=lambda entry: entry.code)),
        MappingProxyType(dict(placeholder_meanings)),
        unknown_code,
    )


def load_default_catalog() -> Catalog:
    """The catalog that ships with ledgerbridge."""
    return load_catalog(data.ENTRIES, data.PLACEHOLDERS)
