"""Turns what Sage Intacct refused into INT codes with real values, keeping Intacct's own errors.

`translate` is the one translation for a failed function (a create that Intacct refused): it reads every
`<error>`, lets the most specific one decide, keeps the others as further problems, and treats generic
wrappers ("Could not create ... record!", the XL03000009 rollback) as context. `translate_exception`
covers what fails before or around the function (sign-in, authorization, permissions, rate limits, sessions,
the network), and `translate_sync` what fails while Sync Now reads Intacct.

Where each INT code comes from:

- Intacct function errors (`PATTERNS`; preflight predicts most of them too): INT009, INT012, INT028, INT035,
  INT073, INT083, INT084, INT088, INT093, INT149, INT205, INT225, INT446, INT459, INT480,
  INT498 (a journal entry refused for its unknown or inactive journal, or for none), INT503, INT592, INT664,
  INT680, INT771, INT860.
- INT043: PL04000005 (no permission for the API operation), at the function or at authentication.
- INT304: a coding error (INT084, INT459, INT860, ...) on lines whose amounts are all zero.
- INT993: a credit card charge refused with nothing but a generic wrapper, or its exchange breaking down.
- INT176, INT907: control/authentication errors and transport outcomes during an export.
- Sync (`translate_sync`, `no_expense_types`, `no_card_journal`): INT122 and INT245 (sign-in, permissions), INT402
  (a dimension that cannot be read), INT068 (creating the card liability account), INT576 (no expense types),
  INT498 (no active journal for company card journal entries among the synced journals).
- INT000: any Intacct error no code describes; the message shows Intacct's own text.

Preflight-only (no Intacct error produces them; see `PREFLIGHT_ONLY`): INT054, INT194.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from ledgerbridge.catalog import CATALOG, UNKNOWN_CODE, Kind, RenderedError, render, render_unknown
from ledgerbridge.catalog.model import placeholders_of
from ledgerbridge.export.context import DocumentContext, DocumentLine, ExportType
from ledgerbridge.export.failure import ExportFailure, Problem, SyncFailure
from ledgerbridge.export.intacct_patterns import (
    CARD_CHARGE_OBJECTS,
    CONNECTION_RULES,
    PATTERNS,
    WRAPPER_ERRORNOS,
    WRAPPERS,
    Fill,
    Group,
    LocateBy,
    Pattern,
    Source,
)
from ledgerbridge.export.preflight.context import dimension_label
from ledgerbridge.intacct import (
    ConfigurationError,
    Disposition,
    ErrorDetail,
    FunctionFailedError,
    IntacctError,
    ReauthenticationError,
    Result,
    RetriableError,
    Status,
    UncertainOutcomeError,
)

_PERMISSION = re.compile(r"You do not have permission for API operation|not authorized to execute", re.IGNORECASE)
_UNREADABLE_OBJECT = re.compile(r"Object definition .+ not found|cannot be performed on objects of type",
                                re.IGNORECASE)
_NOT_SUBSCRIBED = re.compile(r"not subscribed|is not enabled|not turned on", re.IGNORECASE)
_LIABILITY_OBJECTS = frozenset({"GLACCOUNT", "CREDITCARD"})
_DIMENSION_READS = frozenset({"query", "readByQuery", "readMore", "read", "readByName", "lookup"})


def translate(result: Result, context: DocumentContext) -> ExportFailure:
    """The INT code a failed function result means for the document described by `context`."""
    if result.ok:
        raise ValueError(f"{result.function} {result.controlid!r} succeeded; there is nothing to translate")
    found: list[tuple[Problem, Disposition]] = []
    seen: set[tuple[str, str, tuple[int, ...]]] = set()
    for error in result.errors:
        if _is_wrapper(error):
            continue
        problem, disposition = _problem_for(error, context)
        key = (problem.code, problem.error.message, tuple(line.line for line in problem.lines))
        if key not in seen:
            seen.add(key)
            found.append((problem, disposition))
    if not found:
        found.append(_without_specific_error(result, context))
    return ExportFailure(
        problems=tuple(problem for problem, _ in found),
        intacct_errors=result.errors,
        disposition=found[0][1],
        function=result.function,
        controlid=result.controlid,
    )


def translate_exception(error: IntacctError, context: DocumentContext | None = None) -> ExportFailure:
    """The INT code for an export that failed before or around its function: sign-in, rights, limits, network."""
    if isinstance(error, FunctionFailedError) and context is not None and error.result.function != "getAPISession":
        return translate(error.result, context)
    disposition = _disposition_of(error)
    card_charge = context is not None and context.export_type is ExportType.CREDIT_CARD_CHARGE
    code = _connection_code(error.errors, sync=False)
    rendered: RenderedError
    if code is not None and code != UNKNOWN_CODE:
        rendered = render(code)
    elif error.errors:
        rendered = _unknown(error.errors[0], Kind.CONNECTION)
    elif disposition in (Disposition.RETRY, Disposition.UNCERTAIN, Disposition.REAUTHENTICATE):
        # Nothing refused the document itself: the exchange broke down around it.
        rendered = (render("INT993", card=context.card_account_id) if card_charge and context is not None
                    else render("INT176"))
    elif disposition is Disposition.CONFIGURATION:
        rendered = render("INT907")
    else:
        rendered = render_unknown(str(error), kind=Kind.CONNECTION)
    lines = context.lines if context is not None else ()
    return ExportFailure(
        problems=(Problem(rendered, lines, error.errors[0] if error.errors else None, whole_document=True),),
        intacct_errors=error.errors,
        disposition=disposition,
        http_status=error.http_status,
    )


def translate_sync(
    failure: Result | IntacctError, *, object_name: str, dimension: str | None = None
) -> SyncFailure:
    """The INT code for a Sync Now step that failed: reading `object_name` (a dimension's, when given)."""
    if isinstance(failure, FunctionFailedError):
        failure = failure.result
    if isinstance(failure, IntacctError):
        return _sync_connection_failure(failure, object_name)
    if failure.ok:
        raise ValueError(f"{failure.function} {failure.controlid!r} succeeded; there is nothing to translate")
    specific = tuple(error for error in failure.errors if not _is_wrapper(error)) or failure.errors
    texts = " ".join(_text_of(error) for error in specific)
    errornos = {error.errorno for error in specific}
    obj = object_name.upper()
    rendered: RenderedError
    if failure.function in {"create", "update"} and obj in _LIABILITY_OBJECTS:
        rendered = render("INT068")
    elif (dimension and failure.function in _DIMENSION_READS
          and ("PL04000005" in errornos or "Query Failed" in errornos
               or _PERMISSION.search(texts) or _UNREADABLE_OBJECT.search(texts))):
        rendered = render("INT402", dimension=dimension_label(dimension))
    elif obj == "EEACCOUNTLABEL" and _NOT_SUBSCRIBED.search(texts):
        rendered = render("INT576")
    elif "PL04000005" in errornos or _PERMISSION.search(texts):
        rendered = render("INT245")
    elif specific:
        rendered = _unknown(specific[0], Kind.SYNC)
    else:
        rendered = render_unknown(f"{failure.function} failed without an error message", kind=Kind.SYNC)
    return SyncFailure(rendered, object_name, failure.errors)


def no_expense_types() -> SyncFailure:
    """INT576: the workspace exports expense reports, and Intacct returned no expense types to import."""
    return SyncFailure(render("INT576"), "EEACCOUNTLABEL")


def no_card_journal(journal: str | None) -> SyncFailure:
    """INT498: company card spend exports as journal entries and `journal` (None: none chosen) is no active
    journal among those Sync Now read."""
    return SyncFailure(render("INT498", journal=journal), "GLJOURNAL")


def _sync_connection_failure(error: IntacctError, object_name: str) -> SyncFailure:
    disposition = _disposition_of(error)
    code = _connection_code(error.errors, sync=True)
    rendered: RenderedError
    if code is not None and code != UNKNOWN_CODE:
        rendered = render(code)
    elif error.errors:
        rendered = _unknown(error.errors[0], Kind.SYNC)
    elif disposition is Disposition.CONFIGURATION:
        rendered = render("INT907")
    else:
        rendered = render_unknown(str(error), kind=Kind.SYNC)
    return SyncFailure(rendered, object_name, error.errors, disposition, error.http_status)


def _disposition_of(error: IntacctError) -> Disposition:
    for kind, disposition in _DISPOSITIONS:
        if isinstance(error, kind):
            return disposition
    return Disposition.FATAL


_DISPOSITIONS: tuple[tuple[type[IntacctError], Disposition], ...] = (
    (RetriableError, Disposition.RETRY),
    (UncertainOutcomeError, Disposition.UNCERTAIN),
    (ReauthenticationError, Disposition.REAUTHENTICATE),
    (ConfigurationError, Disposition.CONFIGURATION),
)


def _connection_code(errors: tuple[ErrorDetail, ...], *, sync: bool) -> str | None:
    for error in errors:
        text = _text_of(error)
        for rule in CONNECTION_RULES:
            if error.errorno in rule.errornos or (rule.regex is not None and rule.regex.search(text)):
                return rule.sync_code if sync else rule.export_code
    return None


def _text_of(error: ErrorDetail) -> str:
    """description2, description and correction, one per line; Intacct sometimes HTML-escapes quotes twice."""
    parts = (error.description2, error.description, error.correction)
    return "\n".join(html.unescape(part).strip() for part in parts if part and part.strip())


def _is_wrapper(error: ErrorDetail) -> bool:
    if error.errorno in WRAPPER_ERRORNOS:
        return True
    message = html.unescape(error.message).strip()
    return any(wrapper.search(message) for wrapper in WRAPPERS)


def _unknown(error: ErrorDetail, kind: Kind) -> RenderedError:
    text = html.unescape(error.message).strip() or error.errorno
    correction = html.unescape(error.correction).strip()
    if correction and correction not in text:
        text = f"{text} {correction}"
    number = error.errorno.strip()
    return render_unknown(text, intacct_error=number if number and number != text else None, kind=kind)


def _problem_for(error: ErrorDetail, context: DocumentContext) -> tuple[Problem, Disposition]:
    text = _text_of(error)
    for pattern in PATTERNS:
        if pattern.export_types is not None and context.export_type not in pattern.export_types:
            continue
        match = pattern.regex.search(text)
        if match is None:
            continue
        located = _locate(pattern, match, context)
        if located is None and pattern.must_locate:
            continue
        lines = located or ()
        if pattern.code == UNKNOWN_CODE:
            return Problem(_unknown(error, Kind.EXPORT), context.lines, error, whole_document=True), \
                pattern.disposition
        code, values = pattern.code, _values(pattern, match, lines, context)
        if pattern.coding and lines and all(line.amount is not None and not line.amount for line in lines):
            code, values = "INT304", {"expense": lines[0].shown_as}
        fitted = _fit(code, values)
        if fitted is None:
            # The text matched but the document cannot supply the values this code needs: try narrower ones.
            continue
        whole = not lines
        return Problem(render(code, **fitted), lines or context.lines, error, whole_document=whole), \
            pattern.disposition
    return Problem(_unknown(error, Kind.EXPORT), context.lines, error, whole_document=True), Disposition.FATAL


def _without_specific_error(result: Result, context: DocumentContext) -> tuple[Problem, Disposition]:
    """Only wrappers (or nothing) came back: the function failed as a whole."""
    wrapped = {match.group("object").strip().casefold()
               for error in result.errors
               if (match := WRAPPERS[0].search(html.unescape(error.message).strip()))}
    first = result.errors[0] if result.errors else None
    if result.status is Status.ABORTED or (result.errors and all(e.errorno in WRAPPER_ERRORNOS for e in result.errors)):
        # Rolled back because another function in the same transaction failed: nothing is wrong with this one.
        text = first.message if first is not None else f"{result.function} was rolled back"
        return Problem(render_unknown(text, kind=Kind.EXPORT), context.lines, first, whole_document=True), \
            Disposition.RETRY
    if context.export_type is ExportType.CREDIT_CARD_CHARGE and (
            wrapped & CARD_CHARGE_OBJECTS or result.function == "record_cctransaction"):
        rendered = render("INT993", card=context.card_account_id)
        return Problem(rendered, context.lines, first, whole_document=True), Disposition.FATAL
    if first is not None:
        return Problem(_unknown(first, Kind.EXPORT), context.lines, first, whole_document=True), Disposition.FATAL
    text = f"{result.function} failed without an error message"
    return Problem(render_unknown(text, kind=Kind.EXPORT), context.lines, None, whole_document=True), \
        Disposition.FATAL


def _locate(pattern: Pattern, match: re.Match[str], context: DocumentContext) -> tuple[DocumentLine, ...] | None:
    """The lines an error concerns; () for the document header; None when nothing matches what it names."""
    for locate in pattern.locate:
        value = (match.group(locate.group) or "") if locate.group else ""
        found: tuple[DocumentLine, ...] = ()
        if locate.by is LocateBy.ACCOUNT and value:
            found = context.lines_where(value, "gl_account")
        elif locate.by is LocateBy.TAG and value:
            found = context.lines_tagged(value)
        elif locate.by is LocateBy.EXPENSE_TYPE and value:
            found = context.lines_where(value, "expense_type") or context.lines_where(value, "category")
        elif locate.by is LocateBy.OTHER_VALUE and value:
            found = _lines_with_other_value(context, match.groupdict().get("dimension") or "", value)
        elif locate.by is LocateBy.UNCATEGORIZED:
            found = tuple(line for line in context.lines
                          if not (line.category or line.gl_account or line.expense_type))
        elif locate.by is LocateBy.BILLABLE:
            found = tuple(line for line in context.lines if line.billable)
        elif (locate.by is LocateBy.HEADER_VENDOR and value and context.vendor_id
              and value.strip().casefold() == context.vendor_id.strip().casefold()):
            return ()
        if found:
            return found
    return None


def _lines_with_other_value(context: DocumentContext, dimension: str, value: str) -> tuple[DocumentLine, ...]:
    wanted, required = dimension.strip().casefold(), value.strip().casefold()
    return tuple(
        line for line in context.lines
        if any(name.strip().casefold() == wanted and tag.strip().casefold() != required
               for name, tag in line.dimensions.items())
    )


def _values(
    pattern: Pattern, match: re.Match[str], lines: tuple[DocumentLine, ...], context: DocumentContext
) -> dict[str, str]:
    values = {name: text.strip() for name, text in match.groupdict().items() if text and text.strip()}
    for placeholder, sources in pattern.fills.items():
        if placeholder in values:
            continue
        for source in sources:
            value = _value_from(source, match, lines, context)
            if value:
                values[placeholder] = value
                break
    return values


def _value_from(
    source: Fill, match: re.Match[str], lines: tuple[DocumentLine, ...], context: DocumentContext
) -> str | None:
    if isinstance(source, Group):
        return match.groupdict().get(source.name)
    line = lines[0] if lines else None
    by_line: Mapping[Source, str | None] = {} if line is None else {
        Source.LINE_NUMBER: str(line.line),
        Source.LINE_EXPENSE: line.shown_as,
        Source.LINE_CATEGORY: line.category,
        Source.LINE_ACCOUNT: line.gl_account,
        Source.LINE_CARD: line.card_account_id,
        Source.LINE_EMPLOYEE: line.employee,
    }
    if source in by_line:
        return by_line[source]
    by_header: Mapping[Source, str | None] = {
        Source.HEADER_EMPLOYEE: context.employee_id,
        Source.HEADER_CARD: context.card_account_id,
        Source.SUBMITTER_EMAIL: context.submitter_email,
        Source.EXPORT_DATE: None if context.export_date is None else context.export_date.strftime("%m/%d/%Y"),
        Source.REPORT: context.report_id,
    }
    return by_header.get(source)


def _fit(code: str, values: Mapping[str, str]) -> dict[str, str] | None:
    """The values for the fullest message variant of `code` that they can fill; None if none can be filled."""
    available = {name for name, value in values.items() if value and value.strip()}
    best: frozenset[str] | None = None
    for message in CATALOG.get(code).messages:
        names = placeholders_of(message)
        if names <= available and (best is None or len(names) > len(best)):
            best = names
    return None if best is None else {name: values[name] for name in best}
