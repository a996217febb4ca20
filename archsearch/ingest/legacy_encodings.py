"""Legacy Vietnamese encodings: TCVN3 (ABC, .VnTime), VNI-Windows and VISCII -> Unicode NFC.

Text typed before Unicode reaches us in two shapes: the raw bytes of a .txt file, or - from a
PDF or Word file set in a legacy font - Unicode text that is the Windows-1252 *view* of those
bytes (TCVN3 "Hà Nội" arrives as "Hµ Néi", VNI as "Haø Noäi"). Bytes 0x80-0x9F may come back
as cp1252 symbols or as C1 controls; both views are accepted (shared notes §2.1).

The tables are written from the published standards (TCVN 5712:1993 table VN3, the VNI-Windows
font layout, RFC 1456 for VISCII) as summarised in the shared notes §2.3; nothing is copied
from another converter.

Detection (§2.4): text holding a letter only Unicode can express (ă đ ĩ ũ ơ ư or U+1EA0-1EF9)
is Unicode. Otherwise each table decodes the text and the one giving the most valid Vietnamese
syllables wins, if it scores at least 0.6 and 0.15 more than the text as it stands. Detection
runs per document and per long line, never per word (short strings are ambiguous).
Where the extractor knows each run's font (DOCX, PDF), a legacy font name (.VnTime -> TCVN3,
VNI-Times -> VNI) decides for that run instead (runs_to_unicode; shared notes §0).

>>> to_unicode("Hµ Néi, ngµy 08 th¸ng 6 n¨m 1987")
('Hà Nội, ngày 08 tháng 6 năm 1987', 'tcvn3')
>>> to_unicode("Quyeát ñònh veà vieäc baûo quaûn vuõ khí")
('Quyết định về việc bảo quản vũ khí', 'vni')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from archsearch.normalise import TONE_MARKS, is_vietnamese_syllable

# --------------------------------------------------------------------------------------------
# Syllable validity
# --------------------------------------------------------------------------------------------
_UNICODE_ONLY = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")


def syllable_score(text: str) -> float:
    """Share of the words of `text` that are valid Vietnamese syllables (0 without words)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return sum(1 for w in words if is_vietnamese_syllable(w)) / len(words)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------
def _byte_views(byte: int) -> list[str]:
    """How one legacy byte may surface in extracted text: its cp1252 character, and for
    0x80-0x9F also the C1 control of the same value (Latin-1 view)."""
    views = []
    try:
        views.append(bytes([byte]).decode("cp1252"))
    except UnicodeDecodeError:
        pass
    if byte >= 0x80 and chr(byte) not in views:
        views.append(chr(byte))
    if byte < 0x80 and chr(byte) not in views:
        views.append(chr(byte))
    return views


def _compose(letter: str, tone_index: int) -> str:
    """`letter` (a base vowel, possibly with a quality mark) with tone 0..4 (sắc..nặng)."""
    return unicodedata.normalize("NFC", letter + TONE_MARKS[tone_index])


# TCVN 5712:1993 VN3: one byte per lower-case letter; rows in the order base, sắc, huyền, hỏi,
# ngã, nặng (shared notes §2.3).
_TCVN3_ROWS = {
    "a": (0x61, 0xB8, 0xB5, 0xB6, 0xB7, 0xB9),
    "ă": (0xA8, 0xBE, 0xBB, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xCA, 0xC7, 0xC8, 0xC9, 0xCB),
    "e": (0x65, 0xD0, 0xCC, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD5, 0xD2, 0xD3, 0xD4, 0xD6),
    "i": (0x69, 0xDD, 0xD7, 0xD8, 0xDC, 0xDE),
    "o": (0x6F, 0xE3, 0xDF, 0xE1, 0xE2, 0xE4),
    "ô": (0xAB, 0xE8, 0xE5, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xED, 0xEA, 0xEB, 0xEC, 0xEE),
    "u": (0x75, 0xF3, 0xEF, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF8, 0xF5, 0xF6, 0xF7, 0xF9),
    "y": (0x79, 0xFD, 0xFA, 0xFB, 0xFC, 0xFE),
}
_TCVN3_EXTRA = {0xAE: "đ", 0xA7: "Đ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư"}

# VNI-Windows: ASCII base letter + mark byte; lower-case marks, capitals use mark - 0x20.
_VNI_TONE = (0xF9, 0xF8, 0xFB, 0xF5, 0xEF)  # sắc huyền hỏi ngã nặng on a plain vowel
_VNI_CIRCUMFLEX = (0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4)  # â ê ô: bare, sắc, huyền, hỏi, ngã, nặng
_VNI_BREVE = (0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB)  # ă: bare, sắc, huyền, hỏi, ngã, nặng
_VNI_I = (0xED, 0xEC, 0xE6, 0xF3, 0xF2)  # í ì ỉ ĩ ị: one byte replacing the i
_VNI_SINGLE = {0xF4: "ơ", 0xF6: "ư", 0xF1: "đ", 0xD1: "Đ", 0xD4: "Ơ", 0xD6: "Ư", 0xEE: "ỵ", 0xCE: "Ỵ"}

# VISCII (RFC 1456): the 134 letters; six capitals sit on C0 codes.
_VISCII_C0 = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"
    "Õắằặấầẩậẽẹếềểễệố"
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"
    "àáâãảăữẫèéêẻìíĩỉ"
    "đựòóôõỏọụùúũủýợỮ"
)


def _tcvn3_letters() -> dict[str, bytes]:
    letters: dict[str, bytes] = {}
    for base, codes in _TCVN3_ROWS.items():
        letters[base] = bytes([codes[0]])
        for tone in range(5):
            letters[_compose(base, tone)] = bytes([codes[tone + 1]])
    for code, letter in _TCVN3_EXTRA.items():
        letters[letter] = bytes([code])
    return letters


def _vni_letters() -> dict[str, bytes]:
    letters: dict[str, bytes] = {}

    def add(letter: str, encoded: bytes) -> None:
        letters[letter] = encoded
        upper = letter.upper()
        if upper != letter:
            head, marks = encoded[:1], encoded[1:]
            if head.isalpha() and head.isascii():
                letters[upper] = head.upper() + bytes(b - 0x20 for b in marks)
            else:
                letters[upper] = bytes(b - 0x20 for b in encoded)

    for base in "aeouy":
        for tone in range(5):
            add(_compose(base, tone), bytes([ord(base), _VNI_TONE[tone]]))
    for base, quality in (("a", "â"), ("e", "ê"), ("o", "ô")):
        add(quality, bytes([ord(base), _VNI_CIRCUMFLEX[0]]))
        for tone in range(5):
            add(_compose(quality, tone), bytes([ord(base), _VNI_CIRCUMFLEX[tone + 1]]))
    add("ă", bytes([ord("a"), _VNI_BREVE[0]]))
    for tone in range(5):
        add(_compose("ă", tone), bytes([ord("a"), _VNI_BREVE[tone + 1]]))
    for tone in range(5):
        add(_compose("i", tone), bytes([_VNI_I[tone]]))
    for quality, code in (("ơ", 0xF4), ("ư", 0xF6)):
        for tone in range(5):
            add(_compose(quality, tone), bytes([code, _VNI_TONE[tone]]))
    for code, letter in _VNI_SINGLE.items():
        letters[letter] = bytes([code])
    return letters


def _viscii_letters() -> dict[str, bytes]:
    letters = {letter: bytes([code]) for code, letter in _VISCII_C0.items()}
    for offset, letter in enumerate(_VISCII_HIGH):
        letters[letter] = bytes([0x80 + offset])
    return letters


@dataclass(frozen=True)
class LegacyEncoding:
    """One legacy encoding: Unicode letter <-> bytes, and a decoder for the cp1252 view."""

    name: str
    label: str
    letters: dict  # Unicode letter -> its bytes
    has_toned_capitals: bool

    def encode(self, text: str) -> bytes:
        """Bytes of NFC `text` in this encoding; a letter it cannot express is written as its
        lower case (TCVN3 capitals with tones), anything else outside ASCII as '?'."""
        out = bytearray()
        for char in unicodedata.normalize("NFC", text):
            if char in self.letters:
                out += self.letters[char]
            elif ord(char) < 0x80:
                out.append(ord(char))
            elif char.lower() in self.letters:
                out += self.letters[char.lower()]
            else:
                try:
                    out += char.encode("cp1252")  # punctuation such as “ ” – keeps its cp1252 byte
                except UnicodeEncodeError:
                    out += b"?"
        return bytes(out)

    def view(self, data: bytes) -> str:
        """The cp1252 view of legacy bytes, as a PDF or Word extractor returns it."""
        return "".join(_byte_views(b)[0] for b in data)

    def decode(self, view: str) -> str:
        """Unicode NFC text from the cp1252 (or Latin-1) view of bytes in this encoding."""
        table, longest = _decode_table(self)
        out = []
        i = 0
        while i < len(view):
            for size in range(longest, 0, -1):
                piece = view[i : i + size]
                if piece in table:
                    out.append(table[piece])
                    i += size
                    break
            else:
                out.append(view[i])
                i += 1
        text = "".join(out)
        if not self.has_toned_capitals:
            text = _restore_capitals(text)
        return unicodedata.normalize("NFC", text)

    def decode_bytes(self, data: bytes) -> str:
        return self.decode(self.view(data))


_DECODE_TABLES: dict[str, tuple[dict[str, str], int]] = {}


def _decode_table(encoding: LegacyEncoding) -> tuple[dict[str, str], int]:
    cached = _DECODE_TABLES.get(encoding.name)
    if cached is not None:
        return cached
    table: dict[str, str] = {}
    for letter, encoded in encoding.letters.items():
        if encoded == letter.encode("ascii", "ignore"):
            continue  # plain ASCII letters decode as themselves
        views = [""]
        for byte in encoded:
            views = [v + c for v in views for c in _byte_views(byte)]
        for view in views:
            table.setdefault(view, letter)
    longest = max(len(v) for v in table)
    _DECODE_TABLES[encoding.name] = (table, longest)
    return table, longest


# TCVN3 has no toned capitals: headings were typed in .VnTimeH fonts that draw the lower-case
# codes as capitals. A word whose ASCII letters are all capitals was such a heading when it has
# two of them, or when most words of its line are capitals (shared notes §2.1: "VÒ" -> "VỀ").
_CAPS_WORD = re.compile(r"[^\W\d_]+")


def _all_ascii_caps(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii()]
    return bool(ascii_letters) and all(c.isupper() for c in ascii_letters)


def _restore_capitals(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        # Tokens holding digits (document numbers such as "58/Z117-KT") do not vote.
        voters = re.sub(r"\S*\d\S*", " ", line)
        words = [w for w in _CAPS_WORD.findall(voters) if any(c.isascii() for c in w)]
        heading = len(words) >= 2 and sum(_all_ascii_caps(w) for w in words) >= 0.6 * len(words)

        def fix(match: re.Match) -> str:
            word = match.group(0)
            if _all_ascii_caps(word) and (heading or sum(c.isascii() for c in word) >= 2):
                return word.upper()
            return word

        lines.append(_CAPS_WORD.sub(fix, line))
    return "\n".join(lines)


TCVN3 = LegacyEncoding("tcvn3", "TCVN3 (ABC)", _tcvn3_letters(), has_toned_capitals=False)
VNI = LegacyEncoding("vni", "VNI-Windows", _vni_letters(), has_toned_capitals=True)
VISCII = LegacyEncoding("viscii", "VISCII", _viscii_letters(), has_toned_capitals=True)
ENCODINGS = (TCVN3, VNI, VISCII)  # tie order (§2.4)
BY_NAME = {e.name: e for e in ENCODINGS}

MIN_SCORE = 0.6
MIN_GAIN = 0.15
# Lines with fewer words than this take the decision made for the whole document.
MIN_WORDS_PER_LINE = 8


@dataclass(frozen=True)
class Detection:
    encoding: LegacyEncoding | None  # None: the text is Unicode (or not Vietnamese)
    score: float  # syllable score of the chosen reading
    raw_score: float  # syllable score of the text as it stands


def detect(text: str) -> Detection:
    """Which legacy encoding `text` (a cp1252 view) is in, if any (rules in the module doc)."""
    raw = syllable_score(text)
    if text.isascii() or _UNICODE_ONLY.search(unicodedata.normalize("NFC", text)):
        return Detection(None, raw, raw)
    best: Detection = Detection(None, raw, raw)
    for encoding in ENCODINGS:
        score = syllable_score(encoding.decode(text))
        if score >= MIN_SCORE and score >= raw + MIN_GAIN and score > best.score + 1e-9:
            best = Detection(encoding, score, raw)
    return best


def encoding_for_font(font_name: str | None) -> LegacyEncoding | None:
    """The legacy encoding a font name implies: ".VnTime", ".VnArialH" -> TCVN3, "VNI-Times" -> VNI."""
    if not font_name:
        return None
    name = font_name.split("+", 1)[-1].lower()  # PDF subset prefix "ABCDEF+"
    if name.startswith(".vn") or name.startswith("vn") and not name.startswith("vni"):
        return TCVN3 if name.startswith(".vn") else None
    if name.startswith("vni"):
        return VNI
    return None


def is_capitals_font(font_name: str | None) -> bool:
    """True for a TCVN3 heading font (".VnTimeH", ".VnArialH,Bold"): it draws every letter as a
    capital, so text typed in it is lower case underneath (TCVN3 has no toned capitals)."""
    if encoding_for_font(font_name) is not TCVN3:
        return False
    family = re.split(r"[,-]", font_name.split("+", 1)[-1])[0]  # drop ",Bold" / "-Bold"
    return family.endswith("H")


def runs_to_unicode(runs: Iterable[tuple[str, str | None]]) -> tuple[str, str | None]:
    """(text, name of the encoding(s) converted from or None) for text given as (text, font
    name) runs, lines separated by "\n" inside the runs' text. Converted text is NFC.

    A run whose font names a legacy encoding (encoding_for_font) is decoded with it: the font
    decides where content detection cannot. Detection leaves short runs alone ("sè 32" is
    "số 32") and reads some VNI as TCVN3 ("coâng" -> "coõng" instead of "công"), while text
    set in .VnTime is TCVN3 whatever it looks like. Consecutive runs in fonts of one encoding
    are decoded together, because Word splits runs anywhere, even inside a VNI letter. A run
    that holds a letter only Unicode has is already Unicode and stays as it is. Text in a
    heading font (is_capitals_font) is upper-cased. Lines without a run in a legacy font go
    through to_unicode together, exactly as text without fonts does.

    >>> runs_to_unicode([("Sè 32", ".VnTime"), (" | ", None), ("coâng", "VNI-Times")])
    ('Số 32 | công', 'tcvn3+vni')
    """
    lines: list[list[tuple[str, tuple[LegacyEncoding, bool] | None]]] = [[]]
    for text, font in runs:
        encoding = encoding_for_font(font)
        key = (encoding, is_capitals_font(font)) if encoding else None
        for index, piece in enumerate(text.split("\n")):
            if index:
                lines.append([])
            line = lines[-1]
            if line and line[-1][1] == key:
                line[-1] = (line[-1][0] + piece, key)
            elif piece:
                line.append((piece, key))
    out: list[str] = []
    undecided: list[int] = []  # lines no font decided: content detection, as before
    used: set[str] = set()
    for line in lines:
        if all(key is None for _, key in line):
            undecided.append(len(out))
            out.append("".join(piece for piece, _ in line))
            continue
        parts = []
        for piece, key in line:
            if key is None or _UNICODE_ONLY.search(unicodedata.normalize("NFC", piece)):
                parts.append(piece)
                continue
            encoding, capitals = key
            decoded = encoding.decode(piece)
            decoded = decoded.upper() if capitals else decoded
            if decoded != piece:
                used.add(encoding.name)
            parts.append(decoded)
        out.append("".join(parts))
    if undecided:
        detected, name = to_unicode("\n".join(out[i] for i in undecided))
        for i, text in zip(undecided, detected.split("\n")):
            out[i] = text
        used.update(name.split("+") if name else ())
    name = "+".join(e.name for e in ENCODINGS if e.name in used)
    return "\n".join(out), name or None


def to_unicode(text: str, hint: LegacyEncoding | None = None) -> tuple[str, str | None]:
    """(Unicode NFC text, name of the encoding converted from or None).

    With a `hint` (from a font name) the whole text is converted with it. Otherwise the
    decision is made for the whole text, then again for each long line, so a document mixing
    Unicode and legacy paragraphs converts only the legacy ones."""
    if hint is not None:
        return hint.decode(text), hint.name
    if text.isascii():
        return text, None
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if not line.isascii() and not _UNICODE_ONLY.search(line)]
    if not candidates:
        return text, None
    overall = detect("\n".join(lines[i] for i in candidates)).encoding
    used: set[str] = set()
    for i in candidates:
        line = lines[i]
        chosen = overall
        if len(_WORD.findall(line)) >= MIN_WORDS_PER_LINE:
            chosen = detect(line).encoding
        if chosen is not None:
            lines[i] = chosen.decode(line)
            used.add(chosen.name)
    if not used:
        return text, None
    name = "+".join(e.name for e in ENCODINGS if e.name in used)
    return "\n".join(lines), name


def decode_legacy_bytes(data: bytes, current: str) -> tuple[str, str] | None:
    """For raw bytes that are not UTF-8: (text, encoding name) when a legacy reading of `data`
    scores clearly better than `current` (the bytes decoded as Windows-1258), else None."""
    view = "".join(_byte_views(b)[0] for b in data)
    raw = syllable_score(unicodedata.normalize("NFC", current))
    best = None
    best_score = raw
    for encoding in ENCODINGS:
        decoded = encoding.decode(view)
        score = syllable_score(decoded)
        if score >= MIN_SCORE and score >= raw + MIN_GAIN and score > best_score + 1e-9:
            best, best_score = (decoded, encoding.name), score
    return best


def describe(name: str) -> str:
    """"converted from TCVN3 (ABC)" for the warnings recorded on a document."""
    labels = [BY_NAME[n].label for n in name.split("+") if n in BY_NAME]
    return "converted from " + " and ".join(labels or [name])
