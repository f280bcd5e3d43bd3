"""The INT error catalog as data: every code, its message, cause, fix steps and FAQ."""

from __future__ import annotations

from ledgerbridge.catalog.loader import load_catalog, load_default_catalog
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
    PlaceholderValueError,
    RenderedError,
    UnknownCodeError,
)
from ledgerbridge.catalog.render import render_from, render_unknown_from

CATALOG: Catalog = load_default_catalog()
"""The shipped catalog, validated when this package is first imported."""

UNKNOWN_CODE = CATALOG.unknown_code


def render(code: str, **values: object) -> RenderedError:
    """INT code `code` with real values filled in; a value of None counts as not known."""
    return render_from(CATALOG, code, values)


def render_unknown(
    intacct_text: str, *, intacct_error: str | None = None, kind: Kind = Kind.EXPORT
) -> RenderedError:
    """The generic code for an Intacct error without an INT code, showing Intacct's own text."""
    return render_unknown_from(CATALOG, intacct_text, intacct_error=intacct_error, kind=kind)


__all__ = [
    "CATALOG",
    "UNKNOWN_CODE",
    "Action",
    "Catalog",
    "CatalogError",
    "Entry",
    "FaqEntry",
    "FixPath",
    "FixStep",
    "Kind",
    "Place",
    "PlaceholderValueError",
    "RenderedError",
    "UnknownCodeError",
    "load_catalog",
    "render",
    "render_unknown",
]
