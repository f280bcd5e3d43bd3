"""The ``<filter>`` of the ``query`` function, compiled into a row predicate."""

from __future__ import annotations

from lxml import etree

from ledgerbridge.sandbox import querylang_compile as compiled
from ledgerbridge.sandbox.querylang_compile import Test
from ledgerbridge.sandbox.querylang_values import FieldRef, FieldTypes, Predicate, QueryError, resolve_field

MAX_IN_VALUES = 1000

_COMPARISONS = {
    "equalto": "=",
    "notequalto": "!=",
    "lessthan": "<",
    "lessthanorequalto": "<=",
    "greaterthan": ">",
    "greaterthanorequalto": ">=",
}


def element_children(element: etree._Element) -> list[etree._Element]:
    """Child elements, leaving out comments and processing instructions."""
    return [child for child in element if isinstance(child.tag, str)]


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def element_text(element: etree._Element) -> str:
    return element.text or ""


class _FilterCompiler:
    def __init__(self, types: FieldTypes, case_insensitive: bool) -> None:
        self.types = types
        self.case_insensitive = case_insensitive

    def compile(self, element: etree._Element) -> Test:
        name = local_name(element)
        if name in ("and", "or"):
            parts = [self.compile(child) for child in element_children(element)]
            if not parts:
                raise QueryError(f"The <{name}> filter needs at least one condition.")
            return compiled.all_of(parts) if name == "and" else compiled.any_of(parts)
        field = self.field(element, name)
        if name in ("isnull", "isnotnull"):
            return compiled.null_check(field, negate=name == "isnotnull")
        values = [element_text(child) for child in element_children(element) if local_name(child) == "value"]
        fold = self.case_insensitive
        if name in _COMPARISONS:
            literal = self.single(values, name)
            return compiled.compare(field, _COMPARISONS[name], literal, case_insensitive=fold)
        if name in ("like", "notlike"):
            pattern = self.single(values, name)
            return compiled.like(field, pattern, negate=name == "notlike", case_insensitive=fold)
        if name == "between":
            if len(values) != 2:
                raise QueryError(f"The <between> filter on {field.name} needs exactly two values.")
            return compiled.between(field, values[0], values[1], case_insensitive=fold)
        if name in ("in", "notin"):
            if not values:
                raise QueryError(f"The <{name}> filter on {field.name} needs at least one value.")
            if len(values) > MAX_IN_VALUES:
                raise QueryError(
                    f"The <{name}> filter on {field.name} has {len(values)} values;"
                    f" at most {MAX_IN_VALUES} are allowed."
                )
            return compiled.member(field, values, negate=name == "notin", case_insensitive=fold)
        raise QueryError(f"Unknown filter operator <{name}>.")

    def field(self, element: etree._Element, operator: str) -> FieldRef:
        names = [element_text(child) for child in element_children(element) if local_name(child) == "field"]
        if len(names) != 1:
            raise QueryError(f"The <{operator}> filter needs exactly one <field>.")
        return resolve_field(names[0], self.types)

    @staticmethod
    def single(values: list[str], operator: str) -> str:
        if len(values) != 1:
            raise QueryError(f"The <{operator}> filter needs exactly one <value>.")
        return values[0]


def filter_from_xml(
    filter_el: etree._Element | None, types: FieldTypes, *, case_insensitive: bool = False
) -> Predicate:
    """Compile a ``<filter>`` element (or one condition element); no filter selects every row."""
    if filter_el is None:
        return compiled.always
    compiler = _FilterCompiler(types, case_insensitive)
    if local_name(filter_el) != "filter":
        return compiled.to_predicate(compiler.compile(filter_el))
    conditions = element_children(filter_el)
    if not conditions:
        return compiled.always
    # Intacct wants one condition under <filter>; several are read as if wrapped in <and>.
    return compiled.to_predicate(compiled.all_of([compiler.compile(child) for child in conditions]))
