"""Which documents a query matches, as a set of docnums, without scoring.

A search shows "N result(s)" for every match, while the ranked top N (search.py) skips most
matches on purpose. Walking a Whoosh matcher tree to count them costs several Python calls
per posting per clause; here a query over words becomes set algebra on posting lists read a
block (up to 128 docnums) at a time: Or -> union, And -> intersection, AndNot -> difference,
AndMaybe -> its required side. Anything else (phrases, ranges, prefixes) asks Whoosh for its
matching docnums. Docnums are those of the searcher's combined reader: each segment's own
numbers plus its offset, as in every collector.
"""

from __future__ import annotations

from itertools import accumulate

from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from .phrases import PairPhrase


def matching_docs(searcher: Searcher, query: Query) -> set[int]:
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        docs = _docs(leaf, query)
        found.update(docs if not offset else (offset + docnum for docnum in docs))
    return found


def _docs(leaf: Searcher, query: Query) -> set[int]:
    if isinstance(query, Term):
        return _term_docs(leaf.reader(), query.fieldname, query.text)
    if isinstance(query, Or) and not query.minmatch:
        found: set[int] = set()
        for sub in query.subqueries:
            found |= _docs(leaf, sub)
        return found
    if isinstance(query, PairPhrase):
        found = _docs(leaf, And(query.subqueries))
        if found and query.needs_positions():
            check = query.position_check(leaf.reader())
            found = {docnum for docnum in sorted(found) if check(docnum)}
        return found
    if isinstance(query, And):
        subs = query.subqueries
        if not subs:
            return set()
        found = _docs(leaf, subs[0])
        for sub in subs[1:]:
            if not found:
                break
            found &= _docs(leaf, sub)
        return found
    if isinstance(query, AndNot):
        found = _docs(leaf, query.a)
        return found - _docs(leaf, query.b) if found else found
    if isinstance(query, AndMaybe):
        return _docs(leaf, query.a)
    if isinstance(query, type(NullQuery)):
        return set()
    if isinstance(query, Every) and not query.fieldname:
        reader = leaf.reader()
        return {docnum for docnum in range(reader.doc_count_all()) if not reader.is_deleted(docnum)}
    return set(query.docs(leaf))


def _term_docs(reader, fieldname: str, text) -> set[int]:
    """The live docnums holding one term in one segment."""
    if fieldname not in reader.schema or (fieldname, text) not in reader:
        return set()
    postings = reader.postings(fieldname, text)
    deleted = None
    if isinstance(postings, FilterMatcher) and postings._exclude:
        # A segment with deletions wraps its postings in a filter of the deleted docnums.
        postings, deleted = postings.child, postings._ids
    docs: set[int] = set()
    if _reads_blocks(postings):
        # Whoosh's own block reader (codec whoosh3): take a block's docnums in one call
        # instead of stepping posting by posting. Every block is read from its first
        # docnum, so a reader already moved into its first block loses nothing.
        while not postings._atend:
            if postings._ids is not None:
                docs.update(postings._ids)
            else:  # decode the block's docnums (stored as gaps) in C, not in a generator
                if postings._data is None:
                    postings._read_data()
                raw = postings._data[0]
                docs.update(raw if postings._byteids else accumulate(raw))
            postings._next_block()
    else:
        docs.update(postings.all_ids())
    if deleted:
        docs.difference_update(deleted)
    return docs


def _reads_blocks(postings) -> bool:
    return all(hasattr(postings, name) for name in ("_atend", "_ids", "_data", "_read_data", "_byteids", "_next_block"))
