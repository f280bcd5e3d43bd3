"""Generates the error pages under docs/errors from the catalog; run as a module to write them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ledgerbridge.catalog import CATALOG
from ledgerbridge.catalog.model import Catalog, Entry, FixPath
from ledgerbridge.catalog.render import show_placeholders as _shown

DEFAULT_DIR = Path("docs/errors")
_BANNER = (
    "<!-- Generated from src/ledgerbridge/catalog/entries.py by `python -m ledgerbridge.catalog.docs`. "
    "Edit the catalog, not this page. -->"
)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _path_lines(number: int, path: FixPath) -> list[str]:
    usual = " (usual fix)" if number == 1 else ""
    lines = [
        f"### {number}. {path.title}{usual}",
        "",
        f"Sage Intacct admin rights: {_yes(path.needs_intacct_admin)} · Sync Now: {_yes(path.needs_sync)}",
        "",
    ]
    for index, step in enumerate(path.steps, start=1):
        admin = ", admin" if step.needs_intacct_admin else ""
        lines.append(f"{index}. **{step.place.label}{admin}:** {_shown(step.text)}")
    lines.append("")
    return lines


def render_page(entry: Entry, catalog: Catalog) -> str:
    """The Markdown page of one code."""
    first, *variants = entry.messages
    lines = [
        _BANNER,
        "",
        f"# {entry.code} {entry.kind.label}: {entry.title}",
        "",
        f"Kind: {entry.kind.value} · Sync Now needed for the usual fix: {_yes(entry.needs_sync)} · "
        f"Sage Intacct admin rights for the usual fix: {_yes(entry.needs_intacct_admin)}",
        "",
        "## Message",
        "",
        f"> {entry.code} {entry.kind.label}: {_shown(first)}",
        "",
    ]
    if variants:
        lines += ["When some values are not known, the message reads:", ""]
        lines += [f"- {entry.code} {entry.kind.label}: {_shown(variant)}" for variant in variants]
        lines.append("")
    if entry.placeholders:
        lines += ["Values filled in:", ""]
        lines += [f"- `{name}`: {catalog.placeholder_meanings.get(name, '')}" for name in sorted(entry.placeholders)]
        lines.append("")
    lines += ["## Why it happens", "", _shown(entry.cause), "", "## How to fix it", ""]
    if len(entry.fixes) > 1:
        lines += ["Any one of these ways resolves the error.", ""]
    for number, path in enumerate(entry.fixes, start=1):
        lines += _path_lines(number, path)
    lines += ["## FAQ", ""]
    for item in entry.faq:
        lines += [f"**{item.question}**", "", item.answer, ""]
    lines += ["[All error codes](index.md)", ""]
    return "\n".join(lines)


def render_index(catalog: Catalog) -> str:
    """The Markdown index of every code."""
    lines = [
        _BANNER,
        "",
        "# Sage Intacct error codes",
        "",
        "Every failure ledgerbridge reports while exporting, syncing or connecting to Sage Intacct carries one "
        "of these INT codes, with the real account, card, employee or vendor filled in.",
        "",
        f"{catalog.unknown_code} is ledgerbridge's own code for a Sage Intacct error that matches no other "
        "code; its message keeps Intacct's text. It shows as an export, sync or connection error depending "
        "on where it happened. No published INT code uses the number 000, so it cannot be mistaken for one.",
        "",
        "| Code | Kind | Title | Sync Now (usual fix) | Intacct admin (usual fix) |",
        "|---|---|---|---|---|",
    ]
    for entry in catalog:
        lines.append(
            f"| [{entry.code}]({entry.code}.md) | {entry.kind.value} | {entry.title} | "
            f"{_yes(entry.needs_sync)} | {_yes(entry.needs_intacct_admin)} |"
        )
    lines.append("")
    return "\n".join(lines)


def render_pages(catalog: Catalog = CATALOG) -> dict[str, str]:
    """Every page by file name relative to docs/errors: one per code plus index.md."""
    pages = {f"{entry.code}.md": render_page(entry, catalog) for entry in catalog}
    pages["index.md"] = render_index(catalog)
    return pages


def drifted(directory: Path, pages: Mapping[str, str]) -> list[str]:
    """Names of pages that are missing, different, or no longer generated."""
    on_disk = {path.name for path in directory.glob("*.md")} if directory.is_dir() else set()
    stale = sorted(name for name in on_disk - set(pages) if name.startswith("INT"))
    changed = sorted(
        name for name, text in pages.items()
        if name not in on_disk or (directory / name).read_text(encoding="utf-8") != text
    )
    return changed + stale


def write_pages(directory: Path, pages: Mapping[str, str]) -> list[str]:
    """Writes the pages, removes pages of codes no longer in the catalog; returns what changed."""
    changes = drifted(directory, pages)
    directory.mkdir(parents=True, exist_ok=True)
    for name in changes:
        if name in pages:
            (directory / name).write_text(pages[name], encoding="utf-8")
        else:
            (directory / name).unlink()
    return changes


def main(argv: Sequence[str] | None = None) -> int:
    """Writes (or with --check, verifies) the error pages."""
    parser = argparse.ArgumentParser(prog="python -m ledgerbridge.catalog.docs", description=__doc__)
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--check", action="store_true", help="only report pages that differ; exit 1 if any")
    options = parser.parse_args(argv)
    pages = render_pages()
    if options.check:
        changes = drifted(options.directory, pages)
        for name in changes:
            print(f"out of date: {options.directory / name}")
        return 1 if changes else 0
    changes = write_pages(options.directory, pages)
    print(f"{len(changes)} page(s) updated in {options.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
