"""The search scored as arrays (dense.py) ranks and counts exactly like Whoosh's own BM25F
scoring every match with its matchers, through deletions, hidden documents, filters, phrases
and clauses left to Whoosh. (Whoosh's pruned search, still used by exports, relies on
whoosh_fixes.py's AndMaybeMatcher.skip_to; its test is here too.)"""

import random

import pytest
from whoosh import collectors
from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ListMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, Not, Or, Phrase, Prefix, Term
from whoosh.searching import Searcher

from archsearch import dense, index, whoosh_fixes  # noqa: F401
from archsearch.access import scope_for
from archsearch.index import IndexHome
from archsearch.levels import ALL_LEVELS, Level
from archsearch.query import build_query
from archsearch.search import ScopedSearcher
from archsearch.users import User

from .helpers import build_index, make_document


def test_and_maybe_skip_to_keeps_both_sides_on_one_document():
    matcher = AndMaybeMatcher(ListMatcher([1, 5, 9]), ListMatcher([3, 5]))
    matcher.skip_to(2)  # the required side lands on 5, past the target
    assert matcher.id() == 5 and matcher.score() == 2.0  # both sides counted


def test_and_not_excludes_a_first_document_the_excluded_side_reaches_later():
    assert list(AndNotMatcher(ListMatcher([1, 5]), ListMatcher([0, 1])).all_ids()) == [5]


WORDS = ("kiểm định kho đạn bảo quản vũ khí trang bị kỹ thuật công nghiệp quốc phòng "
         "thuốc phóng an toàn lao động phòng cháy chữa cháy kiểm tra định kỳ mật mắt").split()


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    rng = random.Random(5)
    docs = []
    for i in range(400):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 120)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))
        docs.append(make_document(f"d{i:04}", body, ALL_LEVELS[i % 4], title=title))
    root = tmp_path_factory.mktemp("pruned") / "home"
    merge_below, index.SMALL_SEGMENT_DOCS = index.SMALL_SEGMENT_DOCS, 0  # keep every segment
    try:
        for start in range(0, 400, 100):  # several segments per partition
            build_index(root, docs[start:start + 100])
    finally:
        index.SMALL_SEGMENT_DOCS = merge_below
    with ScopedSearcher(build_index(root, []), scope_for(User("u", Level.TOP_SECRET))) as opened:
        yield opened


def _top(searcher, query, dense: bool, limit: int = 10, allowed=None, hidden=frozenset()):
    """(top `limit` as (score, docnum), total)"""
    if dense:  # what a search runs
        ranked = searcher._ranked(query, limit, allowed, set(hidden))
        return [(round(score, 6), docnum) for score, docnum in ranked.top], ranked.total
    # Whoosh's own BM25F, scoring every match with its matchers
    plain = Searcher(searcher.searcher.reader(), closereader=False)
    matching = set(plain.docs_for_query(query)) - set(hidden)
    if allowed is not None:
        matching &= set(allowed)
    inner = collectors.TopCollector(limit, usequality=False, replace=0)
    plain.search_with_collector(query, collectors.FilterCollector(inner, matching))
    return [(round(score, 6), docnum) for score, docnum in inner.results().top_n], len(matching)


def test_dense_top_n_and_total_equal_whoosh_scoring_every_match(searcher):
    rng = random.Random(11)
    queries = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in range(40)]
    queries += ["kiem dinh kho", '"kho đạn" bảo quản', "mật -mắt", '"kiểm tra định kỳ"', '"kiem tra dinh ky"',
                "kho AND đạn", "+kho bảo", "kiểm NOT định", "821/QĐ-BQP kho", "kho*", "nam:2015..2020 kho"]
    hidden = set(range(0, 400, 7))
    allowed = set(range(0, 400, 2))
    for text in queries:
        query = build_query(text)
        for limit in (10, 25):
            dense, whoosh = _top(searcher, query, True, limit), _top(searcher, query, False, limit)
            assert dense == whoosh, text
        assert _top(searcher, query, True, 10, hidden=hidden) == _top(searcher, query, False, 10, hidden=hidden), text
        assert (_top(searcher, query, True, 10, allowed=allowed, hidden=hidden)
                == _top(searcher, query, False, 10, allowed=allowed, hidden=hidden)), text


def test_excluded_words_never_come_back(searcher):
    result = searcher.search("kiểm NOT định", limit=50)
    assert result.total and len(result.hits) == min(result.total, 50)
    for hit in result.hits:
        fields = searcher.searcher.stored_fields(searcher.searcher.document_number(id=hit.id))
        assert "kiểm" in fields["text"] + fields["title"]
        assert "định" not in f"{fields['text']} {fields['title']}".split(), hit.id


def test_dense_skips_deleted_documents(tmp_path):
    docs = [make_document(f"d{i}", f"kho đạn số {i} bảo quản", Level.UNCLASSIFIED) for i in range(6)]
    root = tmp_path / "home"
    build_index(root, docs)
    build_index(root, [make_document("d2", "báo cáo khác hẳn", Level.UNCLASSIFIED)])  # d2 replaced: a deletion
    with ScopedSearcher(build_index(root, []), scope_for(User("u", Level.UNCLASSIFIED))) as opened:
        assert any(reader.has_deletions() for reader, _ in opened.searcher.reader().leaf_readers())
        result = opened.search("kho đạn")
        assert result.total == 5 and "d2" not in [hit.id for hit in result.hits]


@pytest.fixture(scope="module")
def compartments_searcher(tmp_path_factory):
    """Several segments per partition, some with deletions, a compartment."""
    words = ["kho", "đạn", "bảo", "quản", "vũ", "khí", "mật", "mắt", "quốc", "phòng"]
    docs = []
    for i in range(120):
        body = " ".join(words[(i * k) % len(words)] for k in range(1, 4 + i % 5)) + f" mã{i}"
        docs.append(make_document(f"d{i:03}", body, ALL_LEVELS[i % 4], compartments=["X"] if i % 11 == 0 else ()))
    root = tmp_path_factory.mktemp("matches") / "home"
    merge_below, index.SMALL_SEGMENT_DOCS = index.SMALL_SEGMENT_DOCS, 0  # keep every segment
    try:
        build_index(root, docs[:60])
        build_index(root, docs[60:])  # a second batch: several segments per partition
        build_index(root, docs[:30:3])  # re-indexed documents: segments with deletions
    finally:
        index.SMALL_SEGMENT_DOCS = merge_below
    with ScopedSearcher(IndexHome.open(root), scope_for(User("u", Level.TOP_SECRET, ["X"]))) as s:
        yield s


QUERIES = [
    Term("text_folded", "kho"),
    Or([Term("text_folded", "kho"), Term("text", "mật")]),
    And([Term("text_folded", "bao"), Term("text_folded", "quan")]),
    AndNot(Term("text_folded", "kho"), Term("text", "mắt")),
    AndMaybe(Term("text_folded", "mat"), Term("text", "mật")),
    Phrase("text_positions", ["vu", "khi"]),
    Prefix("text_folded", "qu"),
    And([Term("text_folded", "kho"), Not(Term("text_folded", "dan"))]),
    Every(),
    Term("text_folded", "absent"),
]


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_matches_are_what_whoosh_matches(compartments_searcher, query):
    searcher = compartments_searcher
    assert any(leaf.reader().has_deletions() for leaf, _ in searcher.searcher.leaf_searchers())
    expected = set(searcher.searcher.docs_for_query(query))
    assert dense.matching(searcher.searcher, query) == expected
    assert searcher._ranked(query, None, None, set()).total == len(expected)
