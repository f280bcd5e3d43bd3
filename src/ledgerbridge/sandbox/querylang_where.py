"""The SQL-like condition of ``readByQuery``, parsed and compiled into a row predicate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ledgerbridge.sandbox import querylang_compile as compiled
from ledgerbridge.sandbox.querylang_compile import Test
from ledgerbridge.sandbox.querylang_values import FieldTypes, Predicate, QueryError, resolve_field

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<string>'(?:[^'\\]|\\.|'')*')
    | (?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+))
    | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<op><=|>=|<>|!=|=|<|>)
    | (?P<punct>[(),])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(.)|''", re.DOTALL)
_KEYWORDS = frozenset({"AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # string, number, name, keyword, op, punct or end
    text: str
    position: int  # 1-based, as a person counts characters in the query

    def describe(self) -> str:
        return "the end of the query" if self.kind == "end" else f"'{self.text}'"


def _unescape(body: str) -> str:
    return _ESCAPE.sub(lambda match: match.group(1) if match.group(1) is not None else "'", body)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        match = _TOKEN.match(text, index)
        if match is None:
            char = text[index]
            detail = "unterminated string" if char == "'" else f"unexpected character '{char}'"
            raise QueryError(f"Invalid query: {detail} at position {index + 1}.", position=index + 1)
        kind = match.lastgroup or "space"
        value = match.group()
        if kind == "string":
            tokens.append(Token("string", _unescape(value[1:-1]), index + 1))
        elif kind == "name" and value.upper() in _KEYWORDS:
            tokens.append(Token("keyword", value.upper(), index + 1))
        elif kind == "op":
            tokens.append(Token("op", "!=" if value == "<>" else value, index + 1))
        elif kind != "space":
            tokens.append(Token(kind, value, index + 1))
        index = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent: OR binds loosest, then AND, then prefix NOT."""

    def __init__(self, text: str, types: FieldTypes) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.types = types

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> Token | None:
        token = self.current
        if token.kind == kind and (text is None or token.text == text):
            return self.advance()
        return None

    def expect(self, kind: str, text: str, wanted: str) -> Token:
        token = self.accept(kind, text)
        if token is None:
            raise self.error(wanted)
        return token

    def error(self, wanted: str) -> QueryError:
        token = self.current
        return QueryError(
            f"Invalid query: expected {wanted} at position {token.position}, found {token.describe()}.",
            position=token.position,
        )

    def parse(self) -> Test:
        test = self.disjunction()
        if self.current.kind != "end":
            raise self.error("AND, OR or the end of the query")
        return test

    def disjunction(self) -> Test:
        tests = [self.conjunction()]
        while self.accept("keyword", "OR"):
            tests.append(self.conjunction())
        return compiled.any_of(tests)

    def conjunction(self) -> Test:
        tests = [self.negated()]
        while self.accept("keyword", "AND"):
            tests.append(self.negated())
        return compiled.all_of(tests)

    def negated(self) -> Test:
        if self.accept("keyword", "NOT"):
            return compiled.negation(self.negated())
        if self.accept("punct", "("):
            test = self.disjunction()
            self.expect("punct", ")", "')'")
            return test
        return self.condition()

    def condition(self) -> Test:
        token = self.current
        if token.kind != "name":
            raise self.error("a field name")
        self.advance()
        field = resolve_field(token.text, self.types, position=token.position)
        if (op := self.accept("op")) is not None:
            return compiled.compare(field, op.text, self.value())
        if self.accept("keyword", "IS"):
            negate = self.accept("keyword", "NOT") is not None
            self.expect("keyword", "NULL", "NULL")
            return compiled.null_check(field, negate=negate)
        negate = self.accept("keyword", "NOT") is not None
        if self.accept("keyword", "LIKE"):
            return compiled.like(field, self.string(), negate=negate)
        if self.accept("keyword", "IN"):
            return compiled.member(field, self.value_list(), negate=negate)
        raise self.error("LIKE or IN" if negate else f"an operator after {field.name}")

    def value(self) -> str:
        token = self.current
        if token.kind not in ("string", "number"):
            raise self.error("a quoted string or a number")
        self.advance()
        return token.text

    def string(self) -> str:
        token = self.current
        if token.kind != "string":
            raise self.error("a quoted pattern")
        self.advance()
        return token.text

    def value_list(self) -> list[str]:
        self.expect("punct", "(", "'('")
        values = [self.value()]
        while self.accept("punct", ","):
            values.append(self.value())
        self.expect("punct", ")", "',' or ')'")
        return values


def compile_where(text: str, types: FieldTypes) -> Predicate:
    """Compile without the cache; ``parse_where`` is the entry point."""
    if not text.strip():
        return compiled.always
    return compiled.to_predicate(_Parser(text, types).parse())


@lru_cache(maxsize=256)
def _cached(text: str, types: FieldTypes) -> Predicate:
    return compile_where(text, types)


def parse_where(text: str, types: FieldTypes) -> Predicate:
    """Compile a ``readByQuery`` condition; the same query over the same fields compiles once."""
    try:
        hash(types)
    except TypeError:
        return compile_where(text, types)
    return _cached(text, types)
