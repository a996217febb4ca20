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
nested at most MAX_QUERY_DEPTH (query_language.py) deep; a malformed one raises UsageError with a message saying what to fix, never a traceback.

Where each part lives: reading the language into a tree, query_language.py; the fields,
query_fields.py; abbreviations, abbreviations.py; question framing, framing.py; references
("Điều 5 Quyết định 305/QĐ-TCCNQP"), citations.py; `--explain`, query_explain.py. This module
compiles the tree into the ranked Whoosh query and holds every ranking weight (bench/quality.py
`--set` overrides them here).

"mắt" typed with its diacritics excludes only documents holding it so, while "kho" ranks on both
views:

>>> from archsearch.engine.query_explain import describe_query
>>> print("\\n".join(describe_query(build_query("kho AND NOT mắt"))))
AND-NOT (kept, then excluded)
  OR (any of, ranked)
    AND-MAYBE (required, then optional)
      text_folded:kho ^0.2
      text:kho
    title_folded:kho ^0.2
  OR (any of, ranked)
    text:mắt
    title:mắt
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh.query import And, AndMaybe, AndNot, FuzzyTerm, Phrase, Query
from whoosh.query import Or as WhooshOr

from archsearch.engine.abbreviations import abbreviations
from archsearch.engine.analysis import BIGRAM_SEPARATOR, doc_number_key, syllables
from archsearch.engine.bm25f import BoostedTerm as Term  # boosts applied inside the scorer (ranking.py)
from archsearch.engine.framing import framing_positions
from archsearch.engine.phrases import PairPhrase, pair_terms
from archsearch.engine.query_fields import field_query
from archsearch.engine.query_language import QUERY_NUMBER, Node, Run, parse_query
from archsearch.errors import UsageError
from archsearch.normalise import fold, is_vietnamese_syllable, nfc


class Or(WhooshOr):
    """Whoosh's OR, always matched as a tree of binary unions. On a segment under 5,000
    documents Whoosh otherwise pre-loads and scores every posting of every clause (its array
    matcher), which skips nothing: at 10k documents, whose segments are all that small, it
    took 85 % of a ranked search (cProfile, bench/query.py queries)."""

    matcher_type = WhooshOr.DEFAULT_MATCHER


MAX_QUERY_CHARS = 1000
MAX_QUERY_SYLLABLES = 64

# Weights, tuned on bench/quality.py (see README, "Retrieval quality").
W_EXACT = 1.0  # a syllable on the exact view (query with diacritics)
# The same syllable (or pair) matched only on the folded view, for a query with diacritics:
# "mất" where "mật" was typed. Kept above 0 for the misread marks of scans. 0.5 -> 0.2 on the
# tuning half of bench/quality.py: 0.1-0.24 raise "diacritics" 0.953 -> 0.956; of those, 0.2-0.24
# lower no tuning group (they are identical there; below 0.2 "ocr" drops), and 0.2 is the round
# value among them.
W_FOLDED = 0.2
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
    tree = parse_query(text)
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


def _compile(node: Node, context: _Context, require_all: bool):
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


def _compile_run(run: Run, context: _Context, require_all: bool):
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
            clause = field_query(tok.name, tok.text)
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


def weighed_words(raw: str) -> list[tuple[str, float]]:
    """Each plain syllable of a query with the weight it gets (W_FRAMING for framing, 1 for a
    content word): what `--explain` shows beside the parsed query."""
    text = nfc(raw or "")
    accented = has_diacritics(text)
    exact = syllables(QUERY_NUMBER.sub(" ", re.sub(r'"[^"]*"', " ", text)))[:MAX_QUERY_SYLLABLES]
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
    for match in QUERY_NUMBER.finditer(text):
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
        if require_all:
            must.extend(_syllable_clause(e, f, context, w) for e, f, w in zip(exact, folded, weights))
        else:
            # A syllable typed twice ("thức ăn chăn nuôi … thức ăn chăn nuôi") counts twice, as
            # two clauses would, but its postings are read once: the weights of its occurrences
            # add up (a long question repeats many of its words and pairs).
            should.extend(_syllable_clause(e, f, context, w)
                          for (e, f), w in _summed(zip(zip(exact, folded), weights)).items())
        should.extend(q for q in map(_fuzzy_clause, dict.fromkeys(folded)) if q is not None)
        pairs = (((a, b), (c, d), min(w1, w2))
                 for a, b, c, d, w1, w2 in zip(exact, exact[1:], folded, folded[1:], weights, weights[1:]))
        should.extend(_bigram_clause(e, f, context, w) for (e, f), w in _summed(((e, f), w) for e, f, w in pairs).items())
        should.extend(_abbreviation_clauses(folded, raw_words))
    return should, must


def _summed(weighed) -> dict:
    """{key: the sum of its weights}, in the order keys first appear."""
    sums: dict = {}
    for key, weight in weighed:
        sums[key] = sums.get(key, 0.0) + weight
    return sums


def _abbreviation_clauses(folded: list[str], raw_words: list[str]) -> list[Query]:
    """Clauses for the other members of every abbreviation set a query sequence belongs to."""
    clauses: list[Query] = []
    typed_caps = {fold(w).lower().strip(".,;:") for w in raw_words if sum(c.isupper() for c in w) >= 2}
    runs = _runs(tuple(folded), _longest_member())
    for entry in abbreviations():
        members = [entry.abbreviation, *entry.expansions]
        for index, member in enumerate(members):
            if member not in runs:
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


@lru_cache(maxsize=1)
def _longest_member() -> int:
    return max((len(m) for e in abbreviations() for m in (e.abbreviation, *e.expansions)), default=0)


def _runs(sequence: tuple[str, ...], longest: int) -> set[tuple[str, ...]]:
    """Every run of up to `longest` adjacent syllables of `sequence`: an abbreviation's member
    is in the query when it is one of them (one set lookup per member, where scanning the
    query for each of the list's members took several milliseconds of a 40-syllable question)."""
    return {sequence[i : i + n] for n in range(1, longest + 1) for i in range(len(sequence) - n + 1)}


def _typed_clause(text: str, context: _Context, build) -> Query | None:
    """The clause of a typed unit (a signed word, a phrase): a whole document number as a number,
    else `build(text, syllables)` on the syllables the budget leaves (None when it leaves none)."""
    if QUERY_NUMBER.fullmatch(text.strip()):
        return _number_query(text)
    exact = context.budget.take(syllables(text))
    return build(text, exact) if exact else None


def _word_clause(text: str, context: _Context) -> Query | None:
    """A required or excluded word (+word, -word): every syllable of it."""
    return _typed_clause(text, context, _all_syllables)


def _all_syllables(text: str, exact: list[str]) -> Query:
    clauses = [
        Or([Term("text_folded", fold(e)), Term("title_folded", fold(e))]) if not has_diacritics(e)
        else Or([Term("text", e), Term("title", e)])
        for e in exact
    ]
    return And(clauses) if len(clauses) > 1 else clauses[0]


def _phrase_query(text: str, context: _Context) -> Query | None:
    """The syllables of `text` in order: on the exact view when the phrase has diacritics."""
    return _typed_clause(text, context, _syllables_in_order)


def _syllables_in_order(text: str, exact: list[str]) -> Query:
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
