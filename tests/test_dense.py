"""The search scored as arrays (dense.py) ranks and counts exactly like Whoosh's own BM25F
scoring every match with its matchers, through deletions, hidden documents, filters, phrases
and clauses left to Whoosh; and its statistics count only the documents the user may see that
are live, so scores equal those of an index holding nothing else. (Whoosh's pruned search,
still used by exports, relies on whoosh_fixes.py's AndMaybeMatcher.skip_to, which the engine
applies when it opens a partition; its test is here too.)

The reference is Whoosh's BM25F scored by Whoosh's matchers, with its two statistics counted
here document by document over the live documents outside the user's mask (`CountedBM25F`):
Whoosh's own idf and average length count every document of the opened segments, deleted and
masked ones included, which visible.py removes by design; and its average length is the exact
token total, where visible.py averages the stored one-byte lengths (those BM25 reads for each
document) because a segment keeps no exact total per document."""

import random
from math import log

import pytest
from whoosh import collectors
from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ListMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, Not, Or, Phrase, Prefix, Term
from whoosh.scoring import BM25F, BM25FScorer, bm25
from whoosh.searching import Searcher

from archsearch.engine import scoring as dense
from archsearch.engine import index
from archsearch.trust.access import scope_for
from archsearch.engine.index import IndexHome
from archsearch.levels import ALL_LEVELS, Level
from archsearch.engine.query import build_query
from archsearch.engine.searcher import ScopedSearcher
from archsearch.trust.users import User

from .helpers import build_index, make_document


def test_and_maybe_skip_to_keeps_both_sides_on_one_document(searcher):
    # `searcher` opened the index, which applies whoosh_fixes (durable.open_partition).
    matcher = AndMaybeMatcher(ListMatcher([1, 5, 9]), ListMatcher([3, 5]))
    matcher.skip_to(2)  # the required side lands on 5, past the target
    assert matcher.id() == 5 and matcher.score() == 2.0  # both sides counted


def test_and_not_excludes_a_first_document_the_excluded_side_reaches_later(searcher):
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


class CountedBM25F(BM25F):
    """Whoosh's BM25F, its idf and average field length counted one document at a time over the
    live documents of `reader` outside `masked` (docnums)."""

    def __init__(self, reader, masked=frozenset()):
        super().__init__()
        self.reader = reader
        self.counted = {d for d in range(reader.doc_count_all()) if not reader.is_deleted(d) and d not in masked}
        self.averages = {}

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return _CountedScorer(searcher, fieldname, text, self)


class _CountedScorer(BM25FScorer):
    def __init__(self, searcher, fieldname, text, model: CountedBM25F):
        count = len(model.counted)
        holding = set(model.reader.postings(fieldname, text).all_ids()) & model.counted
        self.idf = log(count / (len(holding) + 1)) + 1
        if fieldname not in model.averages:
            total = sum(model.reader.doc_field_length(d, fieldname) or 0 for d in model.counted)
            model.averages[fieldname] = total / count or 1
        self.avgfl = model.averages[fieldname]
        self.B, self.K1 = model._field_B.get(fieldname, model.B), model.K1
        self.setup(searcher, fieldname, text)

    def _score(self, weight, length):
        return bm25(self.idf, weight, length, self.avgfl, self.B, self.K1)


def _top(searcher, query, dense: bool, limit: int = 10, allowed=None, hidden=frozenset()):
    """(top `limit` as (score, docnum), total)"""
    if dense:  # what a search runs
        ranked = searcher._ranked(query, limit, allowed, set(hidden))
        return [(round(score, 6), docnum) for score, docnum in ranked.top], ranked.total
    # Whoosh's own BM25F, scoring every match with its matchers, over the user's documents
    reader = searcher.searcher.reader()
    plain = Searcher(reader, closereader=False, weighting=CountedBM25F(reader, searcher._hidden()))
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


def _moving_archive(root, merge_below: int = 0):
    """An archive with deleted copies (documents re-indexed, and moved from Thường up to Tối
    mật: the old copy stays in the Thường segment, marked deleted) and a compartment. Returns
    the documents as they are now."""
    words = ["kho", "đạn", "bảo", "quản", "vũ", "khí", "mật", "mắt", "quốc", "phòng", "thông", "gió"]
    docs = {}
    for i in range(48):
        body = " ".join(words[(i * k + i // 7) % len(words)] for k in range(1, 4 + i % 9)) + f" mã{i}"
        level = (Level.UNCLASSIFIED, Level.CONFIDENTIAL)[i % 2]
        docs[f"d{i:02}"] = make_document(f"d{i:02}", body, level, compartments=["X"] if i % 5 == 0 else ())
    saved, index.SMALL_SEGMENT_DOCS = index.SMALL_SEGMENT_DOCS, merge_below
    try:
        build_index(root, list(docs.values())[:24])
        build_index(root, list(docs.values())[24:])
        for i in (2, 4, 9, 30, 33):  # moved up: deleted below, added at Tối mật
            moved = make_document(f"d{i:02}", docs[f"d{i:02}"].text + " thông gió", Level.SECRET)
            with IndexHome.open(root).writer() as writer:
                writer.delete(moved.id, docs[moved.id].classification)
                writer.add(moved)
            docs[moved.id] = moved
        for i in (1, 6, 27):  # re-indexed in place: the old copy is deleted in its segment
            docs[f"d{i:02}"] = make_document(f"d{i:02}", docs[f"d{i:02}"].text + " kho kho", docs[f"d{i:02}"].classification)
            build_index(root, [docs[f"d{i:02}"]])
    finally:
        index.SMALL_SEGMENT_DOCS = saved
    return list(docs.values())


STATISTICS_QUERIES = ["kho", "thông gió", "kho đạn bảo quản", "mat", "mật -mắt", '"vũ khí"', "quốc phòng kho*",
                      "mã5 kho", "d02 thông"]


def test_scores_count_only_the_visible_live_documents(tmp_path):
    """Masked (compartment) documents of the user's own level and deleted copies (moved up,
    re-indexed) change no score: the scores are those of an index holding only what the user
    sees, in search (arrays) and export (Whoosh's matchers) alike, and both equal Whoosh's
    BM25F with its statistics counted over the visible live documents."""
    docs = _moving_archive(tmp_path / "full")
    user = User("u", Level.CONFIDENTIAL)  # lacks X
    visible = [d for d in docs if d.classification <= Level.CONFIDENTIAL and not d.compartments]
    alone_home = build_index(tmp_path / "alone", visible)
    with ScopedSearcher(IndexHome.open(tmp_path / "full"), scope_for(user)) as full, \
            ScopedSearcher(alone_home, scope_for(user)) as alone:
        readers = [leaf for leaf, _ in full.searcher.reader().leaf_readers()]
        assert any(r.has_deletions() for r in readers) and full._hidden()  # the control: both kinds exist
        for text in STATISTICS_QUERIES:
            query = build_query(text)
            scored = {}
            for name, opened in (("full", full), ("alone", alone)):
                ranked = opened._ranked(query, None, None, opened._hidden())
                ids = [opened.searcher.stored_fields(d)["id"] for _s, d in ranked.top]
                scored[name] = dict(zip(ids, (s for s, _d in ranked.top)))
                exported = {fields["id"]: score for score, fields in opened.matches(text)}
                assert exported == {i: round(s, 4) for i, s in scored[name].items()}, (name, text)
            assert scored["full"] == scored["alone"], text  # bit for bit
            whoosh, total = _top(alone, query, False, limit=100)
            assert total == len(scored["alone"]), text
            by_id = {alone.searcher.stored_fields(d)["id"]: s for s, d in whoosh}
            assert by_id == {i: round(s, 6) for i, s in scored["full"].items()}, text


def test_key_terms_are_whooshs_over_an_index_of_the_visible_live_documents(tmp_path):
    """similar's key terms (visible.py, which counts only the terms that may reach the top)
    are what Whoosh's key_terms_from_text picks on an index holding only the documents the
    user sees: words of masked documents and deleted copies weigh like missing words."""
    docs = _moving_archive(tmp_path / "full")
    user = User("u", Level.CONFIDENTIAL)  # lacks X
    visible = [d for d in docs if d.classification <= Level.CONFIDENTIAL and not d.compartments]
    draft = " ".join(d.text for d in docs[::3]) + " mã0 mã5 mã10 mã2 mã4 chữkhôngcó kho kho kho"
    with ScopedSearcher(IndexHome.open(tmp_path / "full"), scope_for(user)) as full, \
            ScopedSearcher(build_index(tmp_path / "alone", visible), scope_for(user)) as alone:
        for fieldname in ("text", "text_folded", "text_bigrams_folded"):
            for number in (1, 3, 24, 1000):
                expected = alone.searcher.key_terms_from_text(fieldname, draft, numterms=number)
                assert full.statistics.key_terms(fieldname, draft, number) == expected, (fieldname, number)
        assert "mã0" not in dict(full.statistics.key_terms("text", draft, 1000))  # only masked d00 holds it
