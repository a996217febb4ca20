"""BM25F as Whoosh computes it, with each segment's field lengths read once, a term's boost
inside its scorer, and the idf and average field length counted over the documents the user may
see that are live (visible.py), not over every document the opened segments hold.

The searcher's weighting. A search scores its posting lists as arrays (dense.py) with the same
formula and the same field lengths (`field_lengths`); Whoosh's matchers score with this
scorer where they still run: exports, facets and the clauses dense.py leaves to Whoosh
(tests/test_dense.py compares the two). Whoosh's BM25F scorer looks up the field length of
every posting it scores through four layers of calls and a read from the length column; here
a scorer gets the whole column of its segment as a list, decoded once per segment and field
and kept with the segment's reader, so a score is a list index plus the BM25 formula.

Whoosh applies a term's boost by wrapping its posting reader in another matcher, one more
layer of Python calls for every posting visited; `BoostedTerm` hands the boost to this
scorer instead (as the query factor `qf`, which Whoosh's BM25F accepts and ignores), so the
score and its bounds (max and block quality, which pruning relies on) are multiplied alike.
"""

from __future__ import annotations

import numpy as np
from whoosh import matching
from whoosh.matching import FilterMatcher
from whoosh.query import Term
from whoosh.scoring import BM25F, BM25FScorer, bm25

from archsearch.engine.postings import stored_lengths
from archsearch.engine.whoosh_private import field_B, make_bisecting, route_posting_score
from archsearch.engine.visible import statistics_of

_CACHE_ATTRIBUTE = "_archsearch_field_lengths"


class SegmentLengthsBM25F(BM25F):
    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        B = field_B(self, fieldname)
        scorer = _Scorer(searcher, fieldname, text, B, self.K1, qf=qf)
        lengths = field_lengths(searcher.reader(), fieldname)
        if lengths is not None:
            scorer.dfl = lengths.__getitem__
        return scorer


class _Scorer(BM25FScorer):
    """Whoosh's BM25F scorer times the term's boost, with the idf and average field length
    counted over the documents the user may see that are live (visible.py), once per searcher
    rather than summed over every segment for every term in every segment."""

    def __init__(self, searcher, fieldname, text, B, K1, qf=1):
        statistics = statistics_of(searcher.get_parent())  # the searcher over every segment opened
        self.idf = statistics.idf(fieldname, text)
        self.avgfl = statistics.average_length(fieldname)
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.setup(searcher, fieldname, text)

    def posting_score(self, weight, length):
        return self.qf * bm25(self.idf, weight, length, self.avgfl, self.B, self.K1)


route_posting_score(_Scorer, _Scorer.posting_score)


class BoostedTerm(Term):
    """A term whose boost goes into its scorer rather than a wrapping matcher, and whose
    postings skip by binary search, when the searcher ranks with SegmentLengthsBM25F
    (otherwise exactly Whoosh's Term)."""

    def matcher(self, searcher, context=None):
        weighting = context.weighting if context is not None and context.weighting else searcher.weighting
        if not isinstance(weighting, SegmentLengthsBM25F) or self.minquality:
            return super().matcher(searcher, context)
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[self.fieldname]
        if not field.scorable:  # ID and keyword fields: Whoosh's weight scorer takes no boost
            return super().matcher(searcher, context)
        try:
            text = field.to_bytes(self.text)
        except ValueError:
            return matching.NullMatcher()
        if (self.fieldname, text) not in searcher.reader():
            return matching.NullMatcher()
        postings = searcher.postings(self.fieldname, text, weighting=weighting, qf=self.boost)
        leaf = postings.child if isinstance(postings, FilterMatcher) else postings  # deletions
        make_bisecting(leaf)  # skips inside a block by binary search (whoosh_private.BisectingLeafMatcher)
        return postings


def field_lengths(reader, fieldname: str) -> list[int] | None:
    """Every document's length in `fieldname` in one segment, as Whoosh's scorer reads it
    (a one-byte approximation; 1 where the document has no such field); None where the
    reader is not a plain segment reader."""
    cache = reader.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if fieldname not in cache:
        stored = stored_lengths(reader, fieldname)
        cache[fieldname] = None if stored is None else np.maximum(stored, 1).tolist()
    return cache[fieldname]
