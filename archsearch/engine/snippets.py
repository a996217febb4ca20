"""Snippets: the passages of a hit's text where the query's words occur, words marked «like this».

Input: the stored NFC text and the query's words as the index holds them (exact: lower case,
canonical tone placement; folded: no diacritics). Output: up to two passages of about 240
characters, in text order, joined by " … ", whitespace collapsed; the opening of the text when
no word occurs.

A query with diacritics marks exact occurrences ("mật" marks mật, not mắt), and falls back to
folded ones only when there are none. The text is folded one character for one character, so
one regular-expression scan of the folded text finds every candidate and its offsets point
into the original. (Whoosh's highlighter re-analyses the whole text of every hit through the
analyzer chain, token objects and all: two thirds of a one-word search's time.)
"""

from __future__ import annotations

import re
from functools import lru_cache

from archsearch.engine.analysis import _canonical_tone
from archsearch.normalise import fold

PASSAGE_CHARS = 240  # longest passage
CONTEXT_CHARS = 60  # text kept before a passage's first match
PASSAGES = 2
OPENING_CHARS = 200
SEPARATOR = " … "


def fold_same_length(text: str) -> str:
    """Diacritics removed, one character for each character of `text`, in lower case."""
    folded = fold(text).lower()
    if len(folded) != len(text):  # a character whose lower case is longer (rare): keep offsets
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in fold(text))
    return folded


@lru_cache(maxsize=256)
def _pattern(exact: frozenset[str], folded: frozenset[str]) -> re.Pattern | None:
    """One alternation of the query's words, folded; once per query (a search cuts ten snippets)."""
    words = folded | frozenset(fold_same_length(w) for w in exact)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _spans(text: str, exact: frozenset[str], folded: frozenset[str]) -> list[tuple[int, int]]:
    pattern = _pattern(exact, folded)
    spans = [m.span() for m in pattern.finditer(fold_same_length(text))] if pattern else []
    if exact:
        exact_spans = [s for s in spans if _canonical_tone(text[s[0]:s[1]].lower()) in exact]
        spans = exact_spans or spans
    return spans


def join_adjacent(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Marks separated only by spaces become one run: «bảo quản vũ khí», not «bảo» «quản» …"""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and joined[-1][1] <= start and text[joined[-1][1]:start].strip(" \t") == "" \
                and "\n" not in text[joined[-1][1]:start]:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def match_spans(text: str, exact: frozenset[str], folded: frozenset[str]) -> list[tuple[int, int]]:
    """Every marked span of the whole text (the document page marks them all), runs joined."""
    return join_adjacent(text, _spans(text, exact, folded)) if text else []


def snippet(text: str, exact: frozenset[str], folded: frozenset[str]) -> str:
    if not text:
        return ""
    spans = _spans(text, exact, folded)
    if not spans:
        return " ".join(text.split())[:OPENING_CHARS]
    passages = _passages(text, spans)
    best = sorted(passages, key=lambda p: (-p[0], p[1]))[:PASSAGES]
    return SEPARATOR.join(_mark(text, start, end, marks) for _, start, end, marks in sorted(best, key=lambda p: p[1]))


def _passages(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, int, list]]:
    """(score, start, end, spans) per passage: a passage opens CONTEXT_CHARS before a match and
    takes the following matches while it stays within PASSAGE_CHARS; its score is the number of
    distinct words marked, then of marks."""
    passages = []
    i = 0
    while i < len(spans):
        start = _word_start(text, max(0, spans[i][0] - CONTEXT_CHARS))
        limit = start + PASSAGE_CHARS
        marks = []
        while i < len(spans) and spans[i][1] <= limit:
            marks.append(spans[i])
            i += 1
        if not marks:  # one match longer than a passage
            marks.append(spans[i])
            i += 1
        end = _word_end(text, max(marks[-1][1], min(len(text), limit)))
        distinct = {text[a:b].lower() for a, b in marks}
        passages.append((len(distinct) + len(marks) / 1000, start, end, marks))
    return passages


def _word_start(text: str, index: int) -> int:
    """`index` moved forward past a word it would cut."""
    if index == 0 or not text[index - 1].isalnum():
        return index
    while index < len(text) and text[index].isalnum():
        index += 1
    return index


def _word_end(text: str, index: int) -> int:
    """`index` moved back before a word it would cut."""
    if index >= len(text) or not text[index].isalnum():
        return index
    while index > 0 and text[index - 1].isalnum():
        index -= 1
    return index


def _mark(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    out = []
    position = start
    for a, b in join_adjacent(text, [(a, b) for a, b in marks if a >= start and b <= end]):
        if a < position or b > end:
            continue
        out.append(text[position:a])
        out.append("«" + text[a:b] + "»")
        position = b
    out.append(text[position:end])
    return " ".join("".join(out).split())
