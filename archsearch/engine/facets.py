"""Facet counts of a search: per year, document type, issuer and level, over every document the
ranked search matched (scoring.py hands over each segment's matching docnums, already narrowed
by the compartment mask, the filter and deletions), so the counts see exactly the hits.

Each segment keeps, per facet field, an array docnum -> value code; counting is one
`np.bincount` over the codes of the matches. The year, type and level codes come from the
field's terms and their posting lists (one term per document; where a document had several,
the last in term order would win, as Whoosh's PostingCategorizer does). The issuer is indexed
word by word, so the whole name exists only in the stored fields: its codes are read from the
stored fields of every live document of a segment, the first time a search has a match there.
A segment never changes (a deletion only marks a docnum, which then never matches), so the
codes are kept with the segment reader, like its lengths (postings.py), and serve every later
search while the reader stays open.

Whole segments, not just the documents that matched: codes filled per match would make the
time of a search depend on which documents earlier searches -- other users' -- matched, a
timing oracle on their queries (a search whose matches were all seen before is faster by
~0.15 ms a document). What is read depends only on which segments have a match.

The counts are those Whoosh's `groupedby` gave (FieldFacet for year, type and level,
StoredFieldFacet for the issuer): tests/test_facets.py compares them.
"""

from __future__ import annotations

import threading
from typing import Iterable

import numpy as np

from archsearch.engine.postings import live_docs, term_arrays

# Facet name in the JSON -> the field counted.
FACETS = {"year": "year", "doc_type": "doc_type", "issuer": "issuer", "level": "classification"}
STORED_FACETS = frozenset({"issuer"})  # counted from the stored value: the field is analysed

_ATTRIBUTE = "_archsearch_facet_codes"
_NONE = -1  # the document has no value (or, for a stored facet, is deleted: never a match)
_LOCK = threading.Lock()  # one reading of a segment's stored facet, not two at once


class _Codes:
    """One segment's docnum -> value code array for one field, and the value of each code."""

    def __init__(self, size: int, fill: int):
        self.codes = np.full(size, fill, dtype=np.int32)
        self.values: list = []
        self._code_of: dict = {}

    def code(self, value) -> int:
        if value not in self._code_of:
            self._code_of[value] = len(self.values)
            self.values.append(value)
        return self._code_of[value]


def count(matches: Iterable[tuple[object, np.ndarray]]) -> dict[str, dict[str, int]]:
    """Counts per facet over `matches`, (segment reader, sorted docnums of that segment that
    matched); most frequent first, documents without a value counted under none."""
    totals: dict[str, dict] = {name: {} for name in FACETS}
    for reader, docnums in matches:
        if not len(docnums):
            continue
        for name, fieldname in FACETS.items():
            found = _stored_codes(reader, fieldname) if name in STORED_FACETS else _term_codes(reader, fieldname)
            codes = found.codes[docnums]
            codes = codes[codes >= 0]
            if not len(codes):
                continue
            per_code = np.bincount(codes, minlength=len(found.values))
            for code in np.flatnonzero(per_code).tolist():
                value = found.values[code]
                totals[name][value] = totals[name].get(value, 0) + int(per_code[code])
    return {name: _named(counts) for name, counts in totals.items()}


def _named(counts: dict) -> dict[str, int]:
    """String keys, most frequent first (ties by name); no value (None, "") is no facet."""
    named = {str(key): number for key, number in counts.items() if key not in (None, "")}
    return dict(sorted(named.items(), key=lambda item: (-item[1], item[0])))


def _cache(reader) -> dict:
    return reader.__dict__.setdefault(_ATTRIBUTE, {})


def _term_codes(reader, fieldname: str) -> _Codes:
    """Codes of an indexed field from its (sortable) terms, built once per segment reader."""
    cache = _cache(reader)
    if fieldname not in cache:
        found = _Codes(reader.doc_count_all(), _NONE)
        if fieldname in reader.schema and fieldname in reader.indexed_field_names():
            field = reader.schema[fieldname]
            for text in field.sortable_terms(reader, fieldname):
                arrays = term_arrays(reader, fieldname, text)
                if arrays is not None and len(arrays[0]):
                    found.codes[arrays[0]] = found.code(field.from_bytes(text))
        cache[fieldname] = found
    return cache[fieldname]


def _stored_codes(reader, fieldname: str) -> _Codes:
    """Codes of a stored field from the stored fields of every live document of the segment,
    read once per segment reader."""
    with _LOCK:
        cache = _cache(reader)
        if fieldname not in cache:
            found = _Codes(reader.doc_count_all(), _NONE)
            live = live_docs(reader) if reader.has_deletions() else np.ones(reader.doc_count_all(), dtype=bool)
            for docnum in np.flatnonzero(live).tolist():
                found.codes[docnum] = found.code(reader.stored_fields(docnum).get(fieldname))
            cache[fieldname] = found
        return cache[fieldname]
