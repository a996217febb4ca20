"""What the text of an administrative document says about itself (shared notes §1.2-1.4)."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archsearch.levels import Level
from archsearch.normalise import clean_text
from archsearch.records import TextFields
from archsearch.ingest.doc_numbers import find_doc_numbers, type_of_group
from archsearch.ingest.issue_dates import parse_date
from archsearch.ingest.text_fields import parse_text_fields


def fields(text: str) -> TextFields:
    return parse_text_fields(clean_text(text))


# --- số / ký hiệu -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, number, doc_type",
    [
        ("Số: 821/QĐ-BQP", "821/QĐ-BQP", "Quyết định"),
        ("Số: 05/NQ-TW", "05/NQ-TW", "Nghị quyết"),
        ("Số: 123/BC-VP", "123/BC-VP", "Báo cáo"),
        ("Số: 30/2020/NĐ-CP", "30/2020/NĐ-CP", "Nghị định"),
        ("Số: 91/2012/TT-BQP", "91/2012/TT-BQP", "Thông tư"),
        ("Số: 1234/BQP-VP", "1234/BQP-VP", "Công văn"),
        ("Số: 45/TTr-TCCNQP", "45/TTr-TCCNQP", "Tờ trình"),
        ("Số: 12/QyĐ-UBND", "12/QyĐ-UBND", "Quy định"),
        ("Số 06-NQ/TW", "06-NQ/TW", "Nghị quyết"),
        ("Số 23-QĐ/UBKTTW", "23-QĐ/UBKTTW", "Quyết định"),
        ("Luật số: 29/2018/QH14", "29/2018/QH14", "Luật"),
        ("Số: 30/2000/PL-UBTVQH10", "30/2000/PL-UBTVQH10", "Pháp lệnh"),
        ("Số: 821/QĐ", "821/QĐ", "Quyết định"),
        ("Số: 15/QĐ-QP", "15/QĐ-QP", "Quyết định"),
        ("Số: 18/2020/QĐ-TTg", "18/2020/QĐ-TTg", "Quyết định"),
        # typed without diacritics: the value stays as written
        ("So: 821/QD-BQP", "821/QD-BQP", "Quyết định"),
        # OCR noise
        ("S6: 821 / QĐ - BQP", "821/QĐ-BQP", "Quyết định"),
        ("Sô :O5/NQ-TW", "05/NQ-TW", "Nghị quyết"),
        ("Số: 821/QĐÐ-BQP", "821/QĐ-BQP", "Quyết định"),  # doubled Đ stroke
        ("Số: 821/QÐ–BQP", "821/QĐ-BQP", "Quyết định"),  # U+00D0 and an en-dash
        ("SỐ: 821/QĐ-BQP", "821/QĐ-BQP", "Quyết định"),
    ],
)
def test_own_number(line, number, doc_type):
    parsed = fields("BỘ QUỐC PHÒNG\n" + line + "\nHà Nội, ngày 08 tháng 6 năm 1987")
    assert parsed.doc_number == number
    assert parsed.doc_type == doc_type  # no tên loại line: inferred from the ký hiệu
    assert parsed.doc_numbers_cited == [number]


def test_number_inside_running_text():
    text = "Căn cứ Quyết định số 821/QĐ ngày 8/6/1987 và Nghị định số 30/2020/NĐ-CP ngày 05/3/2020;"
    assert [n.value for n in find_doc_numbers(text)] == ["821/QĐ", "30/2020/NĐ-CP"]


@pytest.mark.parametrize(
    "text",
    [
        "Số: l23/QĐ-BQP",  # leading lower-case L: a known, deliberate limitation
        "kế hoạch giai đoạn 2016-2020",
        "tỷ lệ 3/BQP của đơn vị",  # bare N/XYZ: no "số", no year, no known type
        "ngày 8/6/1987",
        "phòng 12/A",
    ],
)
def test_not_a_number(text):
    assert find_doc_numbers(text) == []


def test_bare_number_with_a_known_type_is_kept():
    assert [n.value for n in find_doc_numbers("theo 123/BC-VP đã gửi")] == ["123/BC-VP"]


def test_citations_deduplicated_in_order():
    text = (
        "Số: 821/QĐ-BQP\n"
        "Căn cứ Nghị định số 30/2020/NĐ-CP;\n"
        "Căn cứ Quyết định số 821/QĐ ngày 8/6/1987;\n"
        "Thực hiện Nghị định số 30/2020/NĐ-CP và công văn số 1234/BQP-VP;"
    )
    assert fields(text).doc_numbers_cited == ["821/QĐ-BQP", "30/2020/NĐ-CP", "821/QĐ", "1234/BQP-VP"]


def test_own_number_is_not_a_citation():
    text = "BỘ QUỐC PHÒNG\nCăn cứ Nghị định số 30/2020/NĐ-CP;\nSố: 821/QĐ-BQP"
    assert fields(text).doc_number == "821/QĐ-BQP"
    assert fields("BỘ QUỐC PHÒNG\nCăn cứ Nghị định số 30/2020/NĐ-CP;").doc_number is None


def test_own_number_only_in_the_header():
    text = "\n".join(f"Đoạn {i}." for i in range(20)) + "\nSố: 821/QĐ-BQP"
    parsed = fields(text)
    assert parsed.doc_number is None
    assert parsed.doc_numbers_cited == ["821/QĐ-BQP"]


def test_type_of_group():
    assert type_of_group("HD") == "Hướng dẫn"
    assert type_of_group("HĐ") == "Hợp đồng"
    assert type_of_group("ĐA") == "Đề án"
    assert type_of_group("CTr") == "Chương trình"
    assert type_of_group("BQP") is None


# --- ngày tháng ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, date",
    [
        ("Hà Nội, ngày 08 tháng 6 năm 1987", dt.date(1987, 6, 8)),
        ("Hà Nội, ngày 05 tháng 02 năm 2020", dt.date(2020, 2, 5)),
        ("TP. Hồ Chí Minh, ngày 15 tháng 12 năm 2019", dt.date(2019, 12, 15)),
        ("Đà Nẵng, ngày 1 tháng 1 năm 2001", dt.date(2001, 1, 1)),
        ("Ha Noi, ngay 08 thang 6 nam 1987", dt.date(1987, 6, 8)),
        ("Hà Nội, ngảy O8 thảng 6 nãm 1987", dt.date(1987, 6, 8)),  # OCR
        ("Hà Nội, NGÀY 08 THÁNG 6 NĂM 1987", dt.date(1987, 6, 8)),
        ("Hà Nội, ngày ... tháng ... năm 2020", None),  # unfilled draft
        ("Hà Nội, ngày … tháng … năm 2020", None),
        ("Hà Nội, ngày tháng năm 2020", None),
        ("Hà Nội, ngày 32 tháng 6 năm 1987", None),  # out of range
        ("Hà Nội, ngày 08 tháng 13 năm 1987", None),
        ("Hà Nội, ngày 30 tháng 02 năm 2020", None),
        ("Hà Nội, ngày 08 tháng 6 năm 19687", None),  # OCR's "19687" is rejected, not read as 1968
    ],
)
def test_issue_date(line, date):
    assert fields("BỘ QUỐC PHÒNG\nSố: 821/QĐ-BQP\n" + line).date == date


def test_issue_date_prefers_the_place():
    text = "Căn cứ Quyết định ngày 02 tháng 3 năm 1980;\nSố: 5/QĐ Hà Nội, ngày 08 tháng 6 năm 1987"
    assert fields(text).date == dt.date(1987, 6, 8)


def test_issue_date_without_place():
    assert fields("Số: 5/QĐ\nngày 08 tháng 6 năm 1987").date == dt.date(1987, 6, 8)


def test_draft_issue_date_does_not_fall_through_to_a_citation():
    text = "Số: /QĐ-BQP Hà Nội, ngày ... tháng ... năm 2020\nCăn cứ Quyết định ngày 02 tháng 3 năm 2019;"
    assert fields(text).date is None


def test_parse_date():
    assert parse_date("ngày 05 tháng 3 năm 2020") == dt.date(2020, 3, 5)
    assert parse_date("không có ngày") is None


# --- tên loại, trích yếu, cơ quan ban hành -------------------------------------------------------

DECISION = """\
BỘ QUỐC PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỔNG CỤC CNQP Độc lập - Tự do - Hạnh phúc
Số: 821/QĐ-TCCNQP Hà Nội, ngày 08 tháng 6 năm 1987
MẬT
HỎA TỐC
QUYẾT ĐỊNH
Về việc ban hành Quy chế công tác văn thư,
lưu trữ và bảo mật tài liệu của Tổng cục
TỔNG CỤC TRƯỞNG TỔNG CỤC CÔNG NGHIỆP QUỐC PHÒNG
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;
Căn cứ Quyết định số 821/QĐ ngày 8/6/1987 của Bộ trưởng Bộ Quốc phòng;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư.
"""


def test_decision_header_ocr_two_columns():
    parsed = fields(DECISION)
    assert parsed.doc_number == "821/QĐ-TCCNQP"
    assert parsed.date == dt.date(1987, 6, 8)
    assert parsed.doc_type == "Quyết định"
    # two lines of issuer: the parent body above the unit; the unit issued the document
    assert parsed.issuer == "TỔNG CỤC CNQP"
    assert parsed.title == (
        "Quyết định về việc ban hành Quy chế công tác văn thư, lưu trữ và bảo mật tài liệu của Tổng cục"
    )
    assert parsed.stamp is Level.CONFIDENTIAL
    assert parsed.doc_numbers_cited == ["821/QĐ-TCCNQP", "30/2020/NĐ-CP", "821/QĐ"]
    assert parsed.declassified is None


def test_decision_header_in_separate_lines():
    text = """\
BỘ QUỐC PHÒNG
-------
Số: 1602/QĐ-BQP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Nội, ngày 20 tháng 7 năm 2000

QUYẾT ĐỊNH

Ban hành Quy chế bảo vệ tài liệu mật

BỘ TRƯỞNG BỘ QUỐC PHÒNG
"""
    parsed = fields(text)
    assert (parsed.doc_number, parsed.date, parsed.doc_type, parsed.issuer) == (
        "1602/QĐ-BQP", dt.date(2000, 7, 20), "Quyết định", "BỘ QUỐC PHÒNG"
    )
    assert parsed.title == "Quyết định ban hành Quy chế bảo vệ tài liệu mật"
    assert parsed.stamp is None


def test_official_letter_with_vv():
    text = """\
BỘ QUỐC PHÒNG
VĂN PHÒNG
Số: 1234/BQP-VP
V/v triển khai kế hoạch bảo đảm
an toàn thông tin năm 2021
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 15 tháng 01 năm 2021

Kính gửi: Các cơ quan, đơn vị trực thuộc Bộ Quốc phòng.

Thực hiện Chỉ thị số 14/CT-BQP ngày 10/3/2020 của Bộ trưởng, Văn phòng đề nghị ...
"""
    parsed = fields(text)
    assert parsed.doc_number == "1234/BQP-VP"
    assert parsed.date == dt.date(2021, 1, 15)
    assert parsed.doc_type == "Công văn"
    assert parsed.issuer == "VĂN PHÒNG"
    assert parsed.title == "Công văn về việc triển khai kế hoạch bảo đảm an toàn thông tin năm 2021"
    assert parsed.doc_numbers_cited == ["1234/BQP-VP", "14/CT-BQP"]


def test_official_letter_merged_columns():
    text = "BỘ QUỐC PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 56/BQP-TM\nV/v Báo cáo tình hình Hà Nội, ngày 3 tháng 4 năm 2015\nKính gửi: Tổng cục Chính trị"
    parsed = fields(text)
    assert parsed.title == "Công văn về việc báo cáo tình hình"
    assert parsed.doc_type == "Công văn"
    assert parsed.issuer == "BỘ QUỐC PHÒNG"
    assert parsed.date == dt.date(2015, 4, 3)


def test_party_resolution():
    text = """\
BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 06-NQ/TW Hà Nội, ngày 05 tháng 11 năm 2016

NGHỊ QUYẾT
HỘI NGHỊ LẦN THỨ TƯ BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XII
VỀ THỰC HIỆN CÓ HIỆU QUẢ TIẾN TRÌNH HỘI NHẬP KINH TẾ QUỐC TẾ

I. TÌNH HÌNH VÀ NGUYÊN NHÂN
"""
    parsed = fields(text)
    assert parsed.doc_number == "06-NQ/TW"
    assert parsed.date == dt.date(2016, 11, 5)
    assert parsed.doc_type == "Nghị quyết"
    assert parsed.issuer == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    # an ALL-CAPS trích yếu is lowered; roman numerals stay
    assert parsed.title == (
        "Nghị quyết hội nghị lần thứ tư ban chấp hành trung ương đảng khóa XII "
        "về thực hiện có hiệu quả tiến trình hội nhập kinh tế quốc tế"
    )


def test_legal_normative_circular():
    text = """\
BỘ QUỐC PHÒNG
--------
Số: 91/2012/TT-BQP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Nội, ngày 26 tháng 7 năm 2012
THÔNG TƯ
Ban hành Quy chế về công tác văn thư, lưu trữ
và bảo mật tài liệu trong Quân đội
Căn cứ Nghị định số 104/2008/NĐ-CP ngày 16 tháng 9 năm 2008 của Chính phủ;
"""
    parsed = fields(text)
    assert parsed.doc_number == "91/2012/TT-BQP"
    assert parsed.date == dt.date(2012, 7, 26)
    assert parsed.doc_type == "Thông tư"
    assert parsed.issuer == "BỘ QUỐC PHÒNG"
    assert parsed.title == "Thông tư ban hành Quy chế về công tác văn thư, lưu trữ và bảo mật tài liệu trong Quân đội"
    assert parsed.doc_numbers_cited == ["91/2012/TT-BQP", "104/2008/NĐ-CP"]


def test_law_header():
    text = """\
QUỐC HỘI
--------
Luật số: 32/2018/QH14
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Nội, ngày 19 tháng 11 năm 2018
LUẬT CHĂN NUÔI
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Chăn nuôi.
"""
    parsed = fields(text)
    assert parsed.doc_number == "32/2018/QH14"
    assert parsed.date == dt.date(2018, 11, 19)
    assert parsed.doc_type == "Luật"
    assert parsed.issuer == "QUỐC HỘI"
    assert parsed.title == "Luật Chăn nuôi"


def test_law_name_on_its_own_line():
    parsed = fields("QUỐC HỘI\nLuật số: 32/2018/QH14\nLUẬT\nCHĂN NUÔI\nCăn cứ Hiến pháp;")
    assert parsed.doc_type == "Luật"
    assert parsed.title == "Luật Chăn nuôi"


def test_law_number_without_type_line():
    parsed = fields("QUỐC HỘI\nLuật số: 32/2018/QH14\nCăn cứ Hiến pháp;")
    assert parsed.doc_type == "Luật"
    assert parsed.title is None


def test_no_diacritics_header():
    text = "BO QUOC PHONG\nSo: 821/QD-BQP\nHa Noi, ngay 08 thang 6 nam 1987\nQUYET DINH\nVe viec ban hanh quy che bao mat\nCan cu Nghi dinh so 30/2020/ND-CP;"
    parsed = fields(text)
    assert (parsed.doc_number, parsed.date, parsed.doc_type, parsed.issuer) == (
        "821/QD-BQP", dt.date(1987, 6, 8), "Quyết định", "BO QUOC PHONG"
    )
    assert parsed.title == "Quyết định ve viec ban hanh quy che bao mat"
    assert parsed.doc_numbers_cited == ["821/QD-BQP", "30/2020/ND-CP"]


def test_ocr_noisy_header():
    text = "BỘ QUỐC PHÒNG\nS6: 821 / QĐ - BQP Hà Nội, ngảy O8 thảng 6 nãm 1987\nQUYÊT ĐINH\nVề việc tổ chức huấn luyện"
    parsed = fields(text)
    assert parsed.doc_number == "821/QĐ-BQP"
    assert parsed.date == dt.date(1987, 6, 8)
    assert parsed.doc_type == "Quyết định"  # OCR lost a tone mark on the tên loại
    assert parsed.title == "Quyết định về việc tổ chức huấn luyện"
    assert parsed.issuer == "BỘ QUỐC PHÒNG"


@pytest.mark.parametrize(
    "type_line, doc_type",
    [
        ("NGHỊ QUYẾT", "Nghị quyết"), ("NGHỊ ĐỊNH", "Nghị định"), ("THÔNG TƯ", "Thông tư"),
        ("CHỈ THỊ", "Chỉ thị"), ("BÁO CÁO", "Báo cáo"), ("KẾ HOẠCH", "Kế hoạch"),
        ("TỜ TRÌNH", "Tờ trình"), ("THÔNG BÁO", "Thông báo"), ("HƯỚNG DẪN", "Hướng dẫn"),
        ("BIÊN BẢN", "Biên bản"), ("CÔNG ĐIỆN", "Công điện"), ("GIẤY MỜI", "Giấy mời"),
        ("QUY CHẾ", "Quy chế"), ("QUY ĐỊNH", "Quy định"), ("CHƯƠNG TRÌNH", "Chương trình"),
        ("ĐỀ ÁN", "Đề án"), ("PHƯƠNG ÁN", "Phương án"),
        ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
    ],
)
def test_type_line_wins_over_the_number(type_line, doc_type):
    # the ký hiệu says BC; the tên loại line decides
    parsed = fields(f"CỤC QUÂN Y\nSố: 7/BC-QY\n{type_line}\nvề công tác quý III\n")
    assert parsed.doc_type == doc_type
    assert parsed.title == f"{doc_type} về công tác quý III"


def test_ordinance_name_is_capitalised_like_a_law():
    parsed = fields("ỦY BAN THƯỜNG VỤ QUỐC HỘI\nSố: 30/2000/PL-UBTVQH10\nPHÁP LỆNH DÂN QUÂN TỰ VỆ\nCăn cứ")
    assert (parsed.doc_type, parsed.title) == ("Pháp lệnh", "Pháp lệnh Dân quân tự vệ")
    assert parsed.issuer == "ỦY BAN THƯỜNG VỤ QUỐC HỘI"


def test_type_inferred_from_number_when_no_type_line():
    parsed = fields("CỤC QUÂN Y\nSố: 7/KH-QY\nHà Nội, ngày 1 tháng 2 năm 2010\nNội dung kế hoạch.")
    assert parsed.doc_type == "Kế hoạch"
    assert parsed.title is None


def test_sentence_case_type_word_in_prose_is_not_a_type_line():
    parsed = fields("Số: 1234/BQP-VP\nQuyết định này có hiệu lực từ ngày ký.")
    assert parsed.doc_type == "Công văn"


def test_nothing_recognisable():
    parsed = fields("Biên bản họp chi bộ tháng này không có gì đặc biệt.\nCHƯƠNG I\nQUY ĐỊNH CHUNG")
    assert parsed.doc_number is None
    assert parsed.date is None
    assert parsed.issuer is None  # no Số, date or tên loại line: no header to read
    assert parsed.doc_numbers_cited == []
    assert fields("").title is None


def test_stamp_and_declassification_in_fields():
    text = "BỘ QUỐC PHÒNG\nSố: 5/QĐ-BQP\nTUYỆT MẬT\nGIẢI MẬT\nTừ: 01/7/2020\nQUYẾT ĐỊNH\nVề việc thử nghiệm"
    parsed = fields(text)
    assert parsed.stamp is Level.TOP_SECRET
    assert parsed.declassified == dt.date(2020, 7, 1)
    assert parsed.issuer == "BỘ QUỐC PHÒNG"
    assert parsed.title == "Quyết định về việc thử nghiệm"


def test_marking_before_the_number_is_not_the_issuer():
    parsed = fields("HỎA TỐC\nBỘ QUỐC PHÒNG\nMẬT\nSố: 5/QĐ-BQP")
    assert parsed.issuer == "BỘ QUỐC PHÒNG"
    assert parsed.stamp is Level.CONFIDENTIAL


def test_draft():
    text = "BỘ QUỐC PHÒNG\nSố: /QĐ-BQP\nHà Nội, ngày ... tháng ... năm 2020\nDỰ THẢO\nQUYẾT ĐỊNH\nVề việc abc\nCăn cứ Quyết định số 5/QĐ-BQP ngày 05 tháng 3 năm 2019;"
    parsed = fields(text)
    assert parsed.doc_number is None
    assert parsed.date is None
    assert parsed.doc_type == "Quyết định"
    assert parsed.title == "Quyết định về việc abc"
    assert parsed.doc_numbers_cited == ["5/QĐ-BQP"]


def test_docstring_examples():
    from archsearch.ingest import doc_numbers, issue_dates, text_fields, title_and_issuer

    for module in (text_fields, doc_numbers, issue_dates, title_and_issuer):
        assert doctest.testmod(module).failed == 0


header_pieces = st.sampled_from([
    "BỘ QUỐC PHÒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 821/QĐ-BQP", "Sô :O5/NQ-TW", "MẬT",
    "Hà Nội, ngày 08 tháng 6 năm 1987", "ngày ... tháng ... năm 2020", "QUYẾT ĐỊNH", "V/v ",
    "LUẬT ", "Căn cứ Nghị định số 30/2020/NĐ-CP", "\n", " ", "|", "/", "-", "số", "S6", "O", "Ð", "–",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(header_pieces, st.text(max_size=8)), max_size=30).map("".join))
def test_never_raises_and_own_number_is_cited(text):
    parsed = parse_text_fields(text)
    if parsed.doc_number is not None:
        assert parsed.doc_number in parsed.doc_numbers_cited
        assert " " not in parsed.doc_number
    assert len(parsed.doc_numbers_cited) == len(set(parsed.doc_numbers_cited))
    if parsed.date is not None:
        assert 1800 <= parsed.date.year <= 2099


def test_trich_yeu_continuation_starting_with_dieu_is_kept():
    text = "BỘ QUỐC PHÒNG\nSố: 5/QĐ-BQP\nQUYẾT ĐỊNH\nVề việc sửa đổi, bổ sung\nđiều chỉnh kế hoạch năm 2021\nĐiều 1. Nay sửa đổi"
    assert fields(text).title == "Quyết định về việc sửa đổi, bổ sung điều chỉnh kế hoạch năm 2021"


def test_factory_codes_with_three_digits_are_part_of_the_number():
    fields = parse_text_fields("NHÀ MÁY Z121\nSố: 276/Z121-KH\nHà Nội, ngày 02 tháng 4 năm 2001\n")
    assert fields.doc_number == "276/Z121-KH"
    assert parse_text_fields("Số: 389/QĐ-Z117\n").doc_number == "389/QĐ-Z117"


def test_blank_lines_between_header_paragraphs_do_not_push_the_date_out():
    header = "\n\n".join(["Công văn", "TỔNG CỤC CNQP", "Số: 3021/TCCNQP-KH", "MẬT", "V/v báo cáo", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                          "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 14 tháng 9 năm 2022"])
    assert parse_text_fields(header).date.isoformat() == "2022-09-14"
