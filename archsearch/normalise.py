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


def fold(text: str) -> str:
    """Remove Vietnamese diacritics; đ/Đ/Ð -> d/D. One output character per input character
    for precomposed NFC input, so offsets into the folded text point into the original."""
    out = []
    for char in text:
        if char in "đĐÐ":
            out.append("d" if char == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", char)[0]
        out.append(base)
    return "".join(out).translate(_DASHES)


def letter_count(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


# A page needs OCR when its text layer has fewer letters than this: digital pages carry
# hundreds; scans carry none or a few stray glyphs (shared notes, "Detecting scanned pages").
MIN_LETTERS_FOR_TEXT_PAGE = 50


def has_real_text(text: str) -> bool:
    """True when a page's extracted text (after clean_text) is a real text layer."""
    return letter_count(clean_text(text)) >= MIN_LETTERS_FOR_TEXT_PAGE
