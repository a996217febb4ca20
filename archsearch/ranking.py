"""BM25F as Whoosh computes it, with each segment's field lengths read once.

Whoosh's BM25F scorer looks up the field length of every posting it scores through four
layers of calls and a read from the length column; a ranked search scores hundreds of
thousands of postings (13 posting lists for three accented syllables). Here a scorer gets
the whole column of its segment as a list, decoded once per segment and field and kept with
the segment's reader, so a score is a list index plus the BM25 formula. The scores are the
same numbers (tests/test_pruned_ranking.py compares them).
"""

from __future__ import annotations

from whoosh.scoring import BM25F, BM25FScorer
from whoosh.util.numeric import byte_to_length

_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]
_CACHE_ATTRIBUTE = "_archsearch_field_lengths"


class SegmentLengthsBM25F(BM25F):
    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if type(scorer) is BM25FScorer:
            lengths = field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


def field_lengths(reader, fieldname: str) -> list[int] | None:
    """Every document's length in `fieldname` in one segment, as Whoosh's scorer reads it
    (a one-byte approximation; 1 where the document has no such field); None where the
    reader is not a plain segment reader."""
    cache = reader.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if fieldname in cache:
        return cache[fieldname]
    lengths = None
    perdoc = getattr(reader, "_perdoc", None)
    column_for = getattr(perdoc, "_cached_reader", None)
    if column_for is not None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = column_for(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            lengths = [_LENGTH_OF_BYTE[b] if b else 1 for b in column]
    cache[fieldname] = lengths
    return lengths
