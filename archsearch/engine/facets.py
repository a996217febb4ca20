"""Facet counts of a search: per year, document type, issuer and level, over every document the
ranked search matched (scoring.py hands over each segment's matching docnums, already narrowed
by the compartment mask, the filter and deletions), so the counts see exactly the hits.

Each segment has, per facet field, an array docnum -> value code; counting is one
`np.bincount` over the codes of the matches. The year, type and level codes come from the
field's terms and their posting lists (one term per document; where a document had several,
the last in term order would win, as Whoosh's PostingCategorizer does). The issuer is indexed
word by word, so the whole name exists only in the stored fields: its codes are read from the
stored fields of every document of a segment, the first time a search has a match there.

A segment never changes once written, and the codes cover its deleted documents too (they
never match: the caller masks them), so they stay right for as long as the segment exists,
whichever reader, of whichever commit, reads it. They are kept in this process keyed by the
segment (its directory and random id), least recently used first out (segment_cache.py, as
posting lists are): a commit opens the partitions afresh (open_readers.py) but the segments it
did not touch keep their codes, so only a new segment is read.

Whole segments, not just the documents that matched: codes filled per match would make the
time of a search depend on which documents earlier searches -- other users' -- matched, a
timing oracle on their queries (a search whose matches were all seen before is faster by
~0.1 ms a document). What is read depends only on which segments have a match.

The counts are those Whoosh's `groupedby` gave (FieldFacet for year, type and level,
StoredFieldFacet for the issuer): tests/test_facets.py compares them.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from archsearch.engine.postings import term_arrays
from archsearch.engine.segment_cache import SegmentCache
from archsearch.engine.whoosh_private import segment_key

# Facet name in the JSON -> the field counted.
FACETS = {"year": "year", "doc_type": "doc_type", "issuer": "issuer", "level": "classification"}
STORED_FACETS = frozenset({"issuer"})  # counted from the stored value: the field is analysed

_ATTRIBUTE = "_archsearch_facet_codes"  # on readers that are not plain segments (no segment key)
_NONE = -1  # the document has no value
MAX_CACHED_BYTES = 64 * 1024 * 1024  # codes of ~16 million documents (four fields)


class _Codes:
    """One segment's docnum -> value code array for one field, and the value of each code."""

    def __init__(self, size: int):
        self.codes = np.full(size, _NONE, dtype=np.int32)
        self.values: list = []
        self._code_of: dict = {}

    def code(self, value) -> int:
        if value not in self._code_of:
            self._code_of[value] = len(self.values)
            self.values.append(value)
        return self._code_of[value]

    def nbytes(self) -> int:
        return self.codes.nbytes + 128 * len(self.values)


CACHE = SegmentCache(MAX_CACHED_BYTES)  # (segment key, field) -> _Codes


def count(matches: Iterable[tuple[object, np.ndarray]]) -> dict[str, dict[str, int]]:
    """Counts per facet over `matches`, (segment reader, sorted docnums of that segment that
    matched); most frequent first, documents without a value counted under none."""
    totals: dict[str, dict] = {name: {} for name in FACETS}
    for reader, docnums in matches:
        if not len(docnums):
            continue
        for name, fieldname in FACETS.items():
            found = _codes(reader, fieldname, _stored_codes if name in STORED_FACETS else _term_codes)
            codes = found.codes[docnums]
            codes = codes[codes >= 0]
            if not len(codes):
                continue
            per_code = np.bincount(codes, minlength=len(found.values))
            for code in np.flatnonzero(per_code).tolist():
                value = found.values[code]
                totals[name][value] = totals[name].get(value, 0) + int(per_code[code])
    return {name: _named(counts) for name, counts in totals.items()}


def warm(readers: Iterable[object]) -> int:
    """Read the facet codes of every segment of `readers` (partition readers) now; returns how
    many documents that covered. The web server does it once, in its master process before the
    workers fork, so they start with the codes (plain arrays: shared until written) instead of
    each reading every stored issuer on its first search (~0.1 ms a document)."""
    documents = 0
    for reader in readers:
        for leaf, _offset in reader.leaf_readers():
            for name, fieldname in FACETS.items():
                _codes(leaf, fieldname, _stored_codes if name in STORED_FACETS else _term_codes)
            documents += leaf.doc_count_all()
    return documents


def _named(counts: dict) -> dict[str, int]:
    """String keys, most frequent first (ties by name); no value (None, "") is no facet."""
    named = {str(key): number for key, number in counts.items() if key not in (None, "")}
    return dict(sorted(named.items(), key=lambda item: (-item[1], item[0])))


def _codes(reader, fieldname: str, build) -> _Codes:
    segment = segment_key(reader)
    if segment is not None:
        return CACHE.get_or_build((segment, fieldname), lambda: build(reader, fieldname), _Codes.nbytes)
    kept = reader.__dict__.setdefault(_ATTRIBUTE, {})  # another kind of reader: kept with it
    if fieldname not in kept:
        kept[fieldname] = build(reader, fieldname)
    return kept[fieldname]


def _term_codes(reader, fieldname: str) -> _Codes:
    """Codes of an indexed field from its (sortable) terms and their posting lists."""
    found = _Codes(reader.doc_count_all())
    if fieldname in reader.schema and fieldname in reader.indexed_field_names():
        field = reader.schema[fieldname]
        for text in field.sortable_terms(reader, fieldname):
            arrays = term_arrays(reader, fieldname, text)
            if arrays is not None and len(arrays[0]):
                found.codes[arrays[0]] = found.code(field.from_bytes(text))
    return found


def _stored_codes(reader, fieldname: str) -> _Codes:
    """Codes of a stored field from the stored fields of every document of the segment."""
    found = _Codes(reader.doc_count_all())
    for docnum in range(reader.doc_count_all()):
        found.codes[docnum] = found.code(reader.stored_fields(docnum).get(fieldname))
    return found
