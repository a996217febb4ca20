"""In-text metadata: what an administrative document says about itself.

Stage: text fields (after extraction and normalisation). Input: the NFC text of one document.
Output: `TextFields` -- số/ký hiệu, issue date, tên loại, issuing body, title (tên loại +
trích yếu), the secrecy stamp, and every document number the text cites. Each part is read in
its own module: doc_numbers.py (số, ký hiệu), issue_dates.py (place and date),
title_and_issuer.py (tên loại, trích yếu, cơ quan ban hành), classification.py (stamps); this
one knows where the header ends and combines them.

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

import re

from archsearch.ingest.classification import detect_declassification, detect_stamp
from archsearch.ingest.doc_numbers import DocNumber, find_doc_numbers
from archsearch.ingest.issue_dates import DATE_RE, issue_date
from archsearch.ingest.title_and_issuer import find_type_line, find_vv_line, issuer_of, title_of
from archsearch.normalise import fold, nfc
from archsearch.records import TextFields

# The số and the issue date sit in the first few lines of the header; later numbers and dates
# are citations ("Căn cứ ..."). OCR of a two-column header can add a few short lines.
HEADER_LINES = 15


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


def _header_dates(text: str, folded: str) -> list[re.Match]:
    limit = _offset_of_line(text, HEADER_LINES)
    return [m for m in DATE_RE.finditer(folded, 0, limit)]


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
    type_line = find_type_line(lines)

    if type_line is not None:
        doc_type = type_line.doc_type
    elif find_vv_line(lines) is not None:
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
        date=issue_date(dates),
        doc_type=doc_type,
        issuer=issuer_of(lines, min(anchors) if anchors else None),
        title=title_of(lines, type_line),
        stamp=detect_stamp(text),
        doc_numbers_cited=cited,
        declassified=detect_declassification(text),
    )
