"""Ranking statistics over exactly the documents a user may see and that are live: document
count, document and collection frequencies, average field lengths, and key terms of a text.

A searcher opens the partitions of the user's levels, whose segments also hold documents the
user may not see (those of a compartment they lack, masked inside the search) and deleted
ones (a document re-indexed, or moved to another level, stays in its old segment, marked
deleted, until the segment is merged). Whoosh's statistics count both: a score, or which
words of a draft `similar --text` keeps, would then depend on words only hidden documents
hold -- an oracle for them. Here every statistic is counted over the visible live documents
alone, so a word held only by hidden or deleted documents weighs exactly like a word that
exists nowhere, and a user's scores are those of an index holding only what they may see.

How: per segment, the documents that count (live, not hidden) as a boolean array. A segment
where every document counts answers from Whoosh's term dictionary (its counts are exact
there); elsewhere the term's posting list is read as arrays (postings.py) and counted inside
the array. Average lengths sum the stored one-byte length of each counted document (the same
length BM25 reads for that document): Whoosh keeps the exact total per segment only, which
cannot be split into visible and hidden parts, and the byte lengths make the average of the
same documents the same whatever else shares their segments.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from math import log
from typing import Callable, Iterable

import numpy as np
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from archsearch.engine.postings import live_docs, member_mask, sorted_array, stored_lengths, term_arrays

_ATTRIBUTE = "_archsearch_visible_statistics"


class VisibleStatistics:
    """The statistics of one searcher (over its combined reader) counted over its visible
    live documents; computed lazily, each once per searcher."""

    def __init__(self, searcher: Searcher, hidden: Callable[[], Iterable[int]] = lambda: ()):
        self._searcher = searcher
        self._hidden = hidden  # docnums of the combined reader the user may not see
        self._segments: list[tuple[object, np.ndarray | None, int]] | None = None
        self._doc_count: int | None = None
        self._counts: dict[tuple[str, bytes], tuple[int, float]] = {}
        self._averages: dict[str, float] = {}
        self._computing = False

    def segments(self) -> list[tuple[object, np.ndarray | None, int]]:
        """(segment reader, which of its documents count or None when all do, how many do not)."""
        if self._segments is None:
            if self._computing:  # finding the hidden documents must not need these statistics
                raise RuntimeError("visible statistics needed while finding the hidden documents")
            self._computing = True
            try:
                hidden = sorted_array(self._hidden() or ())
            finally:
                self._computing = False
            segments = []
            for reader, offset in self._searcher.reader().leaf_readers():
                size = reader.doc_count_all()
                counted = live_docs(reader).copy() if reader.has_deletions() else None
                inside = member_mask(hidden, offset, size) if len(hidden) else None
                if inside is not None and inside.any():
                    counted = (np.ones(size, dtype=bool) if counted is None else counted) & ~inside
                segments.append((reader, counted, 0 if counted is None else size - int(counted.sum())))
            self._segments = segments
        return self._segments

    def doc_count(self) -> int:
        if self._doc_count is None:
            self._doc_count = sum(reader.doc_count_all() if counted is None else int(counted.sum())
                                  for reader, counted, _uncounted in self.segments())
        return self._doc_count

    def counts(self, fieldname: str, text: bytes, arrays: dict | None = None) -> tuple[int, float]:
        """(documents holding the term, its total weight) over the visible live documents.
        With `arrays` (a search about to score the term), every segment's posting arrays are
        read here and left in `arrays` (keyed by reader id, field, text) for the caller to score
        with: one term lookup per segment instead of one here and one when scoring. Without it
        (weighing a draft's many terms), a segment where everything counts answers from the
        term dictionary alone."""
        key = (fieldname, text)
        if key not in self._counts or (arrays is None and self._counts[key][1] is None):
            # Scoring needs the document count alone: its total weight is left out (None).
            documents, weight = 0, (0.0 if arrays is None else None)
            for reader, counted, _uncounted in self.segments():
                if counted is None and arrays is None:
                    try:
                        info = reader.term_info(fieldname, text)
                    except TermNotFound:
                        continue
                    documents += info.doc_frequency()
                    weight += info.weight()
                    continue
                stashed = (id(reader), fieldname, text)
                if arrays is not None and stashed in arrays:  # read by the search already
                    found = arrays[stashed]
                else:
                    found = term_arrays(reader, fieldname, text, raw=arrays is not None)
                    if arrays is not None:
                        arrays[stashed] = found
                if found is None:
                    continue
                docnums, weights = found
                if counted is None:  # every posting counts: the term dictionary's own figures
                    documents += len(docnums)
                    if weight is not None:
                        weight += float(weights.sum())
                    continue
                holding = counted[docnums]
                documents += int(holding.sum())
                if weight is not None:
                    weight += float(weights[holding].sum())
            self._counts[key] = (documents, weight)
        return self._counts[key]

    def idf(self, fieldname: str, text: bytes, arrays: dict | None = None) -> float:
        """Whoosh's BM25F idf, log(N / (df + 1)) + 1, over the visible live documents."""
        count = self.doc_count()
        if not count:  # nothing visible: no document will be scored
            return 1.0
        documents, _weight = self.counts(fieldname, text, arrays)
        return log(count / (documents + 1)) + 1

    def average_length(self, fieldname: str) -> float:
        """The mean stored length of `fieldname` over the visible live documents (1 when 0)."""
        if fieldname not in self._averages:
            total = 0
            for reader, counted, _uncounted in self.segments():
                lengths = stored_lengths(reader, fieldname)
                if lengths is None:
                    lengths = np.array([reader.doc_field_length(d, fieldname) or 0
                                        for d in range(reader.doc_count_all())], dtype=np.int64)
                total += int(lengths.sum() if counted is None else lengths[counted].sum())
            count = self.doc_count()
            self._averages[fieldname] = (total / count if count else 0) or 1
        return self._averages[fieldname]

    def key_terms(self, fieldname: str, text: str, number: int,
                  max_distinct: int | None = None) -> list[tuple[str, float]]:
        """The `number` most distinctive terms of `text` in `fieldname`, with weights: Whoosh's
        key_terms_from_text (Bo1 model, normalised weights, same order), its statistics over
        the visible live documents. A term no visible live document holds is left out, as
        Whoosh leaves out a term the index lacks; with none left, no terms.

        Counting a term inside the mask reads its posting list, and a draft has thousands of
        terms: the terms are taken in order of the best score their term-dictionary counts
        allow (`_score_bound`), counted exactly, and the rest left once the `number`-th best
        exact score beats every remaining bound. The result is that of counting every term.
        With `max_distinct`, only that many of the text's terms are weighed, the most frequent
        in it (ties by the term): junk of many distinct words costs a bounded number of lookups."""
        count = self.doc_count()
        if not count or not text:
            return []
        field = self._searcher.schema[fieldname]
        in_text: dict[str, float] = defaultdict(float)
        for token, _freq, weight, _value in field.index(text):
            in_text[field.from_bytes(token)] += weight
        if max_distinct is not None and len(in_text) > max_distinct:
            in_text = dict(heapq.nlargest(max_distinct, in_text.items(), key=lambda item: (item[1], item[0])))
        bounded = []
        for word, weight in in_text.items():
            btext = field.to_bytes(word)
            bound = self._score_bound(fieldname, btext, weight, count)
            if bound is not None:
                bounded.append((-bound, word, btext, weight))
        bounded.sort()
        scored: list[tuple[float, str]] = []
        best: list[float] = []  # the `number` best exact scores, a min-heap
        for negative_bound, word, btext, weight in bounded:
            if len(best) >= number and best[0] > -negative_bound:
                break  # no term left can reach the top `number`
            documents, frequency = self.counts(fieldname, btext)
            if not documents:
                continue
            score = _bo1(weight, frequency, count)
            scored.append((score, word))
            (heapq.heappush if len(best) < number else heapq.heappushpop)(best, score)
        if not scored:
            return []
        norm = _bo1_normaliser(max(score for score, _word in scored), count)
        weighed = sorted(((score / norm, word) for score, word in scored), key=lambda item: (-item[0], item[1]))
        return [(word, weight) for weight, word in weighed[:number]]

    def _score_bound(self, fieldname: str, text: bytes, weight: float, count: int) -> float | None:
        """An upper bound of the term's Bo1 score from the term dictionaries alone (exact when
        its counts are known); None when no document at all holds the term. In a segment with
        E uncounted documents, at most min(df, E) postings of the term are uncounted, each
        weighing at most the term's maximum weight there."""
        documents, frequency = self._counts.get((fieldname, text), (None, None))
        if frequency is not None:
            return _bo1(weight, frequency, count) if documents else None
        low = high = 0.0
        for reader, counted, uncounted in self.segments():
            try:
                info = reader.term_info(fieldname, text)
            except TermNotFound:
                continue
            high += info.weight()
            if counted is None:
                low += info.weight()
            else:
                low += max(0.0, info.weight() - min(info.doc_frequency(), uncounted) * info.max_weight())
        if not high:
            return None
        if not low:
            return float("inf")
        # Bo1 falls, then rises, with the frequency: its largest value on [low, high] is at an end.
        return max(_bo1(weight, low, count), _bo1(weight, high, count)) * (1 + 1e-9)


def _bo1(weight_in_text: float, frequency: float, count: int) -> float:
    """Whoosh's Bo1Model.score."""
    f = frequency / count
    return weight_in_text * log((1.0 + f) / f, 2) + log(1.0 + f, 2)


def _bo1_normaliser(best: float, count: int) -> float:
    """Whoosh's Bo1Model.normalizer."""
    f = best / count
    return (best * log((1.0 + f) / f) + log(1.0 + f)) / log(2.0)


def install(searcher: Searcher, hidden: Callable[[], Iterable[int]]) -> VisibleStatistics:
    """Give `searcher` the statistics of its user: `hidden` returns the docnums (of its combined
    reader) the user may not see, asked once, when a statistic is first needed."""
    statistics = VisibleStatistics(searcher, hidden)
    searcher.__dict__[_ATTRIBUTE] = statistics
    return statistics


def statistics_of(searcher: Searcher) -> VisibleStatistics:
    """The statistics installed on `searcher` (the top-level one); a searcher given none counts
    its live documents (nothing hidden)."""
    found = searcher.__dict__.get(_ATTRIBUTE)
    if found is None:
        found = install(searcher, lambda: ())
    return found
