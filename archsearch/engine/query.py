"""Query building: a raw string typed by a person -> a Whoosh query.

The language (README, "Query language"):
- Words: ranked OR over syllables, rewarding documents that match more of them and hold them
  next to each other (syllable bigrams). A pasted sentence works; nothing is required.
- "a phrase": the document must hold those syllables in that order.
- AND, OR, NOT between runs of words (capitals only: "bảo quản AND vũ khí" requires both
  words), parentheses, `-word` / `-"phrase"` to exclude, `+word` to require.
- Fields: `so:821/QĐ-BQP` (the document's own number; `so:821` any number starting 821/),
  `loai:QĐ` or `loai:"quyết định"`, `coquan:BQP`, `nam:2015` or `nam:2015..2020`,
  `ngay:2015..2020` / `ngay:2020-03-05` / `ngay:05/03/2020..`, `muc:mat` (a level; it only
  narrows the partitions the user may see, never widens them). Field names may carry
  diacritics (`số:`, `loại:`, `năm:`, `ngày:`, `mức:`); other `x:y` are plain words.
- A document number anywhere ("821/QĐ-BQP", "821/qd-bqp") is looked up whole and puts that
  document first, then documents citing it.

Matching: a query with diacritics matches the exact view and, weighing less, the folded view
("mật" ranks mật above mắt); a query without any diacritic matches the folded view only.
Abbreviations (archsearch/data/abbreviations.tsv) match their expansions and back.

Every query is NFC, capped at MAX_QUERY_CHARS characters and MAX_QUERY_SYLLABLES syllables,
nested at most MAX_QUERY_DEPTH deep; a malformed one raises UsageError with a message saying what to fix, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    FuzzyTerm,
    NumericRange,
    Phrase,
    Prefix,
    Query,
    TermRange,
)
from whoosh.query import Or as WhooshOr
from whoosh.query import Term as WhooshTerm

from archsearch.engine.analysis import BIGRAM_SEPARATOR, DOC_NUMBER_PATTERN, doc_number_key, syllables
from archsearch.errors import UsageError
from archsearch.engine.index import doc_type_key
from archsearch.ingest.legacy_encodings import is_vietnamese_syllable
from archsearch.levels import parse_level
from archsearch.normalise import fold, nfc
from archsearch.engine.phrases import PairPhrase, pair_terms
from archsearch.engine.bm25f import BoostedTerm as Term  # boosts applied inside the scorer (ranking.py)



class Or(WhooshOr):
    """Whoosh's OR, always matched as a tree of binary unions. On a segment under 5,000
    documents Whoosh otherwise pre-loads and scores every posting of every clause (its array
    matcher), which skips nothing: at 10k documents, whose segments are all that small, it
    took 85 % of a ranked search (cProfile, bench/query.py queries)."""

    matcher_type = WhooshOr.DEFAULT_MATCHER


MAX_QUERY_CHARS = 1000
MAX_QUERY_SYLLABLES = 64
# Parentheses and NOTs nested inside one another; each level is a few frames of recursion in
# the parser, the compiler and Whoosh, so 400 "(" once ended in a RecursionError traceback.
MAX_QUERY_DEPTH = 16

# Weights, tuned on bench/quality.py (see README, "Retrieval quality").
W_EXACT = 1.0  # a syllable on the exact view (query with diacritics)
W_FOLDED = 0.5  # the same syllable matched only on the folded view
W_TITLE = 1.0  # title over body (on top of the title field's own boost in the schema)
W_BIGRAM = 3.0  # two query syllables side by side in the document
W_ABBREVIATION = 1.2  # an expansion of an abbreviation (divided among ambiguous meanings)
# OCR tolerance: folded syllables one edit away (e.g. "thai" for "thải" read as "thai"/"thal").
# 0 disables it; bench/quality.py measured no gain on the OCR group (README), so it is off.
W_FUZZY = 0.0
# OCR merges adjacent words ("antoàn"): a query pair also matches its folded concatenation.
W_JOINED = 0.0  # measured: no gain on the OCR group (README), off
W_NUMBER_OWN = 60.0  # the document whose own number was typed
W_NUMBER_CITED = 6.0  # documents citing it
# Each part of a typed number as a plain word: OCR garbles numbers ("845ICKT-KHO"), and a
# number query should still rank the documents holding its parts rather than find nothing.
W_NUMBER_PARTS = 0.3
# Question and statement framing ("có … không", "bao nhiêu", "đúng hay sai", "nào sau đây"):
# its syllables (and pairs holding one) weigh this much of a content word, at query time only;
# the index keeps every word, and a quoted phrase is matched as typed ("không được").
W_FRAMING = 0.2
# No coordination factor: a score is a plain sum of clause scores, which keeps the top-N
# pruning in search.py exact (bench/quality.py gave the same table with Whoosh's coordination
# bonus on and off: the bigram clauses already reward documents matching more of the query).

# A document number in a query: as in the analyzer, also with spaces ("821 / QĐ - BQP").
_QUERY_NUMBER = re.compile(
    r"(?<![\w/])\d{1,6}(?:\s*/\s*(?:19|20)\d\d)?\s*[/\-\u2013]\s*[^\W\d_]\w*(?:\s*[/\-\u2013]\s*[^\W_]\w*)*"
    rf"|{DOC_NUMBER_PATTERN}"
)
_FIELD_NAMES = {"so": "so", "loai": "loai", "coquan": "coquan", "nam": "nam", "ngay": "ngay", "muc": "muc"}
_OPERATORS = {"AND", "OR", "NOT"}
_QUOTES = {'"': '"', "“": "”", "”": "”", "«": "»"}


# ---------------------------------------------------------------------------------------------
# Abbreviations
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Synonyms:
    abbreviation: tuple[str, ...]  # folded syllables of the abbreviation ("cnqp",) / ("kh", "cn")
    expansions: tuple[tuple[str, ...], ...]  # folded syllables of each meaning


@lru_cache(maxsize=1)
def abbreviations() -> tuple[_Synonyms, ...]:
    """The abbreviation list shipped in archsearch/data/abbreviations.tsv (one line per entry:
    ABBR<TAB>expansion | expansion ...)."""
    text = resources.files("archsearch").joinpath("data/abbreviations.tsv").read_text(encoding="utf-8")
    return parse_abbreviations(text)


def parse_abbreviations(text: str) -> tuple[_Synonyms, ...]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" not in line:
            raise ValueError(f"abbreviations.tsv line {number}: expected ABBREVIATION<TAB>expansion")
        abbr, expansions = line.split("\t", 1)
        abbr_syllables = tuple(syllables(abbr, folded=True))
        meanings = tuple(
            tuple(syllables(e, folded=True)) for e in expansions.split("|") if syllables(e, folded=True)
        )
        if abbr_syllables and meanings:
            entries.append(_Synonyms(abbr_syllables, meanings))
    return tuple(entries)


# ---------------------------------------------------------------------------------------------
# Lexing and parsing
# ---------------------------------------------------------------------------------------------
@dataclass
class _Tok:
    kind: str  # "word", "phrase", "field", "op", "(", ")"
    text: str = ""
    name: str = ""  # field name
    sign: str = ""  # "-" or "+"


def _lex(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            tokens.append(_Tok(c))
            i += 1
            continue
        sign = ""
        if c in "-+" and i + 1 < n and (text[i + 1].isalpha() or text[i + 1] in _QUOTES or text[i + 1] == "("):
            sign, i = c, i + 1
            c = text[i]
            if c == "(":
                tokens.append(_Tok("(", sign=sign))
                i += 1
                continue
        if c in _QUOTES:
            body, i = _read_quoted(text, i)
            tokens.append(_Tok("phrase", body, sign=sign))
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in '()"“”«»':
            i += 1
        chunk = text[start:i]
        if chunk in _OPERATORS and not sign:
            tokens.append(_Tok("op", chunk))
            continue
        name, colon, value = chunk.partition(":")
        field_name = _FIELD_NAMES.get(fold(name).lower()) if colon else None
        if field_name:
            if not value and i < n and text[i] in _QUOTES:
                value, i = _read_quoted(text, i)
            if value:
                tokens.append(_Tok("field", value, name=field_name, sign=sign))
                continue
            # "Số: 821/QĐ-BQP" pasted from a header: an empty field is just a word.
        tokens.append(_Tok("word", chunk, sign=sign))
    return tokens


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    closing = _QUOTES[text[i]]
    end = text.find(closing, i + 1)
    if end < 0 and closing != '"':
        end = text.find('"', i + 1)
    if end < 0:
        raise UsageError(f"unclosed quotation mark in the query near {text[i:i + 30]!r}: close the phrase with \"")
    return text[i + 1 : end], end + 1


@dataclass
class _Run:
    items: list[_Tok] = field(default_factory=list)
    groups: list[tuple[str, object]] = field(default_factory=list)  # (sign, node) for ( ... )


@dataclass
class _Node:
    op: str  # "and", "or", "not", "run"
    children: list = field(default_factory=list)
    run: _Run | None = None


class _Parser:
    def __init__(self, tokens: list[_Tok]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise UsageError(f"the query nests parentheses or NOT more than {MAX_QUERY_DEPTH} deep: simplify it")

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> _Node:
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:
            if tok.kind == ")":
                raise UsageError("unbalanced parenthesis in the query: a ')' has no matching '('")
            raise UsageError(f"unexpected {tok.text!r} in the query")
        return node

    def parse_or(self) -> _Node:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.i += 1
            children.append(self.parse_and("OR"))
        return children[0] if len(children) == 1 else _Node("or", children)

    def parse_and(self, after: str | None = None) -> _Node:
        children = [self.parse_not(after)]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text in ("AND", "NOT"):
            if tok.text == "AND":
                self.i += 1
                children.append(self.parse_not("AND"))
            else:
                children.append(self.parse_not(None))
        return children[0] if len(children) == 1 else _Node("and", children)

    def parse_not(self, after: str | None) -> _Node:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text == "NOT":
            self.i += 1
            self.nest()
            node = _Node("not", [self.parse_not("NOT")])
            self.depth -= 1
            return node
        return self.parse_run(after)

    def parse_run(self, after: str | None) -> _Node:
        run = _Run()
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
        return _Node("run", run=run)


# ---------------------------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------------------------
class _Budget:
    def __init__(self, limit: int):
        self.left = limit

    def take(self, items: list) -> list:
        kept = items[: max(self.left, 0)]
        self.left -= len(kept)
        return kept


@dataclass
class _Context:
    accented: bool  # the query carries diacritics somewhere: use the exact view
    budget: _Budget


def has_diacritics(text: str) -> bool:
    return fold(text) != text and any(fold(c) != c for c in text if c.isalpha())


def build_query(raw: str) -> Query:
    """Parse what a person typed (see the module docstring). Raises UsageError for empty,
    malformed or unsearchable input."""
    text = nfc(raw or "").strip()
    if not text:
        raise UsageError("empty query: type some words, a phrase in quotes, or a document number")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        if text.count('"') % 2:
            text = text[: text.rfind('"')]
    tree = _Parser(_lex(text)).parse()
    context = _Context(accented=has_diacritics(text), budget=_Budget(MAX_QUERY_SYLLABLES))
    query = _compile(tree, context, require_all=False)
    if query is None:
        raise UsageError(f"the query {raw[:80]!r} has no searchable words")
    if isinstance(query, _Negative):
        raise UsageError("a query cannot only exclude: add words to search for before NOT or -word")
    return _with_citation(text, query)


def _with_citation(text: str, query: Query) -> Query:
    """`query` plus the clause of a reference in it ("khoản 2 Điều 5 Quyết định 305/QĐ-TCCNQP",
    citations.py): ranked beside plain words; only ranking what already matches when the query
    requires something (AND, +word, a phrase, a field)."""
    from archsearch.engine.citations import citation_clause, find_citation

    citation = find_citation(text)
    cited = citation_clause(citation) if citation is not None else None
    if cited is None:
        return query
    if type(query) is Or:
        return Or([*query.subqueries, cited])
    return AndMaybe(query, cited)


class _Negative:
    """Marker for a node that only excludes (NOT x); it must be combined with something."""

    def __init__(self, query: Query):
        self.query = query


def _compile(node: _Node, context: _Context, require_all: bool):
    if node.op == "run":
        return _compile_run(node.run, context, require_all)
    if node.op == "not":
        child = node.children[0]
        if child.op == "run" and not child.run.groups and all(t.kind == "word" and not t.sign for t in child.run.items):
            # NOT words: exclude documents holding all of them as typed (exact when typed with
            # diacritics), like -word; "NOT mắt" must not exclude documents about mật.
            inner = _word_clause(" ".join(t.text for t in child.run.items), context)
            if inner is None:
                raise UsageError("NOT must be followed by words to exclude")
            return _Negative(inner)
        inner = _compile(child, context, require_all=False)
        if inner is None or isinstance(inner, _Negative):
            raise UsageError("NOT must be followed by words to exclude")
        return _Negative(inner)
    if node.op == "or":
        parts = [_compile(child, context, require_all=False) for child in node.children]
        if any(isinstance(p, _Negative) for p in parts):
            raise UsageError("NOT cannot be a side of OR: write 'a AND NOT b' or 'a -b'")
        parts = [p for p in parts if p is not None]
        return Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
    # and
    positives, negatives = [], []
    for child in node.children:
        part = _compile(child, context, require_all=True)
        if isinstance(part, _Negative):
            negatives.append(part.query)
        elif part is not None:
            positives.append(part)
    if not positives:
        raise UsageError("a query cannot only exclude: add words to search for before NOT")
    query = And(positives) if len(positives) > 1 else positives[0]
    if negatives:
        query = AndNot(query, Or(negatives) if len(negatives) > 1 else negatives[0])
    return query


def _compile_run(run: _Run, context: _Context, require_all: bool):
    should: list[Query] = []  # ranked: any may match
    must: list[Query] = []
    must_not: list[Query] = []
    filters: list[Query] = []
    words: list[str] = []

    def flush_words() -> None:
        if words:
            segment_should, segment_must = _words_query(" ".join(words), context, require_all)
            should.extend(segment_should)
            must.extend(segment_must)
            words.clear()

    for tok in run.items:
        if tok.kind == "word" and not tok.sign:
            words.append(tok.text)
            continue
        flush_words()
        if tok.kind == "field":
            clause = _field_query(tok.name, tok.text)
        elif tok.kind == "phrase":
            clause = _phrase_query(tok.text, context)
        else:  # a signed word
            clause = _word_clause(tok.text, context)
        if clause is None:
            continue
        if tok.sign == "-":
            must_not.append(clause)
        elif tok.kind == "field":
            filters.append(clause)
        elif tok.sign == "+" or tok.kind == "phrase" or require_all:
            must.append(clause)
        else:
            should.append(clause)
    flush_words()
    for sign, inner in run.groups:
        part = _compile(inner, context, require_all=False)
        if part is None:
            continue
        if isinstance(part, _Negative):
            must_not.append(part.query)
        elif sign == "-":
            must_not.append(part)
        elif sign == "+" or require_all:
            must.append(part)
        else:
            should.append(part)

    core = None
    if should:
        core = Or(should) if len(should) > 1 else should[0]
    required = must + filters
    if required:
        base = And(required) if len(required) > 1 else required[0]
        core = AndMaybe(base, core) if core is not None else base
    if must_not:
        excluded = Or(must_not) if len(must_not) > 1 else must_not[0]
        if core is None:
            return _Negative(excluded)
        core = AndNot(core, excluded)
    return core


# Framing, on folded syllables. With diacritics a syllable must also be typed as one of
# _FRAMING_EXACT ("ai", not "ải"); without, the folded form is enough.
_FRAMING_SEQUENCES = (
    ("dung", "hay", "sai"), ("dung", "hay", "khong"), ("dung", "khong"), ("phai", "khong"), ("hay", "khong"),
    ("co", "phai", "khong"), ("la", "dung"), ("la", "sai"), ("la", "gi"), ("bao", "nhieu"), ("nhu", "the", "nao"),
    ("the", "nao"), ("nao", "sau", "day"), ("sau", "day"), ("duoc", "khong"),
)
_FRAMING_ANYWHERE = {"gi", "nao", "ai", "sao"}
_FRAMING_LAST = {"khong", "chua", "dau", "nao"}
_CO_WORDS = {"so", "quan", "che", "cau", "ban", "dong", "hoc", "khi", "gioi", "nang", "hoi", "y", "ly", "dinh", "tinh"}  # "… không?", "… chưa?", "gửi về đâu?"
_FRAMING_EXACT = {"gì", "nào", "ai", "sao", "đâu", "không", "chưa", "có", "bao", "nhiêu", "như", "thế", "sau", "đây",
                  "đúng", "hay", "sai", "là", "phải", "được"}


def framing_positions(exact: list[str], folded: list[str], accented: bool) -> set[int]:
    """Positions of the syllables that frame a question or statement rather than say what it is
    about. "có … không": the first "có" of a question ending in "không"/"chưa" frames it too.

    >>> words = "thủ kho có được tự ý cho mượn vũ khí không".split()
    >>> sorted(framing_positions(words, [fold(w) for w in words], True))
    [2, 10]
    >>> words = "khong duoc cho muon".split()
    >>> sorted(framing_positions(words, words, False))
    []
    """
    marked: set[int] = set()
    n = len(folded)
    for sequence in _FRAMING_SEQUENCES:
        size = len(sequence)
        for i in range(n - size + 1):
            if tuple(folded[i:i + size]) == sequence:
                marked.update(range(i, i + size))
    marked.update(i for i, f in enumerate(folded) if f in _FRAMING_ANYWHERE)
    if n > 1 and folded[-1] in _FRAMING_LAST:
        marked.add(n - 1)
        if folded[-1] in ("khong", "chua"):
            # The first "có" that does not start a word of its own (cơ sở, cơ quan, có thể is
            # framing too): without diacritics "co" is also "cơ".
            for i, f in enumerate(folded[:-1]):
                if f == "co" and (i + 1 >= n or folded[i + 1] not in _CO_WORDS):
                    marked.add(i)
                    break
    if accented:
        marked = {i for i in marked if exact[i] in _FRAMING_EXACT}
    return marked


def weighed_words(raw: str) -> list[tuple[str, float]]:
    """Each plain syllable of a query with the weight it gets (W_FRAMING for framing, 1 for a
    content word): what `--explain` shows beside the parsed query."""
    text = nfc(raw or "")
    accented = has_diacritics(text)
    exact = syllables(_QUERY_NUMBER.sub(" ", re.sub(r'"[^"]*"', " ", text)))[:MAX_QUERY_SYLLABLES]
    framing = framing_positions(exact, [fold(e) for e in exact], accented)
    return [(word, W_FRAMING if i in framing else 1.0) for i, word in enumerate(exact)]


def _syllable_clause(exact: str, folded: str, context: _Context, weight: float = 1.0) -> Query:
    if context.accented:
        # Every exact match is also a folded match (the folded view folds the same tokens), so
        # "folded, plus exact where it also matches" scores like the OR of the two but walks
        # only the folded postings, skipping the exact ones to each candidate. Titles are
        # matched on the folded view only (one posting list less per syllable), so they weigh
        # as a folded match: "Báo cáo về việc mất tài liệu" is no title for "bảo mật"
        # (bench/quality.py: diacritics 0.969 -> 0.970, abbreviation 0.921 -> 0.938, ocr
        # 0.984 -> 0.985 against full title weight; an exact title clause beside it: 0.969,
        # 0.921, 0.983).
        return Or([
            AndMaybe(Term("text_folded", folded, boost=W_FOLDED * weight), Term("text", exact, boost=W_EXACT * weight)),
            Term("title_folded", folded, boost=W_FOLDED * W_TITLE * weight),
        ])
    return Or([Term("text_folded", folded, boost=W_EXACT * weight), Term("title_folded", folded, boost=W_TITLE * weight)])


def _fuzzy_clause(folded: str) -> Query | None:
    """Near spellings of a syllable on the folded view, expanded from the lexicon of the
    searcher's own (scoped) reader only."""
    if W_FUZZY <= 0 or len(folded) < 4 or not folded.isalpha():
        return None
    return FuzzyTerm("text_folded", folded, boost=W_FUZZY, maxdist=1, prefixlength=1)


def _bigram_clause(exact: tuple[str, str], folded: tuple[str, str], context: _Context, weight: float = 1.0) -> Query:
    """Two query syllables side by side in the body. (A title-pair clause cost a posting list
    per pair and lowered bench/quality.py slightly: abbreviation 0.939 -> 0.921.)"""
    folded_pair = BIGRAM_SEPARATOR.join(folded)
    body = Term("text_bigrams_folded", folded_pair, boost=W_BIGRAM * (W_FOLDED if context.accented else 1.0) * weight)
    if context.accented:
        # As for syllables: an exact pair is always a folded pair too.
        body = AndMaybe(body, Term("text_bigrams", BIGRAM_SEPARATOR.join(exact), boost=W_BIGRAM * weight))
    if W_JOINED > 0 and all(f.isalpha() for f in folded):
        return Or([body, Term("text_folded", "".join(folded), boost=W_JOINED)])
    return body


def _sequence_query(folded: tuple[str, ...], boost: float) -> Query:
    """Documents holding the folded syllables side by side (bigram terms; one term for one)."""
    if len(folded) == 1:
        return Term("text_folded", folded[0], boost=boost)
    pairs = [Term("text_bigrams_folded", pair) for pair in pair_terms(list(folded))]
    return And(pairs, boost=boost) if len(pairs) > 1 else Term(pairs[0].fieldname, pairs[0].text, boost=boost)


def _number_query(number: str) -> Query:
    key = doc_number_key(number)
    parts = syllables(number, folded=True)
    clauses = [
        Term("doc_number_key", key, boost=W_NUMBER_OWN),
        Term("cited_numbers", key, boost=W_NUMBER_CITED),
        Term("text_folded", key, boost=W_NUMBER_CITED / 2),
    ]
    if len(parts) > 1:  # spaced forms in OCR'd text: "821 / QĐ - BQP"
        clauses.append(Phrase("text_positions", parts, boost=W_NUMBER_CITED / 4))
    if W_NUMBER_PARTS > 0:
        clauses.extend(Term("text_folded", part, boost=W_NUMBER_PARTS) for part in dict.fromkeys(parts))
    return Or(clauses)


def _words_query(text: str, context: _Context, require_all: bool) -> tuple[list[Query], list[Query]]:
    """(ranked clauses, required clauses) for a run of plain words."""
    should: list[Query] = []
    must: list[Query] = []
    rest = []
    last = 0
    for match in _QUERY_NUMBER.finditer(text):
        (must if require_all else should).append(_number_query(match.group(0)))
        rest.append(text[last : match.start()])
        last = match.end()
    rest.append(text[last:])
    for piece in rest:
        raw_words = piece.split()
        exact = context.budget.take(syllables(piece))
        if not exact:
            continue
        folded = [fold(s) for s in exact]
        framing = framing_positions(exact, folded, context.accented) if not require_all else set()
        weights = [W_FRAMING if i in framing else 1.0 for i in range(len(exact))]
        per_syllable = [_syllable_clause(e, f, context, w) for e, f, w in zip(exact, folded, weights)]
        if require_all:
            must.extend(per_syllable)
        else:
            should.extend(per_syllable)
        should.extend(q for q in map(_fuzzy_clause, folded) if q is not None)
        should.extend(_bigram_clause((a, b), (c, d), context, min(w1, w2))
                      for a, b, c, d, w1, w2 in zip(exact, exact[1:], folded, folded[1:], weights, weights[1:]))
        should.extend(_abbreviation_clauses(folded, raw_words))
    return should, must


def _abbreviation_clauses(folded: list[str], raw_words: list[str]) -> list[Query]:
    """Clauses for the other members of every abbreviation set a query sequence belongs to."""
    clauses: list[Query] = []
    typed_caps = {fold(w).lower().strip(".,;:") for w in raw_words if sum(c.isupper() for c in w) >= 2}
    sequence = tuple(folded)
    for entry in abbreviations():
        members = [entry.abbreviation, *entry.expansions]
        for index, member in enumerate(members):
            if not _contains(sequence, member):
                continue
            if index == 0 and len(member) == 1 and is_vietnamese_syllable(member[0]) and member[0] not in typed_caps:
                continue  # "da", "tc": an ordinary syllable unless typed in capitals
            # An abbreviation finds each of its meanings; a meaning finds the abbreviation only
            # (never the abbreviation's other meanings).
            others = list(entry.expansions) if index == 0 else [entry.abbreviation]
            share = W_ABBREVIATION / len(others)
            clauses.extend(_sequence_query(m, share) for m in others)
            break
    return clauses


def _contains(sequence: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(sequence[i : i + n] == part for i in range(len(sequence) - n + 1))


def _word_clause(text: str, context: _Context) -> Query | None:
    """A required or excluded word (+word, -word): every syllable of it."""
    if _QUERY_NUMBER.fullmatch(text.strip()):
        return _number_query(text)
    exact = context.budget.take(syllables(text))
    if not exact:
        return None
    clauses = [
        Or([Term("text_folded", fold(e)), Term("title_folded", fold(e))]) if not has_diacritics(e)
        else Or([Term("text", e), Term("title", e)])
        for e in exact
    ]
    return And(clauses) if len(clauses) > 1 else clauses[0]


def _phrase_query(text: str, context: _Context) -> Query | None:
    """The syllables of `text` in order: on the exact view when the phrase has diacritics."""
    if _QUERY_NUMBER.fullmatch(text.strip()):
        return _number_query(text)
    exact = context.budget.take(syllables(text))
    if not exact:
        return None
    folded = [fold(e) for e in exact]
    if has_diacritics(text):
        body, title, terms, pairs_field = "text", "title", exact, "text_bigrams"
    else:
        body, title, terms, pairs_field = "text_folded", "title_folded", folded, "text_bigrams_folded"
    if len(terms) == 1:
        return Or([Term(body, terms[0]), Term(title, terms[0], boost=W_TITLE)])
    # Looked up by its syllable pairs, positions checked only where every pair occurs
    # (phrases.py). Titles have a folded pair field only. The body's positions are of folded
    # syllables: an accented phrase is checked on them in documents that hold its exact pairs,
    # so a document holding "kho đạn" and "đạn dược" apart and "khô đàn dược" elsewhere would
    # pass; the title's exact positions are kept.
    return Or([
        PairPhrase(pairs_field, body, terms, check=("text_positions", folded)),
        PairPhrase("title_bigrams_folded", title, terms, boost=W_TITLE, pair_words=folded,
                   check=None if title == "title" else ("title_bigrams_folded", pair_terms(folded))),
    ])


# ---------------------------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------------------------
_YEAR = re.compile(r"^(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})$")


def field_query(name: str, value: str) -> Query:
    """The clause of one field of the language (`so`, `loai`, `coquan`, `nam`, `ngay`, `muc`)
    for `value`: what filters given as options use, so they select exactly what the field typed
    in a query selects. Raises UsageError for a malformed value."""
    if name not in _FIELD_NAMES.values():
        raise UsageError(f"unknown field {name}:")
    return _field_query(name, value)


def _field_query(name: str, value: str) -> Query:
    value = value.strip()
    if name == "so":
        key = doc_number_key(value)
        if not key:
            raise UsageError("so: needs a document number, e.g. so:821/QĐ-BQP or so:821")
        return Or([Term("doc_number_key", key), Prefix("doc_number_key", key + "/"), Prefix("doc_number_key", key + "-")])
    if name == "loai":
        return _type_query(value)
    if name == "coquan":
        return _issuer_query(value)
    if name == "nam":
        first, last = _range(value, _parse_year, "nam: expects a year or a range of years, e.g. nam:2015 or nam:2015..2020")
        return NumericRange("year", first[0] if first else None, last[1] if last else None)
    if name == "ngay":
        first, last = _range(value, _parse_date, "ngay: expects dates or years, e.g. ngay:2020-03-05, ngay:05/03/2020 or ngay:2015..2020")
        return TermRange("date", first[0].isoformat() if first else None, last[1].isoformat() if last else None)
    if name == "muc":
        return Term("classification", parse_level(value.replace("-", " ").replace("_", " ")).id)
    raise UsageError(f"unknown field {name}:")  # pragma: no cover - _FIELD_NAMES guards this


def _range(value: str, parse, message: str):
    """(first, last) bounds, each a (start, end) pair or None for an open side."""
    if ".." in value:
        low, _, high = value.partition("..")
        first = parse(low, message) if low else None
        last = parse(high, message) if high else None
        if first is None and last is None:
            raise UsageError(message)
        if first and last and first[0] > last[1]:
            raise UsageError(f"empty range {value!r}: the first bound is after the second")
        return first, last
    bounds = parse(value, message)
    return bounds, bounds


def _parse_year(text: str, message: str) -> tuple[int, int]:
    match = _YEAR.match(text.strip())
    if not match:
        raise UsageError(message)
    year = int(match.group(1))
    return year, year


def _parse_date(text: str, message: str) -> tuple[dt.date, dt.date]:
    text = text.strip()
    try:
        if match := _ISO.match(text):
            year, month, day = int(match.group(1)), match.group(2), match.group(3)
        elif match := _DMY.match(text):
            day, month, year = match.group(1), match.group(2), int(match.group(3))
        else:
            raise UsageError(message)
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        month = int(month)
        if day is None:
            start = dt.date(year, month, 1)
            end = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
            return start, end
        day_date = dt.date(year, month, int(day))
        return day_date, day_date
    except ValueError:
        raise UsageError(f"{text!r} is not a valid date; {message}") from None


def _type_query(value: str) -> Query:
    names = set()
    from archsearch.ingest.text_fields import type_of_group  # the ký-hiệu table of NĐ 30/2020 Phụ lục III

    typed = type_of_group(value.strip())
    if typed:
        names.add(doc_type_key(typed))
    names.add(doc_type_key(value))
    return Or([Term("doc_type_key", name) for name in sorted(names)]) if len(names) > 1 else Term("doc_type_key", names.pop())


def _issuer_query(value: str) -> Query:
    folded = tuple(syllables(value, folded=True))
    if not folded:
        raise UsageError("coquan: needs the name or abbreviation of an issuing body, e.g. coquan:BQP")
    alternatives = {folded}
    for entry in abbreviations():
        if folded == entry.abbreviation or folded in entry.expansions:
            alternatives.update([entry.abbreviation, *entry.expansions])
    clauses = []
    for alternative in sorted(alternatives):
        terms = [Term("issuer_folded", s) for s in alternative]
        clauses.append(And(terms) if len(terms) > 1 else terms[0])
    return Or(clauses) if len(clauses) > 1 else clauses[0]


# ---------------------------------------------------------------------------------------------
# Explaining
# ---------------------------------------------------------------------------------------------
def describe_query(query: Query, indent: str = "") -> list[str]:
    """The structure of a built query as indented lines ("OR", "AND", "field:term ^boost"): what
    `--explain` prints. Built from the query alone; nothing here reads an index."""
    name = type(query).__name__
    boost = f" ^{query.boost:g}" if getattr(query, "boost", 1.0) != 1.0 else ""
    if isinstance(query, (WhooshTerm, Prefix, FuzzyTerm)):
        kind = {"Prefix": "prefix ", "FuzzyTerm": "fuzzy "}.get(name, "")
        return [f"{indent}{kind}{query.fieldname}:{query.text}{boost}"]
    if isinstance(query, Phrase):
        return [f"{indent}phrase {query.fieldname}:\"{' '.join(query.words)}\"{boost}"]
    if isinstance(query, PairPhrase):
        return [f"{indent}phrase {query.word_field}:\"{' '.join(query.words)}\" (by {query.pair_field} pairs){boost}"]
    if isinstance(query, (TermRange, NumericRange)):
        start = "" if query.start is None else query.start
        end = "" if query.end is None else query.end
        return [f"{indent}range {query.fieldname}:{start}..{end}{boost}"]
    if isinstance(query, (AndMaybe, AndNot)):
        label = "AND-MAYBE (required, then optional)" if isinstance(query, AndMaybe) else "AND-NOT (kept, then excluded)"
        return [f"{indent}{label}{boost}", *describe_query(query.a, indent + "  "), *describe_query(query.b, indent + "  ")]
    if isinstance(query, (And, WhooshOr)):
        label = "AND (all of)" if isinstance(query, And) else "OR (any of, ranked)"
        lines = [f"{indent}{label}{boost}"]
        for sub in query.subqueries:
            lines.extend(describe_query(sub, indent + "  "))
        return lines
    return [f"{indent}{query!r}"]
