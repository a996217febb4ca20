"""Secrecy stamps in text, GIẢI MẬT dates, and the effective level of a document."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archsearch.ingest.classification import (
    detect_declassification,
    detect_stamp,
    effective_level,
    is_marking,
    stamp_level,
)
from archsearch.levels import Level

HEADER = (
    "BỘ QUỐC PHÒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỔNG CỤC CNQP Độc lập - Tự do - Hạnh phúc\n"
    "Số: 821/QĐ-BQP Hà Nội, ngày 08 tháng 6 năm 1987\n"
)


@pytest.mark.parametrize(
    "text, level",
    [
        (HEADER + "MẬT\nQUYẾT ĐỊNH", Level.CONFIDENTIAL),
        (HEADER + "TỐI MẬT\nQUYẾT ĐỊNH", Level.SECRET),
        (HEADER + "TUYỆT MẬT\nQUYẾT ĐỊNH", Level.TOP_SECRET),
        ("| MẬT |", Level.CONFIDENTIAL),  # boxed stamp read as a table cell
        ("┌──────┐\n│ MẬT │\n└──────┘", Level.CONFIDENTIAL),
        ("[TỐI MẬT]", Level.SECRET),
        ("** TUYỆT MẬT **", Level.TOP_SECRET),
        ("ĐỘ MẬT: TỐI MẬT", Level.SECRET),  # all caps and alone on its line
        ("MÂT", Level.CONFIDENTIAL),  # OCR lost the dot below
        ("MAT", Level.CONFIDENTIAL),  # typed without diacritics
        ("TUYET MAT", Level.TOP_SECRET),
        # two columns merged by OCR, the stamp separated by a run of spaces or a tab
        ("Độc lập - Tự do - Hạnh phúc      TỐI MẬT", Level.SECRET),
        ("Số: 821/QĐ-BQP\tMẬT", Level.CONFIDENTIAL),
        # several stamps: the strictest wins
        ("MẬT\nTUYỆT MẬT\nTỐI MẬT", Level.TOP_SECRET),
    ],
)
def test_stamp_accepted(text, level):
    assert detect_stamp(text) is level


@pytest.mark.parametrize(
    "text",
    [
        "Độ mật: Tối mật",  # prose, not capitals
        "Tài liệu phải được bảo mật theo quy định.",
        "BẢO MẬT",
        "MẶT TRẬN TỔ QUỐC VIỆT NAM",
        "TÀI LIỆU MẬT CỦA BỘ QUỐC PHÒNG",  # the word inside a sentence
        "Mật",  # not capitals
        "ĐỘ MẬT:",  # the label without a level
        "",
        HEADER + "QUYẾT ĐỊNH\nVề việc bảo vệ bí mật nhà nước",
    ],
)
def test_stamp_rejected(text):
    assert detect_stamp(text) is None


def test_stamp_only_near_the_top():
    body = "\n".join(f"Dòng {i} của văn bản." for i in range(60))
    assert detect_stamp(body + "\nMẬT") is None
    assert detect_stamp("MẬT\n" + body) is Level.CONFIDENTIAL


def test_stamp_level_of_one_cell():
    assert stamp_level("TỐI MẬT.") is Level.SECRET
    assert stamp_level("tối mật") is None
    assert stamp_level("HỎA TỐC") is None


def test_markings():
    for cell in ["HỎA TỐC", "THƯỢNG KHẨN", "KHẨN", "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "DỰ THẢO", "MẬT", "GIẢI MẬT"]:
        assert is_marking(cell), cell
    for cell in ["BỘ QUỐC PHÒNG", "QUYẾT ĐỊNH", "Khẩn trương", "khẩn"]:
        assert not is_marking(cell), cell


@pytest.mark.parametrize(
    "text, date",
    [
        ("GIẢI MẬT\nTừ: 05/3/2020", dt.date(2020, 3, 5)),
        ("| GIẢI MẬT |\n| Từ: 01-07-2021 |", dt.date(2021, 7, 1)),
        ("GIẢI MẬT Từ ngày 15 tháng 01 năm 2019", dt.date(2019, 1, 15)),
        ("GIAI MAT\nTu: 5/3/2020", dt.date(2020, 3, 5)),
        ("GIẢI MẬT\nTừ: ......", None),  # not filled in
        ("GIẢI MẬT\nTừ: 31/02/2020", None),  # not a date
        ("Tài liệu được giải mật từ: 05/3/2020", None),  # prose
        ("MẬT\nSố: 821/QĐ-BQP", None),
    ],
)
def test_declassification(text, date):
    assert detect_declassification(text) == date


@pytest.mark.parametrize(
    "declared, stamp, default, expected",
    [
        (None, None, Level.UNCLASSIFIED, (Level.UNCLASSIFIED, "default")),
        (None, None, Level.SECRET, (Level.SECRET, "default")),
        (Level.CONFIDENTIAL, None, Level.SECRET, (Level.CONFIDENTIAL, "declared")),
        (Level.UNCLASSIFIED, None, Level.CONFIDENTIAL, (Level.UNCLASSIFIED, "declared")),
        (None, Level.SECRET, Level.UNCLASSIFIED, (Level.SECRET, "stamp")),
        (None, Level.CONFIDENTIAL, Level.TOP_SECRET, (Level.CONFIDENTIAL, "stamp")),
        (Level.CONFIDENTIAL, Level.SECRET, Level.UNCLASSIFIED, (Level.SECRET, "declared+stamp")),
        (Level.TOP_SECRET, Level.CONFIDENTIAL, Level.UNCLASSIFIED, (Level.TOP_SECRET, "declared+stamp")),
        (Level.SECRET, Level.SECRET, Level.UNCLASSIFIED, (Level.SECRET, "declared+stamp")),
    ],
)
def test_effective_level_table(declared, stamp, default, expected):
    assert effective_level(declared, stamp, default) == expected


optional_levels = st.one_of(st.none(), st.sampled_from(list(Level)))


@given(declared=optional_levels, stamp=optional_levels, default=st.sampled_from(list(Level)))
def test_effective_level_never_weakens(declared, stamp, default):
    level, source = effective_level(declared, stamp, default)
    if declared is not None:
        assert level >= declared
    if stamp is not None:
        assert level >= stamp
    # the default is used exactly when nothing was declared or stamped
    assert (source == "default") == (declared is None and stamp is None)
    if source == "default":
        assert level is default
    else:
        assert level is max(x for x in (declared, stamp) if x is not None)
    assert source in {"declared", "stamp", "declared+stamp", "default"}


def test_docstring_examples():
    from archsearch.ingest import classification

    assert doctest.testmod(classification).failed == 0
