"""Decoded posting lists kept between searches (engine/posting_cache.py): the same arrays as a
fresh decode, keyed by segment (never by reader object), read-only, within their budget."""

from __future__ import annotations

import numpy as np
import pytest

from archsearch.engine import open_readers, posting_cache
from archsearch.engine.postings import _read_term, term_arrays
from archsearch.engine.searcher import ScopedSearcher
from archsearch.engine.whoosh_private import w3_terms
from archsearch.levels import Level
from archsearch.trust.access import scope_for
from archsearch.trust.users import User

from tests.helpers import build_index, make_document

STAFF = User("staff", Level.UNCLASSIFIED)
COMMON = posting_cache.MIN_POSTINGS + 200  # documents holding "kho": a list worth keeping


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setattr(posting_cache, "CACHE", posting_cache.PostingCache(64 * 1024 * 1024))
    open_readers.forget_all()
    documents = [make_document(f"d{i}", f"kho số {i} {'đạn' if i % 3 else 'xăng'}", Level.UNCLASSIFIED)
                 for i in range(COMMON)]
    yield build_index(tmp_path / "home", documents)
    open_readers.forget_all()


def _segments(searcher):
    return [leaf for leaf, _offset in searcher.searcher.reader().leaf_readers()]


def test_a_kept_list_is_the_list_a_fresh_decode_gives_and_cannot_be_changed(home):
    with ScopedSearcher(home, scope_for(STAFF)) as searcher:
        for reader in _segments(searcher):
            first = term_arrays(reader, "text_folded", b"kho")
            again = term_arrays(reader, "text_folded", b"kho")
            fresh = _read_term(w3_terms(reader), "text_folded", b"kho")
            assert again[0] is first[0]  # kept
            assert np.array_equal(first[0], fresh[0]) and np.array_equal(first[1], fresh[1])
            with pytest.raises(ValueError):
                first[1][0] = 99.0  # shared with later searches: read-only
    assert posting_cache.CACHE.hits >= 1


def test_short_lists_are_not_kept(home):
    with ScopedSearcher(home, scope_for(STAFF)) as searcher:
        reader = _segments(searcher)[0]
        term_arrays(reader, "text_folded", b"0")  # one document
        assert term_arrays(reader, "text_folded", b"0")[0] is not term_arrays(reader, "text_folded", b"0")[0]


def test_a_new_commit_reads_its_new_segments_not_the_old_lists(home):
    """Keyed by segment: the documents a commit adds are found though "kho" was kept before."""
    with ScopedSearcher(home, scope_for(STAFF)) as searcher:
        before = searcher.search("kho", limit=5).total
    with home.writer() as writer:
        writer.add(make_document("new", "kho mới", Level.UNCLASSIFIED))
    with ScopedSearcher(home, scope_for(STAFF)) as searcher:
        assert searcher.search("kho", limit=5).total == before + 1
        assert {hit.id for hit in searcher.search("kho mới", limit=1).hits} == {"new"}


def test_the_budget_is_kept_least_recently_used_first_out():
    cache = posting_cache.PostingCache(budget=5 * 16 * 2000)
    arrays = {name: (np.arange(2000, dtype=np.int64), np.ones(2000)) for name in "abcdef"}
    for name in "abcde":
        cache.put(name, *arrays[name])
    assert cache.get("a") is not None  # now the most recently used
    cache.put("f", *arrays["f"])
    assert cache.get("b") is None
    assert all(cache.get(name) is not None for name in "acdef")
    assert cache.used <= cache.budget


def test_searches_give_the_same_hits_and_scores_with_and_without_the_cache(home, monkeypatch):
    queries = ["kho", "kho đạn", "kho xăng số", "kho -đạn"]

    def run():
        with ScopedSearcher(home, scope_for(STAFF)) as searcher:
            return [[(h.id, h.score) for h in searcher.search(q, limit=20).hits] for q in queries]

    kept = run(), run()  # the second run reads kept lists
    monkeypatch.setattr(posting_cache, "CACHE", posting_cache.PostingCache(0))
    assert kept[0] == kept[1] == run()
