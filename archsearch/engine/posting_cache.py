"""Decoded posting lists of common terms, kept in memory between searches of one process.

A posting list is decoded block by block (a zlib'd pickle of 128 postings each: postings.py),
and a syllable an archive uses everywhere has a block for every 128 documents: at 50,000
documents a common word costs milliseconds per view per segment, and a 40-syllable question
holds dozens of them. The same common words come back in search after search. A segment never
changes once written (a commit writes new segments; deletions are kept apart and masked by the
caller), so its decoded postings stay right for as long as the segment exists: they are kept
here, least recently used first out, within a byte budget.

The key is the segment's own random id with the directory it lives in, never the reader
object (a closed reader's `id()` can be reused by another one). Only lists long enough to be
worth it are kept (MIN_POSTINGS): a short list decodes in microseconds, and the budget then
goes to the lists that cost. That is also the bound on what the cache tells by timing: a search
that finds a list already decoded is faster, so it can show that somebody searched that word
recently; kept lists are of words over a thousand documents of one segment hold, never the rare
words (a name, a code word) whose search could itself be telling. `ARCHSEARCH_POSTING_CACHE_MB` sets the budget per process
(gunicorn worker), 0 turns the cache off (bench/query.py measures both).
"""

from __future__ import annotations

import os

import numpy as np

from archsearch.engine.segment_cache import SegmentCache

DEFAULT_BUDGET_MB = 128
MIN_POSTINGS = 1024  # eight blocks: below that, decoding is cheaper than the memory it would hold


def _budget_from_environment() -> int:
    raw = os.environ.get("ARCHSEARCH_POSTING_CACHE_MB", "")
    try:
        megabytes = int(raw) if raw.strip() else DEFAULT_BUDGET_MB
    except ValueError:
        megabytes = DEFAULT_BUDGET_MB
    return max(0, megabytes) * 1024 * 1024


class PostingCache(SegmentCache):
    """(segment key, field, term bytes) -> (docnums, weights) arrays, read-only, within `budget` bytes."""

    def put(self, key: tuple, docnums: np.ndarray, weights: np.ndarray) -> None:
        size = docnums.nbytes + weights.nbytes
        if len(docnums) < MIN_POSTINGS or size > self.budget // 4:
            return
        # Shared between searches: nobody may change them in place.
        docnums.flags.writeable = False
        weights.flags.writeable = False
        super().put(key, (docnums, weights), size)


CACHE = PostingCache(_budget_from_environment())


def enabled() -> bool:
    return CACHE.budget > 0
