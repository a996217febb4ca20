"""Snippets (snippets.py)."""

import unicodedata

from hypothesis import given, settings, strategies as st

from archsearch.engine.snippets import fold_same_length, match_spans, snippet


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
    assert passages[0].startswith("Quyết định") and "«Hành chính»" in passages[1]
    plain = TEXT.split()
    for passage in passages:
        words = passage.replace("«", "").replace("»", "").split()
        assert words[0] in plain and words[-1].rstrip(".,") in [w.rstrip(".,") for w in plain]


def test_adjacent_marked_words_are_one_run():
    text = "Quy định về bảo quản vũ khí trang bị, bảo quản kho."
    words = frozenset({"bảo", "quản", "vũ", "khí"})
    marked = snippet(text, words, frozenset())
    assert "«bảo quản vũ khí» trang bị, «bảo quản» kho" in marked
    assert [text[a:b] for a, b in match_spans(text, words, frozenset())] == ["bảo quản vũ khí", "bảo quản"]


def test_marks_across_a_line_break_or_punctuation_stay_apart():
    text = "bảo quản,\nvũ khí"
    assert snippet(text, frozenset({"quản", "vũ"}), frozenset()) == "bảo «quản», «vũ» khí"
    assert [text[a:b] for a, b in match_spans("bảo\nquản", frozenset({"bảo", "quản"}), frozenset())] == ["bảo", "quản"]


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
