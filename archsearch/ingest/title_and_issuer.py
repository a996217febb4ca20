"""Tên loại, trích yếu and cơ quan ban hành: the type line, the title and the issuing body of a text.

Stage: text fields (text_fields.py calls these with the lines of a document's NFC text). The
layout is NĐ 30/2020/NĐ-CP Điều 8 and Phụ lục I (shared notes §1.2): the issuing body top left,
tên loại centred in capitals with the trích yếu under it; a công văn has "V/v ..." under the số
instead. The title is tên loại + trích yếu as a sentence ("Quyết định về việc ...").

>>> lines = ["BỘ QUỐC PHÒNG", "Số: 821/QĐ-BQP", "QUYẾT ĐỊNH", "VỀ VIỆC BAN HÀNH QUY CHẾ BẢO MẬT CNQP", "Căn cứ ..."]
>>> type_line = find_type_line(lines)
>>> type_line.doc_type, title_of(lines, type_line), issuer_of(lines, 1)
('Quyết định', 'Quyết định về việc ban hành quy chế bảo mật CNQP', 'BỘ QUỐC PHÒNG')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archsearch.dates import is_all_caps
from archsearch.ingest.classification import cells, is_marking
from archsearch.ingest.issue_dates import DATE_RE
from archsearch.normalise import fold

# The tên loại comes after the header and the stamps, usually within 10 lines.
TYPE_LINES = 25

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


def _key(line: str) -> str:
    return re.sub(r"\s+", " ", fold(line)).strip(" .:;-_*").upper()


@dataclass(frozen=True)
class TypeLine:
    index: int
    doc_type: str
    name: str  # the rest of a "LUẬT CHĂN NUÔI" line, as written; "" otherwise


def find_type_line(lines: list[str]) -> TypeLine | None:
    for index, line in enumerate(lines[:TYPE_LINES]):
        stripped = line.strip()
        if not is_all_caps(stripped):
            continue
        key = _key(stripped)
        if key in _TYPE_LINE_NAMES:
            return TypeLine(index, _TYPE_LINE_NAMES[key], "")
        named = _NAMED_TYPE_RE.fullmatch(re.sub(r"\s", " ", fold(stripped)).upper())
        if named:
            doc_type = _TYPE_LINE_NAMES[named.group(1)]
            return TypeLine(index, doc_type, stripped[named.start(2):].strip(" .:;"))
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
        if DATE_RE.match(folded) or is_marking(line):
            break
        caps = is_all_caps(line)
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
    if not is_all_caps(text):
        return text
    return " ".join(
        word if _KEEP_UPPER.fullmatch(fold(word).strip(".,;:()")) else word.lower() for word in text.split(" ")
    )


def title_of(lines: list[str], type_line: TypeLine | None) -> str | None:
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
    vv = find_vv_line(lines)
    if vv is None:
        return None
    index, rest = vv
    body = _sentence([rest] + _trich_yeu(lines, index + 1, max_lines=2, continuation_only=True))
    return f"Công văn về việc {_lower_first(body)}" if body else None


def find_vv_line(lines: list[str]) -> tuple[int, str] | None:
    """The "V/v ..." line of a công văn: its index and the text after "V/v"."""
    for index, line in enumerate(lines[:TYPE_LINES]):
        stripped = line.strip()
        match = _VV_RE.match(fold(stripped))
        if match is None:
            continue
        rest = stripped[match.start(1):]
        # two merged columns: "V/v triển khai ... Hà Nội, ngày ..." -- the date is not the subject
        date = next((m for m in DATE_RE.finditer(fold(rest)) if m.group("place")), None)
        if date is not None:
            rest = rest[:date.start()]
        return index, rest.strip(" .;,")
    return None


def issuer_of(lines: list[str], anchor: int | None) -> str | None:
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
            if sum(c.isalpha() for c in kept) < 2 or not is_all_caps(kept):
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
