"""Validation of gateway requests against Sage's official api-v3.0 XSD.

The XSD is loaded once per process with ``xmlschema`` in lax mode: one content model in it is
non-deterministic (a Unique Particle Attribution violation), which makes libxml2 refuse the whole
schema, while ``xmlschema`` records the violation and validates the rest normally. Loading takes
about 1.3 s, so the server calls ``warm_up`` at start. A pickled schema would load in about 0.26 s,
but unpickling a file from a cache directory runs whatever code the file holds and ties the cache
to exact library versions; one second per process start is not worth that.

Why validation is split, and what is cached
-------------------------------------------
Validating a whole request in one pass costs about 0.6 ms per function (60-65 ms for 100
``record_cctransaction`` functions): matching a ``<function>`` child walks a choice of 295
alternatives, and ``xmlschema`` spends 20-30 us on every element. Exports send batches of
functions that share one shape and differ only in values, so the work is split:

1. The envelope (control, operation, authentication, content) is validated with every
   ``<function>`` skipped: about 2 ms for 100 functions.
2. Each ``<function>`` is validated on its own against the global ``function`` declaration,
   which is what the envelope would have done with it: it is a global element and the schema
   has no identity constraints or ID/IDREF types that could reach across functions (checked at
   load; if a schema had them, every request would be validated in one pass instead).
3. A function that passed is remembered by a structural signature, and a later function with
   the same signature is accepted without running the validator again.

The signature holds everything the verdict can depend on: every tag in document order with its
nesting, every attribute name, and for each text or attribute value only what the schema can
observe of it. That is read off the schema at load time, per element and attribute name, over
all declarations that carry the name:

- text of a mixed element, a plain ``xs:string``, or a name no declaration carries: nothing
  (any text is valid, or the element is refused or skipped whatever its text);
- text of an element-only element: whether it is blank;
- a value of any other simple type: whether that type accepts it (one flag per type);
- values of ``fixed``/``default`` declarations, empty-content elements, and anything on an
  element with ``xsi:``/``xml:`` attributes: the exact text.

So two functions with one signature are matched to the same declarations and get the same
verdict. Only passes are cached; a failing function is always validated in full, so every
problem is reported with the validator's own wording and its own line. Measured: 100
``record_cctransaction`` or 100 generic ``create`` functions validate in 3-8 ms instead of
55-65 ms; 100 functions of 100 different shapes cost what one pass costs.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any
from xml.parsers import expat

import xmlschema
from lxml import etree
from xmlschema.validators import XsdAttribute, XsdElement

_XSD_NAMESPACE = "{http://www.w3.org/2001/XMLSchema}"
_UNCONSTRAINED_TYPES = frozenset({f"{_XSD_NAMESPACE}string", f"{_XSD_NAMESPACE}anySimpleType"})
_CONTEXT_DEPENDENT_TYPES = frozenset({f"{_XSD_NAMESPACE}QName", f"{_XSD_NAMESPACE}NOTATION"})
_INSTANCE_PREFIXES = ("{http://www.w3.org/2001/XMLSchema-instance}", "{http://www.w3.org/XML/1998/namespace}")
_XML_WHITESPACE = " \t\r\n"
_CACHE_LIMIT = 4096
_CROSS_REFERENCE_TYPES = frozenset({f"{_XSD_NAMESPACE}{name}" for name in ("ID", "IDREF", "IDREFS")})
# An expected-tags list this long (the function choice has 295) would drown the actual mistake.
_LONG_CHOICE = re.compile(r"Tag \(('[^'()]+'(?: \| '[^'()]+'){7,})\) expected\.")

Check = Callable[[str], object]


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One way a request departs from the XSD, located in the original request."""

    reason: str
    line: int | None
    column: int | None
    path: str


def _exact(value: str) -> object:
    return value


def _blank(value: str) -> object:
    return not value.strip(_XML_WHITESPACE)


class _TypeCheck:
    """Whether one simple type accepts a value, as the validator would decide it."""

    def __init__(self, xsd_type: Any, lock: threading.Lock) -> None:
        self._xsd_type = xsd_type
        # text_is_valid decodes into the schema's one shared scratch context.
        self._lock = lock

    def __call__(self, value: str) -> object:
        with self._lock:
            return bool(self._xsd_type.text_is_valid(value))


class _ValueChecks:
    """What the schema can observe of a text or attribute value, per element or attribute name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_type: dict[int, _TypeCheck] = {}

    def simple(self, xsd_type: Any) -> Check | None:
        if xsd_type.name in _UNCONSTRAINED_TYPES:
            return None
        primitive = getattr(xsd_type, "primitive_type", None)
        if primitive is not None and primitive.name in _CONTEXT_DEPENDENT_TYPES:
            return _exact
        return self._by_type.setdefault(id(xsd_type), _TypeCheck(xsd_type, self._lock))

    def content(self, declaration: Any) -> Check | None:
        if declaration.fixed is not None or declaration.default is not None:
            return _exact
        xsd_type = declaration.type
        if xsd_type.is_simple():
            return self.simple(xsd_type)
        if xsd_type.has_simple_content():
            return self.simple(xsd_type.content)
        if xsd_type.mixed:
            return None
        if xsd_type.is_empty():
            return _exact
        return _blank

    def attribute(self, declaration: Any) -> Check | None:
        if declaration.fixed is not None or declaration.default is not None:
            return _exact
        return self.simple(declaration.type)


def _checks_by_name(declarations: list[Any], check_of: Callable[[Any], Check | None]) -> dict[str, tuple[Check, ...]]:
    found: dict[str, dict[int, Check]] = {}
    for declaration in declarations:
        check = check_of(declaration)
        if check is not None:
            found.setdefault(declaration.name, {})[id(check)] = check
    return {name: tuple(checks.values()) for name, checks in found.items()}


def _start_tag_positions(body: bytes) -> list[tuple[int, int]] | None:
    """Line and 1-based column of every start tag, in document order; None if unreadable."""
    positions: list[tuple[int, int]] = []
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(_name: str, _attrs: object) -> None:
        positions.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    def refuse(*_args: object) -> None:
        # parse_request never lets a DTD through; if one is here, columns are not worth the risk.
        raise ValueError("DTD in request")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(body, True)
    except (expat.ExpatError, ValueError):
        return None
    return positions


class _Validator:
    """The loaded schema, what it can observe of values, and the signatures of passed functions."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._function = schema.elements["function"]
        elements = list(schema.iter_components(XsdElement))
        attributes = list(schema.iter_components(XsdAttribute))
        values = _ValueChecks()
        self._text_checks = _checks_by_name(elements, values.content)
        self._attribute_checks = _checks_by_name(attributes, values.attribute)
        self._split = not any(element.identities for element in elements) and not any(
            _refers_across(declaration.type) for declaration in [*elements, *attributes]
        )
        self._passed: set[bytes] = set()
        self._lock = threading.Lock()

    def _signature(self, function: etree._Element) -> bytes | None:
        # Four parts per element, in document order: tag, number of child elements (which with the order
        # fixes the nesting), attributes and text token. Tags and counts cannot hold NUL; reprs escape it.
        parts: list[str] = []
        add = parts.append
        text_checks = self._text_checks
        attribute_checks = self._attribute_checks
        for node in function.iter():
            tag = node.tag
            if not isinstance(tag, str):
                return None  # a comment or PI inside a function: validate it in full
            items = node.items()
            checks = text_checks.get(tag)
            if not items and not checks:
                add(f"{tag}\0{len(node)}\0\0")  # the common case, its four parts at once
                continue
            add(tag)
            add(str(len(node)))
            instance = False
            if items:
                values = {str(name): str(value) for name, value in items}
                instance = any(name.startswith(_INSTANCE_PREFIXES) for name in values)
                add(repr(sorted(
                    (name, value if instance else tuple(c(value) for c in attribute_checks.get(name, ())))
                    for name, value in values.items()
                )))
            else:
                add("")
            if checks or instance:
                content = "".join([node.text or "", *(child.tail or "" for child in node)])
                add(repr(content if instance else tuple(check(content) for check in checks or ())))
            else:
                add("")
        return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).digest()

    def _remember(self, digest: bytes) -> None:
        with self._lock:
            if len(self._passed) >= _CACHE_LIMIT:
                self._passed.clear()
            self._passed.add(digest)

    def _envelope_errors(self, root: etree._Element, hook: Callable[[etree._Element, Any], bool]) -> list[Any]:
        # The validator reads the whole tree before it starts (namespace declarations), functions included,
        # although the hook skips them: their children are set aside meanwhile. Only a pass is taken from
        # here; a request with a problem is validated again as it came, for the validator's own locations.
        held = [(function, list(function)) for function in root.iterfind("operation/content/function")]
        for function, children in held:
            for child in children:
                function.remove(child)
        try:
            return list(self._schema.iter_errors(root, validation_hook=hook))
        finally:
            for function, children in held:
                function.extend(children)

    def validate(self, root: etree._Element, body: bytes | None) -> list[SchemaProblem]:
        functions: list[etree._Element] = []

        def skip_functions(element: etree._Element, declaration: Any) -> bool:
            if declaration is self._function or declaration.ref is self._function:
                functions.append(element)
                return True
            return False

        if not self._split:
            errors: list[Any] = list(self._schema.iter_errors(root))
            return _located(errors, root, body)
        errors = self._envelope_errors(root, skip_functions)
        if errors:
            functions.clear()
            errors = list(self._schema.iter_errors(root, validation_hook=skip_functions))
        for function in functions:
            digest = self._signature(function)
            if digest is not None and digest in self._passed:
                continue
            found = list(self._schema.iter_errors(function))
            if found:
                errors.extend(found)
            elif digest is not None:
                self._remember(digest)
        return _located(errors, root, body)


def _refers_across(xsd_type: Any) -> bool:
    """Whether values of this type are checked against other parts of the document."""
    if not xsd_type.is_simple():
        xsd_type = xsd_type.content if xsd_type.has_simple_content() else None
    while xsd_type is not None:
        if xsd_type.name in _CROSS_REFERENCE_TYPES:
            return True
        item_type = getattr(xsd_type, "item_type", None)
        if item_type is not None and _refers_across(item_type):
            return True
        if any(_refers_across(member) for member in getattr(xsd_type, "member_types", ())):
            return True
        xsd_type = getattr(xsd_type, "base_type", None)
    return False


def _located(errors: list[Any], root: etree._Element, body: bytes | None) -> list[SchemaProblem]:
    if not errors:
        return []
    problems = [_problem(error, root) for error in errors]
    if body is not None:
        problems = _with_columns(problems, errors, root, body)
    return sorted(problems, key=lambda problem: (problem.line or 0, problem.column or 0))


def _located_element(error: Any) -> etree._Element | None:
    # For a wrong or misplaced child, point at the child itself rather than at its parent.
    for candidate in (getattr(error, "invalid_child", None), error.elem):
        if isinstance(candidate, etree._Element):
            return candidate
    return None


def _reason(error: Any) -> str:
    reason = str(error.reason or error.message).strip()
    reason = _LONG_CHOICE.sub(
        lambda match: (
            f"One of {match.group(1).count('|') + 1} elements expected, such as "
            f"{', '.join(match.group(1).split(' | ')[:3])}."
        ),
        reason,
    )
    if not reason.endswith((".", "!", "?")):
        reason += "."
    element = error.elem
    if isinstance(element, etree._Element) and isinstance(element.tag, str):
        return f"Element '{element.tag}': {reason}"
    return reason


def _problem(error: Any, root: etree._Element) -> SchemaProblem:
    element = _located_element(error)
    if element is not None:
        line = element.sourceline
        return SchemaProblem(
            _reason(error),
            line if isinstance(line, int) else None,
            None,
            element.getroottree().getpath(element),
        )
    line = root.sourceline
    return SchemaProblem(_reason(error), line if isinstance(line, int) else None, None, str(error.path or ""))


def _with_columns(
    problems: list[SchemaProblem], errors: list[Any], root: etree._Element, body: bytes
) -> list[SchemaProblem]:
    positions = _start_tag_positions(body)
    if positions is None:
        return problems
    order = {element: index for index, element in enumerate(root.iter(etree.Element))}
    located: list[SchemaProblem] = []
    for problem, error in zip(problems, errors, strict=True):
        element = _located_element(error)
        index = order.get(element) if element is not None else None
        if index is None or index >= len(positions) or positions[index][0] != problem.line:
            # Mismatched line means the body is not the one the tree came from; keep line only.
            located.append(problem)
            continue
        located.append(SchemaProblem(problem.reason, problem.line, positions[index][1], problem.path))
    return located


SCHEMA_BUILD = "skip"
"""How the bundled XSD is built at start: without checking it against the XSD meta-schema."""

_loaded: _Validator | None = None
_load_lock = threading.Lock()


def _validator() -> _Validator:
    global _loaded
    if _loaded is None:
        with _load_lock:
            if _loaded is None:
                xsd = resources.files(__package__ or "ledgerbridge.sandbox").joinpath("schema/api-v3.0.xsd")
                with resources.as_file(xsd) as path:
                    # Local file only: the XSD imports nothing, so nothing else may be fetched. The XSD ships
                    # with the package and never changes, so it is not checked against XSD's own schema at
                    # every start (three quarters of building it); a test builds it checked and compares.
                    schema = xmlschema.XMLSchema10(str(path), validation=SCHEMA_BUILD, allow="local",
                                                   defuse="always")
                _loaded = _Validator(schema)
    return _loaded


def warm_up() -> None:
    """Load the schema now (at server start) instead of on the first request."""
    _validator()


def validate_request(root: etree._Element, *, body: bytes | None = None) -> list[SchemaProblem]:
    """Every schema problem in the request (``[]`` when valid); pass ``body`` to get columns."""
    return _validator().validate(root, body)


def schema_error_text(problem: SchemaProblem) -> str:
    """Intacct's description2 wording for a schema error (errorno XL03000003)."""
    text = f"XML Parse schema error: Error 1: {problem.reason}"
    if problem.line is None:
        return text
    if problem.column is None:
        return f"{text} Line: {problem.line}."
    return f"{text} Line: {problem.line}, column: {problem.column}."
