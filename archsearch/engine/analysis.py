"""Analyzers for Vietnamese text: syllables, NFC, tone-mark placement, a folded view, syllable
bigrams and document numbers.

Whoosh pickles analyzers into the index, so every piece here is a module-level class with a
stable name; changing what they emit means bumping `index.SCHEMA_VERSION`.

No stop words, no stemming, no minimum length: Vietnamese words are syllables, and "an"
(an ninh), "ở" or "số" are content (shared notes, "Stock analyzers are wrong for Vietnamese").

A document number is emitted whole (as its `doc_number_key`) and as its parts, the whole at the
position of its first part, so the bare number matches one term and phrases over the parts still
work. Bigrams ("công_nghiệp") join adjacent syllables of one sentence; they skip the whole-number
token and never cross punctuation.

>>> [t.text for t in exact_analyzer()("Hoà bình, THUỶ lợi: 821/QĐ-BQP")]
['hòa', 'bình', 'thủy', 'lợi', '821/qd-bqp', '821', 'qđ', 'bqp']
>>> [t.text for t in folded_analyzer()("Hoà bình, Đảng ủy")]
['hoa', 'binh', 'dang', 'uy']
>>> [t.text for t in folded_bigram_analyzer()("Công nghiệp quốc phòng. Đảng ủy")]
['cong_nghiep', 'nghiep_quoc', 'quoc_phong', 'dang_uy']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from archsearch.normalise import fold, nfc

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(rf"^([^{_VOWELS}]*)([{_VOWELS}]+)(.*)$")
# Diphthongs whose tone sits on the first vowel in an open syllable ("hòa", "thủy") and on the
# second when a final consonant follows ("hoàng", "thuyết"); both spellings occur in the archive.
_MOVABLE = {"oa", "oă", "oe", "uy"}

BIGRAM_SEPARATOR = "_"
_DASH_CHARS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
# A document number as written in a text: số, optional year, then groups joined by / or a dash,
# without spaces (spaced OCR forms are found by textmeta and indexed in `cited_numbers`).
DOC_NUMBER_PATTERN = (
    rf"(?<![\w/])\d{{1,6}}(?:/(?:19|20)\d\d)?[/{_DASH_CHARS}][^\W\d_]\w*(?:[/{_DASH_CHARS}][^\W_]\w*)*"
)
_TOKEN = re.compile(rf"(?P<number>{DOC_NUMBER_PATTERN})|\w+")
_NUMBER_PART = re.compile(r"[^\W_]+")
# Punctuation between two syllables that ends a phrase, or a blank line: no bigram spans it.
# A single line break does not: scanned and PDF text wraps lines inside sentences, and a
# quoted phrase is looked up by its pairs first (query.py).
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”«»…]|\n[ \t]*\n")


def canonical_tone(syllable: str) -> str:
    """Place the tone mark of a lower-case syllable where the traditional orthography puts it.

    >>> canonical_tone("hoà"), canonical_tone("thuỷ"), canonical_tone("hòang"), canonical_tone("quý")
    ('hòa', 'thủy', 'hoàng', 'quý')
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) != 1:
        return syllable
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    match = _SYLLABLE.match(base)
    if not match:
        return syllable
    onset, nucleus, coda = match.groups()
    # "qu" and "gi" (before a vowel) are onsets: their u/i carries no tone.
    if onset == "q" and nucleus.startswith("u"):
        onset, nucleus = onset + "u", nucleus[1:]
    elif onset == "g" and nucleus.startswith("i") and len(nucleus) > 1:
        onset, nucleus = onset + "i", nucleus[1:]
    if nucleus not in _MOVABLE:
        return syllable
    position = 1 if coda else 0
    marked = nucleus[: position + 1] + tones[0] + nucleus[position + 1 :]
    return unicodedata.normalize("NFC", onset + marked + coda)


_DOC_NUMBER_SPACES = re.compile(r"\s+")
# OCR reads Đ as the look-alike Ð (U+00D0) ("QÐ"); lower-cased it would become ð, not đ.
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ"})


def doc_number_key(number: str) -> str:
    """The lookup key of a document number: folded, lower case, no spaces, one dash style.

    >>> doc_number_key("821 / QĐ–BQP")
    '821/qd-bqp'
    """
    return _DOC_NUMBER_SPACES.sub("", fold(nfc(number))).lower()


class VietnameseTokenizer(Tokenizer):
    """Splits text into syllables (runs of letters and digits) after NFC, because decomposed
    input would otherwise split inside a syllable. A document number yields its whole key
    (`token.whole` set) then its parts; `token.brk` marks a token preceded by punctuation."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        value = nfc(value).translate(_ETH)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        last_end = 0
        for match in _TOKEN.finditer(value):
            brk = bool(_BREAK.search(value, last_end, match.start())) if last_end else True
            last_end = match.end()
            if match.group("number"):
                parts = list(_NUMBER_PART.finditer(match.group(0)))
                pieces = [(doc_number_key(match.group(0)), match.start(), match.end(), True)]
                pieces += [(p.group(0), match.start() + p.start(), match.start() + p.end(), False) for p in parts]
            else:
                pieces = [(match.group(0), match.start(), match.end(), False)]
            for index, (text, start, end, whole) in enumerate(pieces):
                token.text = text
                token.whole = whole
                token.brk = brk and index <= 1
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                yield token
                if not whole:
                    pos += 1


# Per-token work memoised: an archive uses a few thousand distinct syllables, and analysis runs
# five times per document at indexing and again for every highlighted hit.
_canonical_tone = lru_cache(maxsize=1 << 16)(canonical_tone)
_fold = lru_cache(maxsize=1 << 16)(fold)


class ToneFilter(Filter):
    """Canonical tone-mark placement, so "hoà" and "hòa" are one term."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _canonical_tone(token.text)
            yield token


class FoldFilter(Filter):
    """Removes diacritics (đ -> d): the view that matches queries typed without them."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold(token.text)
            yield token


class BigramFilter(Filter):
    """Adjacent syllables of one sentence joined with "_": "công_nghiệp", "nghiệp_quốc".

    Indexed in their own field, they turn phrase and proximity evidence into plain term lookups
    (shared notes: uni+bigrams MRR 0.98 against 0.85 for syllables alone)."""

    def __call__(self, tokens):
        previous = None
        for token in tokens:
            if getattr(token, "whole", False):
                continue
            text = token.text
            start = getattr(token, "startchar", None)
            pos = getattr(token, "pos", None)
            if previous is not None and not getattr(token, "brk", False):
                prev_text, prev_start, prev_pos = previous
                token.text = prev_text + BIGRAM_SEPARATOR + text
                if prev_start is not None:
                    token.startchar = prev_start
                if prev_pos is not None:
                    token.pos = prev_pos
                yield token
            previous = (text, start, pos)


def exact_analyzer():
    return VietnameseTokenizer() | LowercaseFilter() | ToneFilter()


def folded_analyzer():
    return VietnameseTokenizer() | LowercaseFilter() | FoldFilter()


def exact_bigram_analyzer():
    return exact_analyzer() | BigramFilter()


def folded_bigram_analyzer():
    return folded_analyzer() | BigramFilter()


@lru_cache(maxsize=2)
def _syllable_analyzer(folded: bool):
    # Built once per process: a query splits dozens of fragments, and the abbreviation table
    # hundreds at the first search (an analyzer chain holds no per-call state).
    return folded_analyzer() if folded else exact_analyzer()


def syllables(text: str, folded: bool = False) -> list[str]:
    """The syllables of a query fragment as the index holds them (no whole-number tokens)."""
    return [t.text for t in _syllable_analyzer(folded)(text) if not getattr(t, "whole", False)]
