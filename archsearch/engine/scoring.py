"""A ranked search scored a whole posting list at a time, with numpy: the top N and the exact
total of one query, over all the searcher's segments at once, in one pass.

Whoosh scores a query by walking a tree of matchers posting by posting, several Python calls
per posting per clause. A query typed with diacritics is 13 posting lists for three syllables
(exact and folded views, titles, pairs), and for the words an archive uses everywhere each list
holds nearly every document: at 50k documents that walk took seconds, and no pruning helps when
every document scores about the same. Here each term's posting list is read as arrays from
every segment (postings.py: the segment's posting-arrays file, or Whoosh's blocks), joined
into the docnums of the combined reader, scored with BM25F over the whole array at once, and
combined over arrays as long as the combined reader: OR adds, AND intersects, AND-MAYBE adds
the optional side where the required side matches, AND-NOT removes. A phrase keeps the
documents holding all its pairs whose positions pass the check, read for those documents
only. Anything else (prefixes, ranges, Whoosh's own phrase) is matched and scored by Whoosh's
matchers, segment by segment. The scores are the ones Whoosh computes with the statistics of
the documents the user may see that are live (visible.py; tests/test_dense.py compares them).
The documents the user may not see among those the searcher opened (the compartment mask,
`hidden`) and those a filter leaves out (`allowed`) are removed before anything is counted or
ranked.
"""
from __future__ import annotations

import pickle
from bisect import bisect_right
from dataclasses import dataclass
from itertools import chain
from typing import Iterable

import numpy as np
from whoosh.matching import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, NullQuery, Or, Query, Require, Term
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from archsearch.engine.index import ArrayPositions
from archsearch.engine.phrases import PairPhrase
from archsearch.engine.posting_arrays import hashed_key
from archsearch.engine.postings import live_docs, member_mask, sorted_array, stored_lengths, term_arrays, walk
from archsearch.engine.bm25f import BoostedTerm
from archsearch.engine.visible import VisibleStatistics, statistics_of
from archsearch.engine.whoosh_private import (block_contents, block_exhausted, block_last_docnum, field_B,
                                              is_unread_block_reader, next_block)

_LENGTHS_ATTRIBUTE = "_archsearch_length_arrays"
_NORMS_ATTRIBUTE = "_archsearch_dense_norms"
_TERM_TYPES = (Term, BoostedTerm)


@dataclass
class Ranked:
    """The best `limit` matches as (score, docnum), best first, ties in index order; and how
    many documents match in all."""

    top: list[tuple[float, int]]
    total: int
    # With keep_matches: every match, as (segment reader, its sorted docnums in that segment).
    matches: list[tuple[object, np.ndarray]] | None = None


def rank(searcher: Searcher, query: Query, limit: int | None, allowed: Iterable[int] | None = None,
         hidden: Iterable[int] = (), keep_matches: bool = False) -> Ranked:
    """The top `limit` (every match when None) of `query` over the searcher's segments, and the
    total, counting only documents in `allowed` (when given) and not in `hidden` (docnums of
    the searcher's combined reader). With `keep_matches`, also every match (`Ranked.matches`,
    what the facets count)."""
    weighting = searcher.weighting
    if not isinstance(weighting, BM25F):
        raise TypeError("dense scoring computes BM25F; the searcher weighs with %r" % weighting)
    combined = _Combined(searcher, weighting, statistics_of(searcher))
    if not combined.size:
        return Ranked([], 0, [] if keep_matches else None)
    mask, scores = combined.evaluate(query)
    live = combined.live_docs()
    if live is not None:
        mask &= live  # postings still list deleted documents
    if allowed is not None:
        mask &= member_mask(sorted_array(allowed), 0, combined.size)
    if hidden:
        mask &= ~member_mask(sorted_array(hidden), 0, combined.size)
    docnums = np.flatnonzero(mask)
    total = len(docnums)
    matches = [(part.reader, inside) for part, inside in combined.per_segment(docnums)] if keep_matches else None
    if not total:
        return Ranked([], 0, matches)
    chosen = scores[docnums]
    if limit is not None and total > limit:
        docnums, chosen = _best(docnums, chosen, limit)
    order = np.lexsort((docnums, -chosen))  # best first; equal scores in index order
    if limit is not None:
        order = order[:limit]
    return Ranked([(float(chosen[i]), int(docnums[i])) for i in order], total, matches)


def matching(searcher: Searcher, query: Query) -> set[int]:
    """Every docnum (of the combined reader) matching `query`, unranked."""
    return {docnum for _score, docnum in rank(searcher, query, None).top}


def _best(docnums: np.ndarray, scores: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """The `limit` best matches; of those tied with the last place, the first in index order
    (as Whoosh's collector keeps them)."""
    cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]  # the limit-th best score
    above = scores > cut
    tied = np.flatnonzero(scores == cut)[: limit - int(above.sum())]
    keep = np.concatenate([np.flatnonzero(above), tied])
    return docnums[keep], scores[keep]


@dataclass
class _Part:
    """One segment of the searcher's combined reader: its documents are docnums
    offset .. offset + size - 1 of the combined reader."""

    leaf: Searcher
    reader: object
    offset: int
    size: int


class _Combined:
    """The search over every segment at once: evaluate(query) -> (mask of matching docnums, their
    scores), arrays as long as the combined reader. A term's posting list is read segment by
    segment and scored once, over all of them: a 40-syllable question is some 170 terms, and
    scoring each one segment at a time cost Python overhead and two segment-long arrays per
    term and segment (at 50k documents a top-secret user's searcher has 18 segments)."""

    def __init__(self, searcher: Searcher, weighting: BM25F, statistics: VisibleStatistics):
        self.searcher, self.weighting, self.statistics = searcher, weighting, statistics
        self.parts = [_Part(leaf, leaf.reader(), offset, leaf.reader().doc_count_all())
                      for leaf, offset in searcher.leaf_searchers()]
        self.parts = [part for part in self.parts if part.size]
        self.size = searcher.doc_count_all()
        self.arrays: dict = {}  # posting arrays read while counting a term, scored where they were read

    def empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size)

    def live_docs(self) -> np.ndarray | None:
        """Which documents are not deleted; None when none is."""
        if not any(part.reader.has_deletions() for part in self.parts):
            return None
        live = np.ones(self.size, dtype=bool)
        for part in self.parts:
            if part.reader.has_deletions():
                live[part.offset:part.offset + part.size] = live_docs(part.reader)
        return live

    def per_segment(self, docnums: np.ndarray) -> list[tuple[_Part, np.ndarray]]:
        """Sorted docnums of the combined reader as (segment, its own docnums), those holding any."""
        found = []
        for part in self.parts:
            start, stop = np.searchsorted(docnums, [part.offset, part.offset + part.size])
            if stop > start:
                found.append((part, docnums[start:stop] - part.offset))
        return found

    def evaluate(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        if type(query) in _TERM_TYPES:
            return self._term(query)
        if isinstance(query, PairPhrase):
            mask, scores = self._and(query)
            if query.needs_positions() and mask.any():
                candidates = np.flatnonzero(mask)
                mask[:] = False
                for part, inside in self.per_segment(candidates):
                    mask[_in_sequence(part.reader, query.check_field, query.check_words, inside) + part.offset] = True
                scores[~mask] = 0.0
            return mask, scores
        if isinstance(query, Or) and not query.minmatch and not getattr(query, "scale", None):
            return self._or(query)
        if type(query) is And:
            return self._and(query)
        if type(query) is AndMaybe:
            mask, scores = self.evaluate(query.a)
            if mask.any():
                optional, extra = self.evaluate(query.b)
                scores += np.where(optional & mask, extra, 0.0)
            return mask, scores
        if type(query) in (AndNot, Require):
            mask, scores = self.evaluate(query.a)
            if mask.any():
                other, _ = self.evaluate(query.b)
                mask &= ~other if type(query) is AndNot else other
                scores[~mask] = 0.0
            return mask, scores
        if query is NullQuery or isinstance(query, type(NullQuery)):
            return self.empty()
        return self._whoosh(query)

    def _or(self, query: Or) -> tuple[np.ndarray, np.ndarray]:
        subs = query.subqueries
        if not subs:
            return self.empty()
        if len(subs) == 1:  # Whoosh matches a one-clause compound as its clause (no boost)
            return self.evaluate(subs[0])
        mask, scores = self.empty()
        self._add(query, mask, scores)
        if query.boost != 1.0:
            scores *= query.boost
        return mask, scores

    def _add(self, query: Or, mask: np.ndarray, scores: np.ndarray) -> None:
        """Add an OR's clauses, one after the other, into `mask` and `scores`: the OR of a
        40-syllable question has some 170 clauses, most of them rare pairs and syllables, and a
        clause holding only a term (or a term and its exact view, AND-MAYBE) adds its postings
        alone instead of two arrays as long as the archive. Each document's score is the sum of
        its clauses' scores in clause order (Whoosh adds them in a tree: the two can differ in
        the last bit, never in what matches)."""
        for sub in query.subqueries:
            sparse = self._sparse(sub)
            if sparse is not None:
                docnums, contributions = sparse
                mask[docnums] = True
                scores[docnums] += contributions
            elif isinstance(sub, Or) and type(sub) is type(query) and sub.boost == 1.0 and not sub.minmatch \
                    and not getattr(sub, "scale", None) and sub.subqueries:
                self._add(sub, mask, scores)
            else:
                other, more = self.evaluate(sub)
                mask |= other
                scores += more

    def _sparse(self, query: Query) -> tuple[np.ndarray, np.ndarray] | None:
        """(docnums, scores) of a clause that is a term, or a term AND-MAYBE a term, when the
        terms are scored here; None for any other clause."""
        if type(query) in _TERM_TYPES:
            return self._term_postings(query)
        if type(query) is AndMaybe and type(query.a) in _TERM_TYPES and type(query.b) in _TERM_TYPES:
            required = self._term_postings(query.a)
            if required is None:
                return None
            docnums, scores = required
            if len(docnums):
                optional = self._term_postings(query.b)
                if optional is None:
                    return None
                extra_docs, extra = optional
                if len(docnums) * 16 > self.size:  # common: a scratch array beats binary searches
                    added = np.zeros(self.size)
                    added[extra_docs] = extra
                    scores += added[docnums]  # 0 where the optional side is missing
                else:
                    at = np.minimum(np.searchsorted(docnums, extra_docs), len(docnums) - 1)
                    both = docnums[at] == extra_docs
                    scores[at[both]] += extra[both]
            if query.boost != 1.0:
                scores *= query.boost
            return docnums, scores
        return None

    def _and(self, query: And) -> tuple[np.ndarray, np.ndarray]:
        subs = query.subqueries
        if not subs:
            return self.empty()
        if len(subs) == 1:
            return self.evaluate(subs[0])
        mask, scores = self.evaluate(subs[0])
        for sub in subs[1:]:
            if not mask.any():
                break
            other, more = self.evaluate(sub)
            mask &= other
            scores += more
        scores[~mask] = 0.0
        if query.boost != 1.0:
            scores *= query.boost
        return mask, scores

    def _term(self, query: Term) -> tuple[np.ndarray, np.ndarray]:
        found = self._term_postings(query)
        if found is None:  # unscored fields (IDs, keywords) and readers without a length column
            return self._whoosh(query)
        docnums, contributions = found
        mask, scores = self.empty()
        mask[docnums] = True
        scores[docnums] = contributions
        return mask, scores

    def _term_postings(self, query: Term) -> tuple[np.ndarray, np.ndarray] | None:
        """The documents holding the term (sorted docnums of the combined reader) and their
        scores; None when the term is not scored here (left to Whoosh's matcher)."""
        schema = self.searcher.schema
        if query.fieldname not in schema:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        field = schema[query.fieldname]
        norms = self._length_norms(query.fieldname) if field.scorable else None
        if norms is None:
            return None
        try:
            text = field.to_bytes(query.text)
        except ValueError:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        found = self._part_arrays(query.fieldname, text)  # before the statistics, which count them
        idf = self.statistics.idf(query.fieldname, text, self.arrays)
        docnums, weights = _joined(found)
        K1 = self.weighting.K1
        # ranking._Scorer's score, qf * bm25(idf, tf, fl, avgfl, B, K1), with Whoosh's operations
        # in Whoosh's order so that the floats are the same (in place: no array is allocated twice).
        scores = weights * (K1 + 1)
        weights += norms[docnums]
        scores /= weights
        scores *= idf
        scores *= query.boost
        return docnums, scores

    def _part_arrays(self, fieldname: str, text: bytes) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(segment offset, docnums, weights) of each segment holding the term, as stored
        (read-only views of a posting-arrays file), read once per search and kept in
        `self.arrays`, where the statistics count them: the term's key is hashed once for all
        the segments."""
        hashed = hashed_key(fieldname, text)
        found = []
        for part in self.parts:
            stashed = (id(part.reader), fieldname, text)
            arrays = self.arrays.get(stashed, _UNREAD)
            if arrays is _UNREAD:
                arrays = self.arrays[stashed] = term_arrays(part.reader, fieldname, text, raw=True, hashed=hashed)
            if arrays is not None and len(arrays[0]):
                found.append((part.offset, arrays[0], arrays[1]))
        return found

    def _length_norms(self, fieldname: str) -> np.ndarray | None:
        """BM25's length part of every document, K1 * ((1 - B) + B * fl / avgfl), once per
        searcher (avgfl is over the documents the user may see, visible.py)."""
        norms = self.searcher.__dict__.setdefault(_NORMS_ATTRIBUTE, {})
        if fieldname not in norms:
            lengths = [_lengths(part.reader, fieldname) for part in self.parts]
            if any(part is None for part in lengths):
                norms[fieldname] = None
            else:
                B = field_B(self.weighting, fieldname)
                joined = np.concatenate(lengths) if lengths else np.zeros(0)
                norms[fieldname] = self.weighting.K1 * ((1 - B) + B * joined / self.statistics.average_length(fieldname))
        return norms[fieldname]

    def _whoosh(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Whoosh's own matcher for a clause this module does not compute, with its scores."""
        mask, scores = self.empty()
        context = self.searcher.context()
        for part in self.parts:
            matcher = query.matcher(part.leaf, context)
            while matcher.is_active():
                docnum = part.offset + matcher.id()
                mask[docnum] = True
                scores[docnum] = matcher.score()
                matcher.next()
        return mask, scores


def _joined(found: list[tuple[int, np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """One term's arrays of several segments as docnums of the combined reader and weights
    (new arrays, float64): joined as stored, then widened and renumbered once."""
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(found) == 1:
        offset, docnums, weights = found[0]
        return docnums.astype(np.int64) + offset, weights.astype(np.float64)
    joined = np.concatenate([docnums for _offset, docnums, _weights in found]).astype(np.int64)
    joined += np.repeat(np.array([offset for offset, _d, _w in found], dtype=np.int64),
                        [len(docnums) for _offset, docnums, _weights in found])
    return joined, np.concatenate([weights for _offset, _docnums, weights in found]).astype(np.float64)


_UNREAD = object()


def _lengths(reader, fieldname: str) -> np.ndarray | None:
    """A segment's field lengths as ranking.field_lengths gives them to the scorer: 1 where none."""
    cache = reader.__dict__.setdefault(_LENGTHS_ATTRIBUTE, {})
    if fieldname not in cache:
        stored = stored_lengths(reader, fieldname)
        cache[fieldname] = None if stored is None else np.maximum(stored, 1).astype(np.float64)
    return cache[fieldname]


def _in_sequence(reader, fieldname: str, words: list[str], candidates: np.ndarray) -> np.ndarray:
    """Those of `candidates` (sorted docnums of one segment) holding `words` at consecutive
    positions of `fieldname`. A word's positions are decoded only for the candidates, all
    words' together as arrays of (docnum, position - its place in the phrase) keys, and the
    documents where every word has a key in common pass."""
    field = reader.schema[fieldname]
    common = None  # keys every word so far holds: docnum << 32 | start position
    for place, word in enumerate(words):
        try:
            docnums, values = _positions(reader.postings(fieldname, field.to_bytes(word)), candidates)
        except TermNotFound:
            return candidates[:0]
        if not len(docnums):
            return candidates[:0]
        at = np.minimum(np.searchsorted(docnums, candidates), len(docnums) - 1)
        holding = docnums[at] == candidates
        candidates, at = candidates[holding], at[holding]
        if not len(candidates):
            return candidates
        counts, positions = _decode_positions(field.format, [values[i] for i in at.tolist()])
        # Ascending: candidates are, and so are a document's positions.
        keys = (np.repeat(candidates, counts) << 32) | (positions + len(words) - place)
        common = keys if common is None else common[np.isin(common, keys, assume_unique=True)]
        if not len(common):
            return candidates[:0]
        docs = common >> 32
        candidates = docs[np.concatenate([[True], docs[1:] != docs[:-1]])]
    return candidates


def _decode_positions(format_, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """How many positions each value holds, and all of them, in order, as one array."""
    if isinstance(format_, ArrayPositions):  # 32-bit positions: one array for all the values
        counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
        return counts, np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
    # Whoosh's Positions format: a 4-byte count, then a pickled list of position gaps.
    gaps = [pickle.loads(value[4:]) for value in values]
    counts = np.fromiter(map(len, gaps), dtype=np.int64, count=len(gaps))
    running = np.cumsum(np.fromiter(chain.from_iterable(gaps), dtype=np.int64, count=int(counts.sum())))
    before = np.concatenate([[0], running])[np.cumsum(counts) - counts]  # the sum before each list
    return counts, running - np.repeat(before, counts)


def _positions(postings, wanted: np.ndarray) -> tuple[np.ndarray, list]:
    """A posting list's docnums and raw values (one per posting), from the blocks that may
    hold one of `wanted` (sorted docnums) only: the candidates of a phrase are often few while
    its words ("của", "và") are in every document, and a block of values is a thousand
    positions lists to unpickle."""
    if isinstance(postings, FilterMatcher):
        postings = postings.child
    if not is_unread_block_reader(postings):  # not a Whoosh 3 block reader: few postings, or in memory
        docnums, _weights, values = walk(postings, values=True)
        return docnums, values
    targets = wanted.tolist()
    parts: list[np.ndarray] = []
    values: list = []
    first = 0  # the first target not yet passed
    while not block_exhausted(postings) and first < len(targets):
        past = bisect_right(targets, block_last_docnum(postings), first)
        if past > first:  # a target falls in this block
            gaps, _weights, block_values = block_contents(postings)
            parts.append(np.cumsum(np.array(gaps, dtype=np.int64)))  # gaps, from 0
            values.extend(block_values)
        first = past
        next_block(postings)
    if not parts:
        return np.zeros(0, dtype=np.int64), values
    return np.concatenate(parts), values

