"""`normalise.fold` is the package's one diacritic folding (index, queries, metadata, snippets)."""

import sys
import unicodedata

from archsearch import normalise
from archsearch.engine import snippets
from archsearch.normalise import fold

_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"}


def _reference(char: str) -> str:
    """The definition: the first character of the NFD form, đ/Đ/Ð -> d/D, dashes -> '-'."""
    if char in "đĐÐ":
        return "d" if char == "đ" else "D"
    return "-" if char in _DASHES else unicodedata.normalize("NFD", char)[0]


def test_fold_is_the_definition_for_every_code_point():
    every = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code < 0xE000)
    folded = fold(every)
    assert len(folded) == len(every)
    wrong = [c for c, f in zip(every, folded) if f != _reference(c)]
    assert wrong == []
    # characters that fold to themselves above U+3000 are not remembered: the table stays small
    assert len(normalise._FOLD) < 0x3000 + 15_000


def test_snippets_fold_with_the_same_function():
    text = "Quyết định – ĐẢNG ủy Ω"
    assert snippets.fold_same_length(text) == fold(text).lower()
    assert snippets.fold_same_length("Quyết định – ĐẢNG") == "quyet dinh - dang"
