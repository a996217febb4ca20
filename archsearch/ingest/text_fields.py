"""In-text metadata: what an administrative document says about itself.

Stage: text fields (after extraction and normalisation). Input: the NFC text of one document.
Output: `TextFields` -- số/ký hiệu, issue date, tên loại, issuing body, title (tên loại +
trích yếu), the secrecy stamp, and every document number the text cites.

Everything is fold-then-match (shared notes §1.4): the regexes run on `normalise.fold(text)`,
plain ASCII, so they also match text typed without diacritics and OCR vowel errors ("ngảy",
"thảng", "nãm", "Ð" U+00D0). `fold` maps one character to one character, so a match's offsets
point into the original text, and values are taken from the original, with diacritics.

The layout facts come from NĐ 30/2020/NĐ-CP Điều 8 and Phụ lục I/III (shared notes §1.2): the
issuing body top left, "Số:" under it, place and date on the right of the same line, tên loại
centred in capitals with the trích yếu under it; a công văn has "V/v ..." under the số instead.

>>> fields = parse_text_fields(
...     "BỘ QUỐC PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n"
...     "Độc lập - Tự do - Hạnh phúc\\n"
...     "Số: 821/QĐ-BQP Hà Nội, ngày 08 tháng 6 năm 1987\\n"
...     "QUYẾT ĐỊNH\\n"
...     "Về việc ban hành quy chế bảo mật\\n"
...     "Căn cứ Nghị định số 30/2020/NĐ-CP;")
>>> fields.doc_number, fields.date, fields.doc_type, fields.issuer
('821/QĐ-BQP', datetime.date(1987, 6, 8), 'Quyết định', 'BỘ QUỐC PHÒNG')
>>> fields.title
'Quyết định về việc ban hành quy chế bảo mật'
>>> fields.doc_numbers_cited
['821/QĐ-BQP', '30/2020/NĐ-CP']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from archsearch.ingest.classification import cells, detect_declassification, detect_stamp, is_marking
from archsearch.normalise import fold, nfc
from archsearch.records import TextFields

# The số and the issue date sit in the first few lines of the header; later numbers and dates
# are citations ("Căn cứ ..."). OCR of a two-column header can add a few short lines.
HEADER_LINES = 15
# The tên loại comes after the header and the stamps, usually within 10 lines.
TYPE_LINES = 25

# ---------------------------------------------------------------------------------------------
# Số, ký hiệu
# ---------------------------------------------------------------------------------------------

# A digit, or a letter OCR reads for one (O -> 0, l/I/| -> 1).
_D = r"[0-9OoIl|]"
_OCR_DIGITS = str.maketrans("OoIl|", "00111")
# One ký-hiệu group on folded text: QD, TTr, QyD, CTr, TTg, UBTVQH10 ...
# Up to three digits: factory codes such as Z121 are issuer groups ("15/QĐ-Z121").
_GROUP = r"[A-Z][A-Za-z]{0,7}[0-9]{0,3}"
_NUMBER_RE = re.compile(
    # "Số:", "So:", OCR "S6:", "Sô :", and "Luật số:"; spaces and tabs only, never a newline
    r"(?:(?P<law>\b(?i:luat)[ \t]+)?(?P<so>\b[Ss][Oo0-9])[ \t]*[:;.,]?[ \t]*)?"
    # the số; a leading "O" is accepted only before a digit ("O5"); "l23" is deliberately not
    rf"(?<![\w/.-])(?P<num>(?:[0-9]|[Oo](?=[0-9])){_D}{{0,5}})"
    r"(?:[ \t]*/[ \t]*(?P<year>(?:19|20)[0-9]{2}))?"  # QPPL: 30/2020/NĐ-CP
    # "/" state form, "-" Party form (06-NQ/TW); on a Số line, OCR reads "/" as I, l or |
    # ("845ICKT-KHO"), then always written against the digits and a capital
    r"(?:[ \t]*(?P<sep>[/-])[ \t]*|(?P<ocr_slash>[Il|])(?=[A-Z]))"
    rf"(?P<sym>{_GROUP}(?:[ \t]*[-/][ \t]*{_GROUP}){{0,4}})(?!\w)"
)

# Phụ lục III of NĐ 30/2020, the QPPL types, Party types and the pre-2020 names, in precedence
# order: where two abbreviations fold to the same letters (HD hướng dẫn / HĐ hợp đồng), the first
# wins for text typed without diacritics.
_GROUP_TYPES = [
    ("QĐ", "Quyết định"), ("NQ", "Nghị quyết"), ("NĐ", "Nghị định"), ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"), ("CT", "Chỉ thị"), ("QC", "Quy chế"), ("QyĐ", "Quy định"),
    ("TC", "Thông cáo"), ("TB", "Thông báo"), ("HD", "Hướng dẫn"), ("CTr", "Chương trình"),
    ("KH", "Kế hoạch"), ("PA", "Phương án"), ("ĐA", "Đề án"), ("DA", "Dự án"), ("BC", "Báo cáo"),
    ("BB", "Biên bản"), ("TTr", "Tờ trình"), ("HĐ", "Hợp đồng"), ("CĐ", "Công điện"),
    ("BGN", "Bản ghi nhớ"), ("BTT", "Bản thỏa thuận"), ("GUQ", "Giấy ủy quyền"), ("GM", "Giấy mời"),
    ("GGT", "Giấy giới thiệu"), ("GNP", "Giấy nghỉ phép"), ("PG", "Phiếu gửi"), ("PC", "Phiếu chuyển"),
    ("PB", "Phiếu báo"), ("SY", "Bản sao y"), ("TrS", "Bản trích sao"), ("SL", "Bản sao lục"),
    ("PL", "Pháp lệnh"), ("KL", "Kết luận"), ("CV", "Công văn"),
    ("GN", "Bản ghi nhớ"), ("TTh", "Bản thỏa thuận"), ("UQ", "Giấy ủy quyền"), ("NP", "Giấy nghỉ phép"),
]
_TYPE_EXACT = dict(_GROUP_TYPES)
_TYPE_FOLDED: dict[str, str] = {}
_TYPE_UPPER: dict[str, str] = {}
for _abbr, _name in _GROUP_TYPES:
    _TYPE_FOLDED.setdefault(fold(_abbr), _name)
    _TYPE_UPPER.setdefault(fold(_abbr).upper(), _name)


def type_of_group(group: str) -> str | None:
    """The document type a ký-hiệu group stands for, or None.

    >>> type_of_group("QĐ"), type_of_group("QD"), type_of_group("TTR"), type_of_group("BQP")
    ('Quyết định', 'Quyết định', 'Tờ trình', None)
    """
    folded = fold(group)
    return _TYPE_EXACT.get(group) or _TYPE_FOLDED.get(folded) or _TYPE_UPPER.get(folded.upper())


def _clean_symbol(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("\u00d0", "Đ").translate(_DASHES)


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})


def _fix_doubling(group: str) -> str:
    """OCR doubles the stroke of Đ ("QĐÐ"): drop a repeated last letter when that gives a type."""
    if (
        len(group) >= 3
        and type_of_group(group) is None
        and fold(group[-1]).upper() == fold(group[-2]).upper()
        and type_of_group(group[:-1]) is not None
    ):
        return group[:-1]
    return group


@dataclass(frozen=True)
class DocNumber:
    """One document number found in a text."""

    value: str  # normalised: "821/QĐ-BQP", "30/2020/NĐ-CP", "06-NQ/TW"
    start: int  # offset of the match (including "Số:") in the text
    end: int
    has_so: bool  # preceded by "Số"/"số"
    line_start: bool  # "Số ..." begins its line
    law: bool  # "Luật số: ..."
    year: int | None  # the QPPL year group
    doc_type: str | None  # from the type group; "Luật" for "Luật số"; "Công văn" for body-unit only


def find_doc_numbers(text: str, folded: str | None = None) -> list[DocNumber]:
    """Every document number in `text`, in order (not deduplicated).

    A bare "N/XYZ" with no "số" before it, no year and no known type group is rejected: that
    shape is too common in prose (sizes, ratios, addresses) to count as a citation.

    >>> [n.value for n in find_doc_numbers("S6: 821 / QĐ - BQP; Sô :O5/NQ-TW; tỷ lệ 3/BQP")]
    ['821/QĐ-BQP', '05/NQ-TW']
    >>> [n.value for n in find_doc_numbers("Số: 845ICKT-KHO; mục 5IBM")]
    ['845/CKT-KHO']
    """
    folded = fold(text) if folded is None else folded
    found = []
    for match in _NUMBER_RE.finditer(folded):
        num = text[match.start("num"):match.end("num")].translate(_OCR_DIGITS)
        groups = re.split(r"([-/])", _clean_symbol(text[match.start("sym"):match.end("sym")]))
        groups[0] = _fix_doubling(groups[0])
        first_type = type_of_group(groups[0])
        year = match.group("year")
        has_so = match.group("so") is not None
        if not (has_so or year or first_type):
            continue
        if match.group("ocr_slash") and not has_so:
            continue  # "5IBM" in prose is no number; after "Số:" it is 5/BM
        law = match.group("law") is not None
        if first_type is not None:
            doc_type = first_type
        elif law:
            doc_type = "Luật"
        elif year is None:
            doc_type = "Công văn"  # a công văn's ký hiệu is body-unit, with no type group
        else:
            doc_type = None  # a QPPL year with no type group: a law or a resolution of Quốc hội
        line_begin = text.rfind("\n", 0, match.start()) + 1
        value = num + (f"/{year}" if year else "") + (match.group("sep") or "/") + "".join(groups)
        found.append(
            DocNumber(
                value=value,
                start=match.start(),
                end=match.end(),
                has_so=has_so,
                line_start=has_so and not text[line_begin:match.start()].strip(),
                law=law,
                year=int(year) if year else None,
                doc_type=doc_type,
            )
        )
    return found


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _is_citation_line(text: str, offset: int) -> bool:
    line_begin = text.rfind("\n", 0, offset) + 1
    return fold(text[line_begin:line_begin + 12]).lower().startswith(("can cu", "theo "))


def _own_number(text: str, numbers: list[DocNumber]) -> DocNumber | None:
    """The document's own number: in the header, preferring a line that starts with "Số"."""
    header_end = _offset_of_line(text, HEADER_LINES)
    candidates = [n for n in numbers if n.start < header_end and not _is_citation_line(text, n.start)]
    if not candidates:
        return None
    return min(candidates, key=lambda n: (0 if n.line_start else 1 if n.has_so else 2, n.start))


# ---------------------------------------------------------------------------------------------
# Địa danh và thời gian ban hành
# ---------------------------------------------------------------------------------------------

# An unfilled draft leaves dots, an ellipsis, underscores or nothing where the day and month go.
_BLANK = r"\.{2,}|…+|_{2,}|"
_DATE_RE = re.compile(
    # the place: Capitalised words on the same line, then a comma ("TP. Hồ Chí Minh, ")
    r"(?:(?P<place>(?:TP\.?[ \t]*)?[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,3})[ \t]*,[ \t]*)?"
    rf"\b(?i:ng)[A-Za-z]{{1,3}}[ \t]*(?P<d>{_D}{{1,2}}|{_BLANK})[ \t]*"
    rf"(?i:th)[A-Za-z]{{1,3}}[ \t]*(?P<m>{_D}{{1,2}}|{_BLANK})[ \t]*"
    # year: OCR reads an italic "1987" as "19687"; rejecting it beats returning 1968
    rf"(?i:n)[A-Za-z]{{1,2}}[ \t]*(?P<y>(?:1[89]|20){_D}{{2}})(?![0-9])"
)


def _date_of(match: re.Match) -> dt.date | None:
    try:
        day, month, year = (int(match.group(g).translate(_OCR_DIGITS)) for g in ("d", "m", "y"))
        return dt.date(year, month, day)
    except ValueError:  # out of range, or a blank draft field
        return None


def _is_draft(match: re.Match) -> bool:
    return not re.search(r"[0-9]", match.group("d").translate(_OCR_DIGITS) + match.group("m").translate(_OCR_DIGITS))


def _header_dates(text: str, folded: str) -> list[re.Match]:
    limit = _offset_of_line(text, HEADER_LINES)
    return [m for m in _DATE_RE.finditer(folded, 0, limit)]


def _offset_of_line(text: str, line: int) -> int:
    """Offset of the end of the `line`-th non-blank line: extractors differ in how many blank
    lines they put between paragraphs (HTML and DOCX add some), the header does not."""
    offset, seen = 0, 0
    while seen < line:
        end = text.find("\n", offset)
        if end < 0:
            return len(text)
        if text[offset:end].strip():
            seen += 1
        offset = end + 1
    return offset - 1


def _issue_date(dates: list[re.Match]) -> dt.date | None:
    """The first header date with a place; else the first header date. A draft gives None."""
    placed = [m for m in dates if m.group("place")]
    for group in (placed, dates):
        for match in group:
            if _is_draft(match):
                return None
            date = _date_of(match)
            if date is not None:
                return date
    return None


def parse_date(text: str) -> dt.date | None:
    """The first valid "ngày DD tháng MM năm YYYY" date in `text` (any diacritics, OCR digits).

    >>> parse_date("Hà Nội, ngảy O8 thảng 6 nãm 1987")
    datetime.date(1987, 6, 8)
    >>> parse_date("ngày 31 tháng 02 năm 2020") is None
    True
    """
    for match in _DATE_RE.finditer(fold(nfc(text))):
        date = _date_of(match)
        if date is not None:
            return date
    return None


# ---------------------------------------------------------------------------------------------
# Tên loại, trích yếu, cơ quan ban hành
# ---------------------------------------------------------------------------------------------

_TYPE_LINE_NAMES = {
    fold(name).upper(): name
    for name in [
        "Quyết định", "Nghị quyết", "Nghị định", "Thông tư", "Thông tư liên tịch", "Chỉ thị",
        "Báo cáo", "Kế hoạch", "Tờ trình", "Thông báo", "Thông cáo", "Hướng dẫn", "Biên bản",
        "Công điện", "Giấy mời", "Giấy giới thiệu", "Giấy ủy quyền", "Giấy nghỉ phép", "Quy chế",
        "Quy định", "Chương trình", "Đề án", "Dự án", "Phương án", "Kết luận", "Hợp đồng",
        "Bản ghi nhớ", "Bản thỏa thuận", "Công văn", "Lệnh", "Luật", "Bộ luật", "Pháp lệnh",
    ]
}
# A law's name follows the tên loại on the same line: "LUẬT CHĂN NUÔI".
_NAMED_TYPE_RE = re.compile(r"(BO LUAT|LUAT|PHAP LENH) +(?!SO\W*[0-9:])(\S.*)")
_VV_RE = re.compile(r"[Vv] ?/ ?[Vv]\b[ .:]*(.*)")
# Lines that end a trích yếu: the body of the document starts.
_BODY_START = re.compile(r"(?i:can cu|kinh gui|xet de nghi|theo de nghi|noi nhan)\b|(?i:dieu)\s+(?:[0-9]+|[IVXLC]+)\b")
# An ALL-CAPS trích yếu (older documents) ends at the signing authority's heading.
_AUTHORITY = (
    "BO TRUONG", "THU TRUONG", "CHU TICH", "THU TUONG", "CHINH PHU", "QUOC HOI", "UY BAN",
    "BAN CHAP HANH", "BAN THUONG VU", "BO CHINH TRI", "BAN BI THU", "GIAM DOC", "TU LENH",
    "CHU NHIEM", "TONG CUC TRUONG", "CUC TRUONG", "TRUONG BAN", "DANG UY",
)
_NATIONAL_HEADINGS = re.compile(
    r"C[O0]NG\W*H[O0]A\W*XA\W*H[O0]I\W*CHU\W*NGHIA\W*VIET\W*NAM"
    r"|VIET\W*NAM\W*DAN\W*CHU\W*CONG\W*HOA"
    r"|DANG\W*CONG\W*SAN\W*VIET\W*NAM"
    r"|DOC\W*LAP\W*TU\W*DO\W*HANH\W*PHUC",
    re.IGNORECASE,
)


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _key(line: str) -> str:
    return re.sub(r"\s+", " ", fold(line)).strip(" .:;-_*").upper()


@dataclass(frozen=True)
class _TypeLine:
    index: int
    doc_type: str
    name: str  # the rest of a "LUẬT CHĂN NUÔI" line, as written; "" otherwise


def _type_line(lines: list[str]) -> _TypeLine | None:
    for index, line in enumerate(lines[:TYPE_LINES]):
        stripped = line.strip()
        if not _is_all_caps(stripped):
            continue
        key = _key(stripped)
        if key in _TYPE_LINE_NAMES:
            return _TypeLine(index, _TYPE_LINE_NAMES[key], "")
        named = _NAMED_TYPE_RE.fullmatch(re.sub(r"\s", " ", fold(stripped)).upper())
        if named:
            doc_type = _TYPE_LINE_NAMES[named.group(1)]
            return _TypeLine(index, doc_type, stripped[named.start(2):].strip(" .:;"))
    return None


def _trich_yeu(lines: list[str], start: int, max_lines: int = 3, continuation_only: bool = False) -> list[str]:
    """The lines of a trích yếu from `start`: up to a blank line, a body line or a rule.

    `continuation_only` keeps only lines that continue a sentence (start in lower case), for
    the "V/v" block, where the next line may belong to the other column.
    """
    taken: list[str] = []
    caps_mode: bool | None = None
    index = start
    while index < len(lines) and len(taken) < max_lines:
        line = lines[index].strip()
        index += 1
        if not line:
            if not taken and index - 1 == start and not continuation_only:
                continue  # one blank line between the tên loại and the trích yếu
            break
        folded = fold(line)
        if not any(c.isalnum() for c in line) or _BODY_START.match(folded):
            break
        if _DATE_RE.match(folded) or is_marking(line):
            break
        caps = _is_all_caps(line)
        if continuation_only and not line[0].islower():
            break
        if caps_mode is None:
            caps_mode = caps
        elif caps != caps_mode:
            break
        if caps and folded.upper().startswith(_AUTHORITY):
            break
        taken.append(line)
    return taken


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("BQP", "UBND")."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


# In an ALL-CAPS trích yếu, words without a vowel are acronyms (CNQP, BQP, TW) and stay as
# written, like roman numerals (KHÓA XII; not VI/XI/LI, which are also words); the rest is lowered.
_KEEP_UPPER = re.compile(r"[^AEIOUY\W\d]+|(?!(?:VI|XI|LI)$)[IVXLC]{2,}|\w*\d\w*")


def _sentence(parts: list[str]) -> str:
    text = re.sub(r"\s+", " ", " ".join(parts)).strip()
    if not _is_all_caps(text):
        return text
    return " ".join(
        word if _KEEP_UPPER.fullmatch(fold(word).strip(".,;:()")) else word.lower() for word in text.split(" ")
    )


def _title(lines: list[str], type_line: _TypeLine | None) -> str | None:
    if type_line is not None:
        following = _trich_yeu(lines, type_line.index + 1)
        if type_line.name:  # "LUẬT CHĂN NUÔI" -> "Luật Chăn nuôi"
            name = _sentence([type_line.name])
            return f"{type_line.doc_type} {name[:1].upper()}{name[1:]}"
        if not following:
            return None
        body = _sentence(following)
        if type_line.doc_type in ("Luật", "Bộ luật", "Pháp lệnh"):
            return f"{type_line.doc_type} {body[:1].upper()}{body[1:]}"
        return f"{type_line.doc_type} {_lower_first(body)}"
    vv = _vv_line(lines)
    if vv is None:
        return None
    index, rest = vv
    body = _sentence([rest] + _trich_yeu(lines, index + 1, max_lines=2, continuation_only=True))
    return f"Công văn về việc {_lower_first(body)}" if body else None


def _vv_line(lines: list[str]) -> tuple[int, str] | None:
    """The "V/v ..." line of a công văn: its index and the text after "V/v"."""
    for index, line in enumerate(lines[:TYPE_LINES]):
        stripped = line.strip()
        match = _VV_RE.match(fold(stripped))
        if match is None:
            continue
        rest = stripped[match.start(1):]
        # two merged columns: "V/v triển khai ... Hà Nội, ngày ..." -- the date is not the subject
        date = next((m for m in _DATE_RE.finditer(fold(rest)) if m.group("place")), None)
        if date is not None:
            rest = rest[:date.start()]
        return index, rest.strip(" .;,")
    return None


def _issuer(lines: list[str], anchor: int | None) -> str | None:
    """The issuing body: the lowest ALL-CAPS line of the top-left block above `anchor`.

    With two lines, "BỘ QUỐC PHÒNG" (the parent body) over "TỔNG CỤC CNQP" (the unit), the unit
    is the body that issued the document (NĐ 30/2020 Phụ lục I: the parent is written above
    the issuer), so the lower line is returned. Without an anchor (Số line, date line or tên
    loại) nothing here is known to be a header, and the answer is None.
    """
    if anchor is None:
        return None
    found = None
    for line in lines[:anchor]:
        for cell in cells(line):
            # two columns OCR'd as one line: drop the Quốc hiệu / tiêu ngữ part
            folded = fold(cell)
            kept = "".join(
                cell[a:b] for a, b in _complement(_NATIONAL_HEADINGS.finditer(folded), len(cell))
            )
            kept = re.sub(r"\s+", " ", kept).strip(" -_*|.:;,")
            if sum(c.isalpha() for c in kept) < 2 or not _is_all_caps(kept):
                continue
            if is_marking(kept) or _key(kept) in _TYPE_LINE_NAMES:
                continue
            found = kept
            break  # the left column is the first cell
    return found


def _complement(matches, length: int) -> list[tuple[int, int]]:
    spans, last = [], 0
    for match in matches:
        spans.append((last, match.start()))
        last = match.end()
    spans.append((last, length))
    return spans


# ---------------------------------------------------------------------------------------------


def parse_text_fields(text: str) -> TextFields:
    """What the text of an administrative document says about itself; every field optional.

    doc_type comes from the tên loại line, else a "V/v" line (công văn), else the ký-hiệu
    group of the document's own number.
    """
    text = nfc(text)
    folded = fold(text)
    lines = text.split("\n")

    numbers = find_doc_numbers(text, folded)
    own = _own_number(text, numbers)
    dates = _header_dates(text, folded)
    type_line = _type_line(lines)

    if type_line is not None:
        doc_type = type_line.doc_type
    elif _vv_line(lines) is not None:
        doc_type = "Công văn"
    else:
        doc_type = own.doc_type if own is not None else None

    # The issuer is written above the Số line. Without one, above the place-and-date line
    # (OCR may read the right column first, so that line only bounds when there is no Số).
    # Never below the tên loại.
    placed = [m for m in dates if m.group("place")]
    if own is not None:
        anchors = [_line_of(text, own.start)]
    else:
        anchors = [_line_of(text, placed[0].start())] if placed else []
    if type_line is not None:
        anchors.append(type_line.index)

    cited: list[str] = []
    for number in numbers:
        if number.value not in cited:
            cited.append(number.value)

    return TextFields(
        doc_number=own.value if own is not None else None,
        date=_issue_date(dates),
        doc_type=doc_type,
        issuer=_issuer(lines, min(anchors) if anchors else None),
        title=_title(lines, type_line),
        stamp=detect_stamp(text),
        doc_numbers_cited=cited,
        declassified=detect_declassification(text),
    )
