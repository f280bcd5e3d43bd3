"""Fills an INT code's templates with real values: the message, why, fix steps and FAQ."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ledgerbridge.catalog.model import (
    Catalog,
    Entry,
    FixPath,
    Kind,
    Placeholder,
    PlaceholderValueError,
    RenderedError,
    placeholders_of,
)


def _given_values(entry: Entry, values: Mapping[str, object]) -> dict[Placeholder, str]:
    """Values as text; None means 'not known' and is dropped, blank text is refused."""
    given: dict[Placeholder, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        text = str(value).strip()
        if not text:
            raise PlaceholderValueError(f"{entry.code}: value for {name!r} is blank")
        given[name] = text
    unknown = sorted(set(given) - entry.placeholders)
    if unknown:
        accepted = ", ".join(sorted(entry.placeholders)) or "none"
        raise PlaceholderValueError(
            f"{entry.code} has no placeholder {', '.join(map(repr, unknown))}; it accepts: {accepted}"
        )
    return given


def _choose_message(entry: Entry, given: Mapping[Placeholder, str]) -> str:
    """The message variant whose placeholders are exactly the values given."""
    names = frozenset(given)
    for message in entry.messages:
        if placeholders_of(message) == names:
            return message
    wider = [placeholders_of(message) for message in entry.messages if placeholders_of(message) > names]
    if wider:
        missing = sorted(min(wider, key=len) - names)
        raise PlaceholderValueError(f"{entry.code} needs a value for {', '.join(map(repr, missing))}")
    shapes = "; ".join(", ".join(sorted(placeholders_of(message))) or "(no values)"
                       for message in entry.messages)
    raise PlaceholderValueError(
        f"{entry.code} has no message for exactly {', '.join(sorted(names))}; it takes one of: {shapes}"
    )


def show_placeholders(template: str) -> str:
    """A template with each placeholder shown as [name], for documentation."""
    return template.format_map({name: f"[{name}]" for name in placeholders_of(template)})


def _fill(template: str, values: Mapping[Placeholder, str]) -> str:
    return template.format_map({name: values[name] for name in placeholders_of(template)})


def _fill_path(path: FixPath, values: Mapping[Placeholder, str]) -> FixPath:
    return FixPath(path.title, tuple(replace(step, text=_fill(step.text, values)) for step in path.steps))


def render_entry(entry: Entry, values: Mapping[str, object], kind: Kind | None = None) -> RenderedError:
    """An entry filled with values; missing, blank or unknown values raise PlaceholderValueError."""
    given = _given_values(entry, values)
    template = _choose_message(entry, given)
    shown_kind = kind or entry.kind
    return RenderedError(
        code=entry.code,
        kind=shown_kind,
        title=entry.title,
        message=f"{entry.code} {shown_kind.label}: {_fill(template, given)}",
        why=_fill(entry.cause, given),
        fixes=tuple(_fill_path(path, given) for path in entry.fixes),
        faq=entry.faq,
        values=tuple(sorted(given.items())),
    )


def render_from(catalog: Catalog, code: str, values: Mapping[str, object]) -> RenderedError:
    """Renders a code of the given catalog; unknown codes raise UnknownCodeError."""
    return render_entry(catalog.get(code), values)


def render_unknown_from(
    catalog: Catalog, intacct_text: str, *, intacct_error: str | None = None, kind: Kind = Kind.EXPORT
) -> RenderedError:
    """The generic code for an Intacct error with no INT code, keeping Intacct's own text."""
    entry = catalog.get(catalog.unknown_code)
    return render_entry(entry, {"intacct_text": intacct_text, "intacct_error": intacct_error}, kind)
