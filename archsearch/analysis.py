"""Analyzers for Vietnamese text: syllables, NFC, tone-mark placement, and a folded view.

Whoosh pickles analyzers into the index, so every piece here is a module-level class with a
stable name; changing what they emit means bumping `index.SCHEMA_VERSION`.

No stop words, no stemming, no minimum length: Vietnamese words are syllables, and "an"
(an ninh), "ở" or "số" are content (shared notes, "Stock analyzers are wrong for Vietnamese").

>>> [t.text for t in exact_analyzer()("Hoà bình, THUỶ lợi: 821/QĐ-BQP")]
['hòa', 'bình', 'thủy', 'lợi', '821', 'qđ', 'bqp']
>>> [t.text for t in folded_analyzer()("Hoà bình, Đảng ủy")]
['hoa', 'binh', 'dang', 'uy']
"""

from __future__ import annotations

import re
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from .normalise import fold, nfc

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(rf"^([^{_VOWELS}]*)([{_VOWELS}]+)(.*)$")
# Diphthongs whose tone sits on the first vowel in an open syllable ("hòa", "thủy") and on the
# second when a final consonant follows ("hoàng", "thuyết"); both spellings occur in the archive.
_MOVABLE = {"oa", "oă", "oe", "uy"}


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


class VietnameseTokenizer(RegexTokenizer):
    """Splits NFC text into syllables (runs of letters and digits); normalises to NFC first
    because decomposed input would otherwise split inside a syllable."""

    def __init__(self):
        super().__init__(expression=r"\w+")

    def __call__(self, value, **kwargs):
        return super().__call__(nfc(value), **kwargs)


class ToneFilter(Filter):
    """Canonical tone-mark placement, so "hoà" and "hòa" are one term."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = canonical_tone(token.text)
            yield token


class FoldFilter(Filter):
    """Removes diacritics (đ -> d): the view that matches queries typed without them."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


def exact_analyzer():
    return VietnameseTokenizer() | LowercaseFilter() | ToneFilter()


def folded_analyzer():
    return VietnameseTokenizer() | LowercaseFilter() | FoldFilter()


_DOC_NUMBER_SPACES = re.compile(r"\s+")


def doc_number_key(number: str) -> str:
    """The lookup key of a document number: folded, lower case, no spaces, one dash style.

    >>> doc_number_key("821 / QĐ–BQP")
    '821/qd-bqp'
    """
    return _DOC_NUMBER_SPACES.sub("", fold(nfc(number))).lower()
