"""Số and ký hiệu: the document numbers a text holds ("821/QĐ-BQP", "30/2020/NĐ-CP", "06-NQ/TW").

Stage: text fields (text_fields.py picks the document's own number among them; every one is a
citation). Matched on folded text (`normalise.fold`, one character for one, so offsets point
into the original), with the OCR misreadings of a header: "S6:" for "Số:", "O5" for "05", "/"
read as I, l or | ("845ICKT-KHO"), a doubled Đ stroke ("QĐÐ"). `type_of_group` reads a ký-hiệu
group as its tên loại (NĐ 30/2020 Phụ lục III); the query language's `loai:` uses it too.

>>> [(n.value, n.doc_type, n.has_so) for n in find_doc_numbers("Số: 821/QĐ-BQP. Căn cứ Nghị định 30/2020/NĐ-CP")]
[('821/QĐ-BQP', 'Quyết định', True), ('30/2020/NĐ-CP', 'Nghị định', False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archsearch.dates import OCR_DIGIT, ocr_digits
from archsearch.normalise import fold

_D = OCR_DIGIT
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
        num = ocr_digits(text[match.start("num"):match.end("num")])
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
