"""The query language's reading: a typed string -> a tree of runs, AND/OR/NOT and parentheses.

What a person may type is described in query.py's docstring and the README ("Query language").
This module only reads it: `tokenize` cuts the text into words, "phrases", `field:value`s,
operators and parentheses (with their `-`/`+` signs); `parse_query` turns those into a `Node`
tree. Nothing here knows about Whoosh, weights or the index: query.py compiles the tree into the
ranked Whoosh query. A malformed query raises UsageError saying what to fix; nesting is capped
at MAX_QUERY_DEPTH (each level is a few frames of recursion in the parser, the compiler and
Whoosh, so 400 "(" once ended in a RecursionError traceback).

>>> tree = parse_query('kho "vũ khí" AND NOT so:821/QĐ-BQP')
>>> tree.op, [child.op for child in tree.children]
('and', ['run', 'not'])
>>> [(t.kind, t.text) for t in tree.children[0].run.items]
[('word', 'kho'), ('phrase', 'vũ khí')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archsearch.engine.analysis import DOC_NUMBER_PATTERN
from archsearch.errors import UsageError
from archsearch.normalise import fold

MAX_QUERY_DEPTH = 16

# A document number in a query: as in the analyzer, also with spaces ("821 / QĐ - BQP").
QUERY_NUMBER = re.compile(
    r"(?<![\w/])\d{1,6}(?:\s*/\s*(?:19|20)\d\d)?\s*[/\-\u2013]\s*[^\W\d_]\w*(?:\s*[/\-\u2013]\s*[^\W_]\w*)*"
    rf"|{DOC_NUMBER_PATTERN}"
)
FIELD_NAMES = {"so": "so", "loai": "loai", "coquan": "coquan", "nam": "nam", "ngay": "ngay", "muc": "muc"}
OPERATORS = {"AND", "OR", "NOT"}
QUOTES = {'"': '"', "“": "”", "”": "”", "«": "»"}


@dataclass
class Token:
    kind: str  # "word", "phrase", "field", "op", "(", ")"
    text: str = ""
    name: str = ""  # field name
    sign: str = ""  # "-" or "+"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            tokens.append(Token(c))
            i += 1
            continue
        sign = ""
        if c in "-+" and i + 1 < n and (text[i + 1].isalpha() or text[i + 1] in QUOTES or text[i + 1] == "("):
            sign, i = c, i + 1
            c = text[i]
            if c == "(":
                tokens.append(Token("(", sign=sign))
                i += 1
                continue
        if c in QUOTES:
            body, i = _read_quoted(text, i)
            tokens.append(Token("phrase", body, sign=sign))
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in '()"“”«»':
            i += 1
        chunk = text[start:i]
        if chunk in OPERATORS and not sign:
            tokens.append(Token("op", chunk))
            continue
        name, colon, value = chunk.partition(":")
        field_name = FIELD_NAMES.get(fold(name).lower()) if colon else None
        if field_name:
            if not value and i < n and text[i] in QUOTES:
                value, i = _read_quoted(text, i)
            if value:
                tokens.append(Token("field", value, name=field_name, sign=sign))
                continue
            # "Số: 821/QĐ-BQP" pasted from a header: an empty field is just a word.
        tokens.append(Token("word", chunk, sign=sign))
    return tokens


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    closing = QUOTES[text[i]]
    end = text.find(closing, i + 1)
    if end < 0 and closing != '"':
        end = text.find('"', i + 1)
    if end < 0:
        raise UsageError(f"unclosed quotation mark in the query near {text[i:i + 30]!r}: close the phrase with \"")
    return text[i + 1 : end], end + 1


@dataclass
class Run:
    items: list[Token] = field(default_factory=list)
    groups: list[tuple[str, object]] = field(default_factory=list)  # (sign, node) for ( ... )


@dataclass
class Node:
    op: str  # "and", "or", "not", "run"
    children: list = field(default_factory=list)
    run: Run | None = None


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise UsageError(f"the query nests parentheses or NOT more than {MAX_QUERY_DEPTH} deep: simplify it")

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node:
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            if tok.kind == ")":
                raise UsageError("unbalanced parenthesis in the query: a ')' has no matching '('")
            raise UsageError(f"unexpected {tok.text!r} in the query")
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.i += 1
            children.append(self.parse_and("OR"))
        return children[0] if len(children) == 1 else Node("or", children)

    def parse_and(self, after: str | None = None) -> Node:
        children = [self.parse_not(after)]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text in ("AND", "NOT"):
            if tok.text == "AND":
                self.i += 1
                children.append(self.parse_not("AND"))
            else:
                children.append(self.parse_not(None))
        return children[0] if len(children) == 1 else Node("and", children)

    def parse_not(self, after: str | None) -> Node:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == "NOT":
            self.i += 1
            self.nest()
            node = Node("not", [self.parse_not("NOT")])
            self.depth -= 1
            return node
        return self.parse_run(after)

    def parse_run(self, after: str | None) -> Node:
        run = Run()
        while (tok := self.peek()) is not None and tok.kind not in ("op", ")"):
            self.i += 1
            if tok.kind == "(":
                self.nest()
                inner = self.parse_or()
                self.depth -= 1
                closing = self.peek()
                if closing is None or closing.kind != ")":
                    raise UsageError("unbalanced parenthesis in the query: a '(' is never closed")
                self.i += 1
                run.groups.append((tok.sign, inner))
            else:
                run.items.append(tok)
        if not run.items and not run.groups:
            if after:
                raise UsageError(f"{after} must be followed by words to search for")
            tok = self.peek()
            if tok is not None and tok.kind == "op":
                raise UsageError(f"{tok.text} needs words on both sides (e.g. 'kho AND vũ khí')")
            if tok is not None and tok.kind == ")":
                raise UsageError("unbalanced parenthesis in the query: a ')' has no matching '('")
            raise UsageError("the query has no words to search for")
        return Node("run", run=run)


def parse_query(text: str) -> Node:
    """The tree of an NFC query text. Raises UsageError for a malformed one.

    >>> parse_query("(kho OR kho bãi) -đạn").run.groups[0][1].op
    'or'
    >>> parse_query("kho AND")
    Traceback (most recent call last):
    ...
    archsearch.errors.UsageError: AND must be followed by words to search for
    """
    return _Parser(tokenize(text)).parse()
