"""Snippets (snippets.py) and the unscored match count (docsets.py)."""

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st
from whoosh.query import And, AndMaybe, AndNot, Every, Not, Or, Phrase, Prefix, Term

from archsearch import docsets, index
from archsearch.access import scope_for
from archsearch.index import IndexHome
from archsearch.levels import ALL_LEVELS, Level
from archsearch.search import ScopedSearcher
from archsearch.snippets import fold_same_length, snippet
from archsearch.users import User

from .helpers import build_index, make_document

TEXT = ("Quyết định về việc bảo mật tài liệu. Cán bộ khám mắt định kỳ. " + "Nội dung khác của văn bản. " * 20
        + "Công tác bảo mật được giao cho phòng Hành chính, số 821/QĐ-BQP.")


def test_exact_words_are_marked_before_folded_ones():
    marked = snippet(TEXT, frozenset({"mật"}), frozenset({"mat"}))
    assert "«mật»" in marked and "«mắt»" not in marked


def test_folded_words_mark_every_spelling():
    marked = snippet(TEXT, frozenset(), frozenset({"mat"}))
    assert "«mật»" in marked and "«mắt»" in marked


def test_a_passage_never_cuts_a_word_and_two_passages_are_joined_in_text_order():
    marked = snippet(TEXT, frozenset({"mật", "hành", "chính"}), frozenset())
    passages = marked.split(" … ")
    assert len(passages) == 2
    assert passages[0].startswith("Quyết định") and "«Hành» «chính»" in passages[1]
    plain = TEXT.split()
    for passage in passages:
        words = passage.replace("«", "").replace("»", "").split()
        assert words[0] in plain and words[-1].rstrip(".,") in [w.rstrip(".,") for w in plain]


def test_document_numbers_are_marked_whole():
    assert "«821/QĐ-BQP»" in snippet(TEXT, frozenset(), frozenset({"821/qd-bqp"}))


def test_no_match_gives_the_opening_of_the_text():
    assert snippet(TEXT, frozenset({"pháo"}), frozenset({"phao"})) == " ".join(TEXT.split())[:200]
    assert snippet("", frozenset({"a"}), frozenset()) == ""


@given(st.text(alphabet="aăâđeêoôơuưyAĐÊ àáảãạằắẳẵặầấẩẫậ.\n-/", max_size=200))
@settings(max_examples=200, deadline=None)
def test_folding_keeps_one_character_per_character(text):
    text = unicodedata.normalize("NFC", text)
    assert len(fold_same_length(text)) == len(text)


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    words = ["kho", "đạn", "bảo", "quản", "vũ", "khí", "mật", "mắt", "quốc", "phòng"]
    docs = []
    for i in range(120):
        body = " ".join(words[(i * k) % len(words)] for k in range(1, 4 + i % 5)) + f" mã{i}"
        docs.append(make_document(f"d{i:03}", body, ALL_LEVELS[i % 4], compartments=["X"] if i % 11 == 0 else ()))
    root = tmp_path_factory.mktemp("docsets") / "home"
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
def test_docsets_count_what_whoosh_matches(searcher, query):
    assert any(leaf.reader().has_deletions() for leaf, _ in searcher.searcher.leaf_searchers())
    expected = set(searcher.searcher.docs_for_query(query))
    assert docsets.matching_docs(searcher.searcher, query) == expected
