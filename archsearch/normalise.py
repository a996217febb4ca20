"""Text normalisation: pure functions from extracted text to the text we index.

Everything indexed or queried is Unicode NFC (Whoosh's tokenizer splits decomposed Vietnamese
into fragments). `fold` removes diacritics (đ -> d) for the diacritic-insensitive views.

>>> nfc("quye\\u0302\\u0301t") == "quyết"
True
>>> fold("Quyết định số 821/QĐ-BQP")
'Quyet dinh so 821/QD-BQP'
"""

from __future__ import annotations

import re
import unicodedata

# Ligatures some PDF producers emit; NFKC would also fold other characters we keep.
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, ligatures expanded, control characters (NUL included) dropped, spaces collapsed."""
    text = nfc(text)
    text = "".join(_LIGATURES.get(c, c) for c in text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


class _FoldTable(dict):
    """The `str.translate` table of `fold`, filled as characters are first seen (building it for
    all of Unicode would cost start-up time). Only characters below U+3000 or that fold to
    something else are kept, so a text holding every code point cannot grow it without bound."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐÐ":
            folded = "d" if char == "đ" else "D"
        else:
            folded = unicodedata.normalize("NFD", char)[0].translate(_DASHES)
        if folded == char and code >= 0x3000:
            raise LookupError(code)  # str.translate keeps the character
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ/Ð -> d/D. One output character per input character
    for precomposed NFC input, so offsets into the folded text point into the original.
    The one diacritic folding of the package (index, queries, metadata, snippets)."""
    return text.translate(_FOLD)


def letter_count(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


# A page needs OCR when its text layer has fewer letters than this: digital pages carry
# hundreds; scans carry none or a few stray glyphs (shared notes, "Detecting scanned pages").
MIN_LETTERS_FOR_TEXT_PAGE = 50


def has_real_text(text: str) -> bool:
    """True when a page's extracted text (after clean_text) is a real text layer."""
    return letter_count(clean_text(text)) >= MIN_LETTERS_FOR_TEXT_PAGE


# Compartment names (declared by sidecars and manifests, held by users). A name is any printable
# text: letters of any script, digits, punctuation and inner spaces; a comma is an ordinary
# character of the name, never a separator. Refused: control and format characters (they could
# make two names that print alike differ, or hide one in a terminal), `;` (the manifest's
# separator, so every name can be written in every source), and a name that is empty once
# stripped or holds no letter or digit ("," or "-" alone is a typo, not a name). Case, Unicode normalisation, padding and runs of whitespace do not matter.
COMPARTMENT_SEPARATOR = ";"
MAX_COMPARTMENT_CHARS = 100
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def compartment_name(raw: str) -> str:
    """The canonical form of one compartment name; ValueError (saying why) when it is not one.

    >>> compartment_name(" cnqp-a "), compartment_name("CNQP-A,CNQP-B"), compartment_name("đặc  biệt")
    ('CNQP-A', 'CNQP-A,CNQP-B', 'ĐẶC BIỆT')
    >>> compartment_name("\\u00a0")
    Traceback (most recent call last):
    ValueError: empty compartment name
    """
    if not isinstance(raw, str):
        raise ValueError(f"a compartment name must be text, not {type(raw).__name__}")
    name = nfc(raw).strip()
    if not name:
        raise ValueError("empty compartment name")
    for char in name:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise ValueError(f"compartment name {name!r} holds the control or format character U+{ord(char):04X}")
        if char == COMPARTMENT_SEPARATOR:
            raise ValueError(f"compartment name {name!r} holds {COMPARTMENT_SEPARATOR!r} (the manifest separator)")
    if not any(unicodedata.category(char)[0] in "LN" for char in name):
        raise ValueError(f"compartment name {name!r} holds no letter or digit")
    name = " ".join(name.split())  # only spaces are left inside: one per run
    if len(name) > MAX_COMPARTMENT_CHARS:
        raise ValueError(f"compartment name longer than {MAX_COMPARTMENT_CHARS} characters")
    # casefold first so that every case variant ("ß", "ẞ", "SS") reaches the same upper form
    return nfc(name.casefold().upper())


# Syllable shape: what a well-formed Vietnamese syllable is, for telling Vietnamese text from
# a legacy encoding's garble (ingest/legacy_encodings.py) and a typed word from an abbreviation
# (engine/query.py).
TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
_SYLLABLE_INITIALS = sorted(
    "ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x".split(), key=len, reverse=True
)
# Rhymes (vần) without tone marks.
_SYLLABLE_RHYMES = frozenset(
    """
    a ai ao au ay ac ach am an ang anh ap at
    ăc ăm ăn ăng ăp ăt
    âu ây âc âm ân âng âp ât
    e eo ec em en eng ep et
    ê êu êch êm ên ênh êp êt
    i ia iu ich im in inh ip it
    iêu iêc iêm iên iêng iêp iêt
    yêu yêm yên yêng yêt y
    o oi oc om on ong op ot ooc oong
    oa oai oao oay oac oach oam oan oang oanh oap oat
    oăc oăm oăn oăng oăt
    oe oeo oen oet oem
    ô ôi ôc ôm ôn ông ôp ôt
    ơ ơi ơm ơn ơp ơt
    u ua ui uy uya uyu uê uơ uôi uây
    uc um un ung up ut
    uôc uôm uôn uông uôt
    uân uâng uât uâc
    uêch uênh uêt
    uych uynh uyn uyt uyên uyêt uyp
    ư ưa ưi ưu ưc ưng ưt ưm ưn
    ươi ươu ươc ươm ươn ương ươp ươt
    """.split()
)


def is_vietnamese_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable (any case, at most one tone mark).

    >>> [is_vietnamese_syllable(w) for w in ("nghiêng", "Quyết", "ĐỊNH", "gì", "cnqp", "Straße")]
    [True, True, True, True, False, False]
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in decomposed if c in TONE_MARKS) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    if base in _SYLLABLE_RHYMES:
        return True
    for initial in _SYLLABLE_INITIALS:
        if base.startswith(initial) and base[len(initial):] in _SYLLABLE_RHYMES:
            return True
    # "gi" and "qu" also stand alone before a rhyme starting with their own vowel ("gìn", "quốc").
    return False
