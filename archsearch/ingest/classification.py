"""Classification markings in the text, and the effective level of a document.

Stage: metadata & classification. Input: the (NFC) text of one document, or the declared and
detected levels. Output: the strictest secrecy stamp near the top (`detect_stamp`), a GIẢI MẬT
date (`detect_declassification`), and the level the document is indexed at (`effective_level`).

A stamp is only a hint (OCR loses the red boxed "MẬT" in most degraded scans, shared notes
§0.6): it can make a document stricter than declared, never less strict.

Matching is fold-then-match: the cell is folded (no diacritics, đ -> d), so text typed without
diacritics and OCR vowel errors ("MÂT") still match, while the ALL-CAPS test runs on the
original, which keeps prose ("Độ mật: Tối mật", "bảo mật") out.

>>> detect_stamp("BỘ QUỐC PHÒNG    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nSố: 821/QĐ-BQP\\n| TỐI MẬT |")
<Level.SECRET: 2>
>>> detect_stamp("Tài liệu này phải được bảo mật.\\nĐộ mật: Tối mật") is None
True
>>> effective_level(Level.CONFIDENTIAL, Level.SECRET, Level.UNCLASSIFIED)
(<Level.SECRET: 2>, 'declared+stamp')
"""

from __future__ import annotations

import datetime as dt
import re

from archsearch.levels import Level, stricter
from archsearch.normalise import fold

# Stamps sit in ô 10a, under the số/ký hiệu; 40 lines leave room for a two-column header that
# OCR split into many short lines.
STAMP_LINES = 40

# Two-column OCR puts the stamp on the same line as the tiêu ngữ, separated by a run of spaces
# (before clean_text collapses them) or a table rule.
_CELL_SPLIT = re.compile(r"[ \t]{2,}|\t|\|")
# Box borders, brackets and asterisks drawn around a stamp are not part of it.
_DECORATION = re.compile(r"[\u2500-\u257f\[\](){}<>«»*]")
_EDGE_PUNCTUATION = " .:;,-_=~"

_SECRECY = re.compile(r"(?:DO ?MAT ?:? ?)?(TUYET ?MAT|TOI ?MAT|MAT)")
_URGENCY = re.compile(r"(?:DO ?KHAN ?:? ?)?(HOA ?TOC(?: ?HEN ?GIO)?|THUONG ?KHAN|KHAN)")
_CIRCULATION = re.compile(
    r"LUU ?HANH ?NOI ?BO|XEM ?XONG ?TRA ?LAI|TAI ?LIEU ?THU ?HOI|KHONG ?PHO ?BIEN|DU ?THAO|GIAI ?MAT"
    r"|CHI ?NGUOI ?CO ?TEN ?MOI ?DUOC ?BOC ?BI"
)
_LEVEL_OF = {"TUYETMAT": Level.TOP_SECRET, "TOIMAT": Level.SECRET, "MAT": Level.CONFIDENTIAL}


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _cell_key(cell: str) -> str | None:
    """The folded, single-spaced form of a cell when it is ALL CAPS in the original, else None."""
    cell = _DECORATION.sub(" ", cell).strip(_EDGE_PUNCTUATION)
    if not _is_all_caps(cell):
        return None
    return re.sub(r"\s+", " ", fold(cell)).strip(_EDGE_PUNCTUATION)


def cells(line: str) -> list[str]:
    """Split one line into the cells a multi-column header was read as."""
    return [cell for cell in _CELL_SPLIT.split(line) if cell.strip()]


def stamp_level(cell: str) -> Level | None:
    """The level of one cell when the cell is a secrecy stamp and nothing else.

    >>> stamp_level("[TUYỆT MẬT]")
    <Level.TOP_SECRET: 3>
    >>> stamp_level("MÂT")  # OCR lost the dot below: still MẬT
    <Level.CONFIDENTIAL: 1>
    >>> stamp_level("MẶT TRẬN") is None
    True
    """
    key = _cell_key(cell)
    if key is None:
        return None
    match = _SECRECY.fullmatch(key)
    if match is None:
        return None
    return _LEVEL_OF[match.group(1).replace(" ", "")]


def is_marking(cell: str) -> bool:
    """True for a cell that is a stamp or a marking (độ mật, độ khẩn, lưu hành, dự thảo, giải mật).

    >>> is_marking("HỎA TỐC"), is_marking("LƯU HÀNH NỘI BỘ"), is_marking("BỘ QUỐC PHÒNG")
    (True, True, False)
    """
    key = _cell_key(cell)
    if key is None:
        return False
    return any(pattern.fullmatch(key) for pattern in (_SECRECY, _URGENCY, _CIRCULATION))


def detect_stamp(text: str) -> Level | None:
    """The strictest secrecy stamp in the first STAMP_LINES lines, or None.

    Known limitation (shared notes §1.4): folding conflates MẬT with MẶT/MẤT, so a cell that is
    exactly "MẶT" in capitals counts as a stamp. That errs on the strict side, which is the
    safe side for access control.
    """
    found = [stamp_level(cell) for line in text.split("\n")[:STAMP_LINES] for cell in cells(line)]
    return stricter(*found)


# The GIẢI MẬT stamp goes on the first page, by the độ-mật stamp it cancels; looking further
# would fold the whole of a long text for nothing.
DECLASSIFICATION_LINES = 100

_OCR_DIGITS = str.maketrans("OoIl|", "00111")
_D = r"[0-9OoIl|]"
_DECLASS_HEAD = re.compile(r"GIAI[ \t]*MAT")
# The GIẢI MẬT stamp (TT 24/2020 Mẫu 05) has "Từ: <date>" written by hand on its second line.
_DECLASS_DATE = re.compile(
    r"[^A-Za-z0-9]{0,12}(?i:tu)\b\s*[:.]?\s*(?:"
    rf"(?P<d>{_D}{{1,2}})\s*[/.-]\s*(?P<m>{_D}{{1,2}})\s*[/.-]\s*(?P<y>(?:19|20){_D}{{2}})"
    rf"|(?i:ng)[a-zA-Z]{{1,3}}\s*(?P<d2>{_D}{{1,2}})\s*(?i:th)[a-zA-Z]{{1,3}}\s*(?P<m2>{_D}{{1,2}})"
    rf"\s*(?i:n)[a-zA-Z]{{1,2}}\s*(?P<y2>(?:19|20){_D}{{2}})"
    r")(?![0-9])"
)


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(*(int(part.translate(_OCR_DIGITS)) for part in (year, month, day)))
    except ValueError:
        return None


def detect_declassification(text: str) -> dt.date | None:
    """The date of a GIẢI MẬT stamp ("GIẢI MẬT" then "Từ: <date>") in the first
    DECLASSIFICATION_LINES lines, best effort; else None.

    >>> detect_declassification("GIẢI MẬT\\nTừ: 05/3/2020")
    datetime.date(2020, 3, 5)
    >>> detect_declassification("Tài liệu được giải mật từ 05/3/2020") is None  # prose, not a stamp
    True
    """
    text = "\n".join(text.split("\n", DECLASSIFICATION_LINES)[:DECLASSIFICATION_LINES])
    folded = fold(text)
    for head in _DECLASS_HEAD.finditer(folded):
        if not _is_all_caps(text[head.start():head.end()]):
            continue
        match = _DECLASS_DATE.match(folded, head.end())
        if match is None:
            continue
        if match.group("d"):
            date = _make_date(match.group("y"), match.group("m"), match.group("d"))
        else:
            date = _make_date(match.group("y2"), match.group("m2"), match.group("d2"))
        if date is not None:
            return date
    return None


def effective_level(declared: Level | None, stamp: Level | None, default: Level) -> tuple[Level, str]:
    """The level a document is indexed at, and where it came from.

    The stricter of the declared level and the stamp; `default` only when neither exists.
    Source is "declared", "stamp", "declared+stamp" (both present) or "default".

    >>> effective_level(None, None, Level.CONFIDENTIAL)
    (<Level.CONFIDENTIAL: 1>, 'default')
    >>> effective_level(Level.SECRET, Level.CONFIDENTIAL, Level.UNCLASSIFIED)
    (<Level.SECRET: 2>, 'declared+stamp')
    """
    if declared is None and stamp is None:
        return default, "default"
    if stamp is None:
        return declared, "declared"
    if declared is None:
        return stamp, "stamp"
    return max(declared, stamp), "declared+stamp"
