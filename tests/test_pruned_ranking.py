"""The pruned top-N search (Whoosh's block-max and clause pruning, ranking.py's scorer) ranks
exactly like Whoosh's own BM25F scoring every match, now that whoosh_fixes.py corrects
AndMaybeMatcher.skip_to."""

import random

import pytest
from whoosh import collectors
from whoosh.matching import AndMaybeMatcher, ListMatcher
from whoosh.searching import Searcher

from archsearch import index, whoosh_fixes  # noqa: F401
from archsearch.access import scope_for
from archsearch.levels import ALL_LEVELS, Level
from archsearch.query import build_query
from archsearch.search import ScopedSearcher
from archsearch.users import User

from .helpers import build_index, make_document


def test_and_maybe_skip_to_keeps_both_sides_on_one_document():
    matcher = AndMaybeMatcher(ListMatcher([1, 5, 9]), ListMatcher([3, 5]))
    matcher.skip_to(2)  # the required side lands on 5, past the target
    assert matcher.id() == 5 and matcher.score() == 2.0  # both sides counted


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


def _top(searcher, query, pruned: bool, limit: int = 10):
    if pruned:  # what a search runs (segment field lengths read once, ranking.py)
        return [(round(score, 6), docnum) for score, docnum in searcher._ranked(query, limit, None, searcher._hidden()).top_n]
    # Whoosh's own BM25F, scoring every match
    plain = Searcher(searcher.searcher.reader(), closereader=False)
    collector = collectors.TopCollector(limit, usequality=False, replace=0)
    plain.search_with_collector(query, collector)
    return [(round(score, 6), docnum) for score, docnum in collector.results().top_n]


def test_pruned_top_n_equals_scoring_every_match(searcher):
    rng = random.Random(11)
    queries = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in range(80)]
    queries += ["kiem dinh kho", '"kho đạn" bảo quản', "mật -mắt"]
    for text in queries:
        query = build_query(text)
        assert _top(searcher, query, True) == _top(searcher, query, False), text
        assert _top(searcher, query, True, 25) == _top(searcher, query, False, 25), text
