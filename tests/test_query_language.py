"""The query language: parsing, fields, abbreviations, malformed input (no index needed)."""

import unicodedata

import pytest

from archsearch.errors import UsageError
from archsearch.engine.abbreviations import parse_abbreviations
from archsearch.engine.query import MAX_QUERY_SYLLABLES, build_query


def q(text: str) -> str:
    return str(build_query(text))


def test_nfd_and_nfc_queries_are_the_same_query():
    for text in ('"bảo quản" vũ khí -mật', "so:821/QĐ-BQP loại:QĐ", "Đảng ủy chỉ đạo"):
        assert build_query(unicodedata.normalize("NFD", text)) == build_query(text)


def test_words_are_a_ranked_or_with_exact_folded_and_bigram_evidence():
    text = q("bảo mật tài liệu")
    assert "text:mật" in text and "text_folded:mat^0.2" in text
    assert "text_bigrams:bảo_mật" in text and "text_bigrams_folded:tai_lieu" in text
    assert " AND " not in text  # nothing is required


def test_query_without_diacritics_uses_the_folded_views_only():
    text = q("bao mat tai lieu")
    assert "text_folded:mat" in text and "text_bigrams_folded:bao_mat" in text
    assert "text:" not in text and "text_bigrams:" not in text


def test_quoted_phrase_is_required_and_ordered():
    assert 'text:"bảo quản"' in q('"bảo quản" vũ khí')
    assert 'text_folded:"bao quan"' in q('"bao quan"')
    assert "ANDMAYBE" in q('"bảo quản" vũ khí')  # the phrase required, the words rank


def test_boolean_operators_and_exclusion():
    assert "ANDNOT" in q("kho -mật") and "ANDNOT" in q("kho NOT mật") and "ANDNOT" in q('kho -"tối mật"')
    both = q("bảo quản AND vũ khí")
    assert both.startswith("((") and " AND " in both
    assert q("kho OR xưởng").count(" OR ") >= 1
    assert "ANDNOT" in q("(kho OR xưởng) AND NOT mật")
    assert "and" in q("kho and xưởng")  # lower-case words are words


def test_fields():
    assert "doc_number_key:821/qd-bqp" in q("so:821/QĐ-BQP")
    assert "doc_number_key:821/*" in q("số:821")
    assert "doc_type_key:quyet dinh" in q("loai:QĐ") and "doc_type_key:quyet dinh" in q('loại:"quyết định"')
    assert "issuer_folded:bqp" in q("coquan:BQP") and "issuer_folded:quoc" in q("coquan:BQP")
    assert "year:[2015 TO 2015]" in q("nam:2015") and "year:[2015 TO 2020]" in q("năm:2015..2020")
    assert "date:[2015-01-01 TO 2020-12-31]" in q("ngay:2015..2020")
    assert "date:[2020-03-05 TO 2020-03-05]" in q("ngày:05/03/2020")
    assert "date:[2020-02-01 TO 2020-02-29]" in q("ngay:2020-02")
    assert "date:[2015-01-01 TO" in q("ngay:2015..")
    assert "classification:confidential" in q("muc:mat") and "classification:secret" in q('mức:"tối mật"')
    assert "ANDMAYBE" in q("bảo quản nam:2015")  # a field narrows, the words rank


def test_pasted_header_and_unknown_fields_are_words():
    assert "doc_number_key:821/qd-bqp" in q("Số: 821/QĐ-BQP")
    assert "text:nhận" in q("Nơi nhận: Lưu VT")


def test_document_number_anywhere_is_looked_up_whole_with_a_big_boost():
    for typed in ("821/QĐ-BQP", "821/qd-bqp", "quyết định 821 / QĐ - BQP", "so 821/QD-BQP"):
        text = q(typed)
        assert "doc_number_key:821/qd-bqp^60" in text and "cited_numbers:821/qd-bqp" in text, typed


def test_abbreviations_expand_both_ways_and_ambiguous_ones_to_every_meaning():
    cnqp = q("CNQP")
    assert "cong_nghiep" in cnqp and "cong_nhan" in cnqp  # công nghiệp / công nhân quốc phòng
    assert "text_folded:cnqp" in q("công nghiệp quốc phòng")
    assert "cong_nhan" not in q("công nghiệp quốc phòng")  # a meaning never brings its siblings
    assert "text_folded:ubnd" in q("ủy ban nhân dân tỉnh")
    assert "du_an" not in q("da dày")  # an ordinary syllable expands only when typed in capitals
    assert "du_an" in q("DA đầu tư")


def test_abbreviation_file_format():
    entries = parse_abbreviations("# comment\nCNQP\tcông nghiệp quốc phòng | công nhân quốc phòng\n\nKH&CN\tkhoa học và công nghệ\n")
    assert entries[0].abbreviation == ("cnqp",) and len(entries[0].expansions) == 2
    assert entries[1].abbreviation == ("kh", "cn")
    with pytest.raises(ValueError, match="line 1"):
        parse_abbreviations("CNQP công nghiệp quốc phòng")


def test_long_queries_are_capped():
    long_query = build_query("kho đạn " * 2000)
    assert str(long_query).count("text:") <= MAX_QUERY_SYLLABLES * 2


@pytest.mark.parametrize("typed, message", [
    ("   ", "empty query"),
    ('"bảo quản', "unclosed quotation mark"),
    ("(kho OR xưởng", "never closed"),
    ("kho)", "no matching"),
    ("AND kho", "both sides"),
    ("kho OR", "OR must be followed"),
    ("kho AND", "AND must be followed"),
    ("NOT", "NOT must be followed"),
    ("-mật", "cannot only exclude"),
    ("NOT mật", "cannot only exclude"),
    ("kho OR NOT mật", "NOT cannot be a side of OR"),
    ("nam:abc", "nam: expects a year"),
    ("ngay:2020..2015", "empty range"),
    ("ngay:2020-13-01", "not a valid date"),
    ("ngay:hôm-qua", "ngay: expects"),
    ("muc:siêu-mật", "unknown classification level"),
    ("coquan:!!!", "coquan: needs"),
    ("!!! ???", "no searchable words"),
])
def test_malformed_queries_get_a_clear_usage_error(typed, message):
    with pytest.raises(UsageError, match=message):
        build_query(typed)
